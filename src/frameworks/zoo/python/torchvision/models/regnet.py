# RegNet (Radosavovic et al. 2020, "Designing Network Design Spaces"): networks whose block widths
# follow a quantised linear rule, u_j = w_0 + w_a * j for block j, snapped to w_0 * w_m^k rounded
# to multiples of 8; blocks of equal width form a stage. Every block is a ResNeXt-style bottleneck
# (1x1, grouped 3x3 of fixed group width, 1x1) with a projection shortcut where size or width
# change; RegNetY adds squeeze-and-excitation to it.
import math
from collections import OrderedDict
from functools import partial
from typing import Any, Callable, List, Optional, Tuple

import torch
from torch import Tensor, nn

from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder, _make_divisible


class SimpleStemIN(Conv2dNormActivation):
    """The stem: a strided 3x3 convolution, normalisation, activation."""

    def __init__(
        self, width_in: int, width_out: int, norm_layer: Callable[..., nn.Module], activation_layer: Callable[..., nn.Module]
    ) -> None:
        super().__init__(width_in, width_out, kernel_size=3, stride=2, norm_layer=norm_layer, activation_layer=activation_layer)


class BottleneckTransform(nn.Sequential):
    """The residual branch: a (a 1x1), b (grouped 3x3, strided), se (RegNetY), c (linear 1x1)."""

    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        norm_layer: Callable[..., nn.Module],
        activation_layer: Callable[..., nn.Module],
        group_width: int,
        bottleneck_multiplier: float,
        se_ratio: Optional[float],
    ) -> None:
        layers: OrderedDict = OrderedDict()
        w_b = int(round(width_out * bottleneck_multiplier))
        groups = w_b // group_width
        layers["a"] = Conv2dNormActivation(width_in, w_b, kernel_size=1, stride=1, norm_layer=norm_layer, activation_layer=activation_layer)
        layers["b"] = Conv2dNormActivation(
            w_b, w_b, kernel_size=3, stride=stride, groups=groups, norm_layer=norm_layer, activation_layer=activation_layer
        )
        if se_ratio:
            # The squeeze width follows the block's input width, not the bottleneck's.
            layers["se"] = SqueezeExcitation(
                input_channels=w_b, squeeze_channels=int(round(se_ratio * width_in)), activation=activation_layer
            )
        layers["c"] = Conv2dNormActivation(w_b, width_out, kernel_size=1, stride=1, norm_layer=norm_layer, activation_layer=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        norm_layer: Callable[..., nn.Module],
        activation_layer: Callable[..., nn.Module],
        group_width: int = 1,
        bottleneck_multiplier: float = 1.0,
        se_ratio: Optional[float] = None,
    ) -> None:
        super().__init__()
        self.proj = None
        if width_in != width_out or stride != 1:
            self.proj = Conv2dNormActivation(
                width_in, width_out, kernel_size=1, stride=stride, norm_layer=norm_layer, activation_layer=None
            )
        self.f = BottleneckTransform(
            width_in, width_out, stride, norm_layer, activation_layer, group_width, bottleneck_multiplier, se_ratio
        )
        self.activation = activation_layer(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        if self.proj is not None:
            x = self.proj(x) + self.f(x)
        else:
            x = x + self.f(x)
        return self.activation(x)


class AnyStage(nn.Sequential):
    """`depth` blocks named block{stage}-{i}; the first changes width and carries the stride."""

    def __init__(
        self,
        width_in: int,
        width_out: int,
        stride: int,
        depth: int,
        block_constructor: Callable[..., nn.Module],
        norm_layer: Callable[..., nn.Module],
        activation_layer: Callable[..., nn.Module],
        group_width: int,
        bottleneck_multiplier: float,
        se_ratio: Optional[float] = None,
        stage_index: int = 0,
    ) -> None:
        super().__init__()
        for i in range(depth):
            block = block_constructor(
                width_in if i == 0 else width_out,
                width_out,
                stride if i == 0 else 1,
                norm_layer,
                activation_layer,
                group_width,
                bottleneck_multiplier,
                se_ratio,
            )
            self.add_module(f"block{stage_index}-{i}", block)


class BlockParams:
    """Per stage: block count, width, group width, bottleneck multiplier, stride."""

    def __init__(
        self,
        depths: List[int],
        widths: List[int],
        group_widths: List[int],
        bottleneck_multipliers: List[float],
        strides: List[int],
        se_ratio: Optional[float] = None,
    ) -> None:
        self.depths = depths
        self.widths = widths
        self.group_widths = group_widths
        self.bottleneck_multipliers = bottleneck_multipliers
        self.strides = strides
        self.se_ratio = se_ratio

    @classmethod
    def from_init_params(
        cls,
        depth: int,
        w_0: int,
        w_a: float,
        w_m: float,
        group_width: int,
        bottleneck_multiplier: float = 1.0,
        se_ratio: Optional[float] = None,
        **kwargs: Any,
    ) -> "BlockParams":
        """The stages of the design-space point (depth, w_0, w_a, w_m): each block's linear width
        w_0 + w_a * j, snapped to the nearest power of w_m times w_0, rounded to a multiple of 8;
        runs of equal width are stages, each starting with stride 2."""
        quant = 8
        stride = 2
        if w_a < 0 or w_0 <= 0 or w_m <= 1 or w_0 % 8 != 0:
            raise ValueError("Invalid RegNet settings")
        block_widths = []
        for j in range(depth):
            exponent = round(math.log((j * w_a + w_0) / w_0) / math.log(w_m))
            block_widths.append(int(round(w_0 * math.pow(w_m, exponent) / quant) * quant))
        stage_widths = []
        stage_depths = []
        for width in block_widths:
            if stage_widths and stage_widths[-1] == width:
                stage_depths[-1] += 1
            else:
                stage_widths.append(width)
                stage_depths.append(1)
        num_stages = len(stage_widths)
        strides = [stride] * num_stages
        bottleneck_multipliers = [bottleneck_multiplier] * num_stages
        group_widths = [group_width] * num_stages
        stage_widths, group_widths = cls._adjust_widths_groups_compatibilty(stage_widths, bottleneck_multipliers, group_widths)
        return cls(stage_depths, stage_widths, group_widths, bottleneck_multipliers, strides, se_ratio)

    def _get_expanded_params(self) -> List[Tuple[int, int, int, int, float]]:
        return list(zip(self.widths, self.strides, self.depths, self.group_widths, self.bottleneck_multipliers))

    @staticmethod
    def _adjust_widths_groups_compatibilty(
        stage_widths: List[int], bottleneck_ratios: List[float], group_widths: List[int]
    ) -> Tuple[List[int], List[int]]:
        """Makes each bottleneck width a multiple of its group width (no wider group than it)."""
        widths = [int(w * b) for w, b in zip(stage_widths, bottleneck_ratios)]
        group_widths_min = [min(g, w_bot) for g, w_bot in zip(group_widths, widths)]
        ws_bot = [_make_divisible(w_bot, g) for w_bot, g in zip(widths, group_widths_min)]
        stage_widths = [int(w_bot / b) for w_bot, b in zip(ws_bot, bottleneck_ratios)]
        return stage_widths, group_widths_min


class RegNet(nn.Module):
    def __init__(
        self,
        block_params: BlockParams,
        num_classes: int = 1000,
        stem_width: int = 32,
        stem_type: Optional[Callable[..., nn.Module]] = None,
        block_type: Optional[Callable[..., nn.Module]] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        activation: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        super().__init__()
        stem_type = stem_type or SimpleStemIN
        norm_layer = norm_layer or nn.BatchNorm2d
        block_type = block_type or ResBottleneckBlock
        activation = activation or nn.ReLU
        self.stem = stem_type(3, stem_width, norm_layer, activation)
        current_width = stem_width
        blocks = []
        for i, (width_out, stride, depth, group_width, bottleneck_multiplier) in enumerate(block_params._get_expanded_params()):
            stage = AnyStage(
                current_width,
                width_out,
                stride,
                depth,
                block_type,
                norm_layer,
                activation,
                group_width,
                bottleneck_multiplier,
                block_params.se_ratio,
                stage_index=i + 1,
            )
            blocks.append((f"block{i + 1}", stage))
            current_width = width_out
        self.trunk_output = nn.Sequential(OrderedDict(blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(in_features=current_width, out_features=num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.trunk_output(self.stem(x))
        x = torch.flatten(self.avgpool(x), start_dim=1)
        return self.fc(x)


RegNet_Y_400MF_Weights = weights_enum("RegNet_Y_400MF_Weights", 4344144, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_Y_800MF_Weights = weights_enum("RegNet_Y_800MF_Weights", 6432512, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_Y_1_6GF_Weights = weights_enum("RegNet_Y_1_6GF_Weights", 11202430, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_Y_3_2GF_Weights = weights_enum("RegNet_Y_3_2GF_Weights", 19436338, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_Y_8GF_Weights = weights_enum("RegNet_Y_8GF_Weights", 39381472, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_Y_16GF_Weights = weights_enum(
    "RegNet_Y_16GF_Weights", 83590140, "IMAGENET1K_V1", "IMAGENET1K_V2", "IMAGENET1K_SWAG_E2E_V1", "IMAGENET1K_SWAG_LINEAR_V1", default="IMAGENET1K_V2"
)
RegNet_Y_32GF_Weights = weights_enum(
    "RegNet_Y_32GF_Weights", 145046770, "IMAGENET1K_V1", "IMAGENET1K_V2", "IMAGENET1K_SWAG_E2E_V1", "IMAGENET1K_SWAG_LINEAR_V1", default="IMAGENET1K_V2"
)
RegNet_Y_128GF_Weights = weights_enum("RegNet_Y_128GF_Weights", 644812894, "IMAGENET1K_SWAG_E2E_V1", "IMAGENET1K_SWAG_LINEAR_V1")
RegNet_X_400MF_Weights = weights_enum("RegNet_X_400MF_Weights", 5495976, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_800MF_Weights = weights_enum("RegNet_X_800MF_Weights", 7259656, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_1_6GF_Weights = weights_enum("RegNet_X_1_6GF_Weights", 9190136, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_3_2GF_Weights = weights_enum("RegNet_X_3_2GF_Weights", 15296552, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_8GF_Weights = weights_enum("RegNet_X_8GF_Weights", 39572648, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_16GF_Weights = weights_enum("RegNet_X_16GF_Weights", 54278536, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
RegNet_X_32GF_Weights = weights_enum("RegNet_X_32GF_Weights", 107811560, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")


def _regnet(
    depth: int,
    w_0: int,
    w_a: float,
    w_m: float,
    group_width: int,
    se_ratio: Optional[float],
    weights: Optional[WeightsEnum],
    progress: bool,
    **kwargs: Any,
) -> RegNet:
    block_params = BlockParams.from_init_params(depth, w_0, w_a, w_m, group_width, se_ratio=se_ratio, **kwargs)
    norm_layer = kwargs.pop("norm_layer", partial(nn.BatchNorm2d, eps=1e-05, momentum=0.1))
    return RegNet(block_params, norm_layer=norm_layer, **kwargs)


# Per variant, the design-space point: depth, initial width w_0, slope w_a, width multiplier w_m,
# group width, and the squeeze-and-excitation ratio of RegNetY (None: RegNetX has none).
regnet_y_400mf = _make_builder("regnet_y_400mf", RegNet_Y_400MF_Weights, _regnet, 16, 48, 27.89, 2.09, 8, 0.25)
regnet_y_800mf = _make_builder("regnet_y_800mf", RegNet_Y_800MF_Weights, _regnet, 14, 56, 38.84, 2.4, 16, 0.25)
regnet_y_1_6gf = _make_builder("regnet_y_1_6gf", RegNet_Y_1_6GF_Weights, _regnet, 27, 48, 20.71, 2.65, 24, 0.25)
regnet_y_3_2gf = _make_builder("regnet_y_3_2gf", RegNet_Y_3_2GF_Weights, _regnet, 21, 80, 42.63, 2.66, 24, 0.25)
regnet_y_8gf = _make_builder("regnet_y_8gf", RegNet_Y_8GF_Weights, _regnet, 17, 192, 76.82, 2.19, 56, 0.25)
regnet_y_16gf = _make_builder("regnet_y_16gf", RegNet_Y_16GF_Weights, _regnet, 18, 200, 106.23, 2.48, 112, 0.25)
regnet_y_32gf = _make_builder("regnet_y_32gf", RegNet_Y_32GF_Weights, _regnet, 20, 232, 115.89, 2.53, 232, 0.25)
regnet_y_128gf = _make_builder("regnet_y_128gf", RegNet_Y_128GF_Weights, _regnet, 27, 456, 160.83, 2.52, 264, 0.25)
regnet_x_400mf = _make_builder("regnet_x_400mf", RegNet_X_400MF_Weights, _regnet, 22, 24, 24.48, 2.54, 16, None)
regnet_x_800mf = _make_builder("regnet_x_800mf", RegNet_X_800MF_Weights, _regnet, 16, 56, 35.73, 2.28, 16, None)
regnet_x_1_6gf = _make_builder("regnet_x_1_6gf", RegNet_X_1_6GF_Weights, _regnet, 18, 80, 34.01, 2.25, 24, None)
regnet_x_3_2gf = _make_builder("regnet_x_3_2gf", RegNet_X_3_2GF_Weights, _regnet, 25, 88, 26.31, 2.25, 48, None)
regnet_x_8gf = _make_builder("regnet_x_8gf", RegNet_X_8GF_Weights, _regnet, 23, 80, 49.56, 2.88, 120, None)
regnet_x_16gf = _make_builder("regnet_x_16gf", RegNet_X_16GF_Weights, _regnet, 22, 216, 55.59, 2.1, 128, None)
regnet_x_32gf = _make_builder("regnet_x_32gf", RegNet_X_32GF_Weights, _regnet, 23, 320, 69.86, 2.0, 168, None)
