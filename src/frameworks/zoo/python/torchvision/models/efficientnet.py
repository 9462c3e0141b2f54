# EfficientNet (Tan & Le 2019): MobileNet-style inverted residual blocks (MBConv) with
# squeeze-and-excitation and SiLU, scaled as a family: each of b0..b7 multiplies the widths and
# block counts of b0 by fixed factors. EfficientNetV2 (Tan & Le 2021) starts with FusedMBConv
# blocks, which replace the 1x1 expansion and the depthwise convolution with one regular 3x3
# convolution. Residual branches are dropped at random while training (stochastic depth), with a
# probability growing linearly with depth.
import copy
import math
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor, nn

from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ..ops.stochastic_depth import StochasticDepth
from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder, _make_divisible


@dataclass
class _MBConvConfig:
    """One stage: its blocks' expansion ratio, kernel, stride (of the first block), widths, count."""

    expand_ratio: float
    kernel: int
    stride: int
    input_channels: int
    out_channels: int
    num_layers: int
    block: Callable[..., nn.Module]

    @staticmethod
    def adjust_channels(channels: int, width_mult: float, min_value: Optional[int] = None) -> int:
        return _make_divisible(channels * width_mult, 8, min_value)


class MBConvConfig(_MBConvConfig):
    """An MBConv stage of b0, widened by `width_mult` (to multiples of 8) and deepened by
    `depth_mult` (rounding the block count up)."""

    def __init__(
        self,
        expand_ratio: float,
        kernel: int,
        stride: int,
        input_channels: int,
        out_channels: int,
        num_layers: int,
        width_mult: float = 1.0,
        depth_mult: float = 1.0,
        block: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        input_channels = self.adjust_channels(input_channels, width_mult)
        out_channels = self.adjust_channels(out_channels, width_mult)
        num_layers = self.adjust_depth(num_layers, depth_mult)
        super().__init__(expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block or MBConv)

    @staticmethod
    def adjust_depth(num_layers: int, depth_mult: float) -> int:
        return int(math.ceil(num_layers * depth_mult))


class FusedMBConvConfig(_MBConvConfig):
    """A FusedMBConv stage of EfficientNetV2, used unscaled."""

    def __init__(
        self,
        expand_ratio: float,
        kernel: int,
        stride: int,
        input_channels: int,
        out_channels: int,
        num_layers: int,
        block: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        super().__init__(expand_ratio, kernel, stride, input_channels, out_channels, num_layers, block or FusedMBConv)


class _StochasticResidual(nn.Module):
    """What MBConv and FusedMBConv share: their layers as `block`, and the input added back, after
    stochastic depth, when the block keeps size and width."""

    def __init__(self, cnf: _MBConvConfig, stochastic_depth_prob: float, layers: List[nn.Module]) -> None:
        super().__init__()
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels

    @staticmethod
    def expanded_width(cnf: _MBConvConfig) -> int:
        if not (1 <= cnf.stride <= 2):
            raise ValueError("illegal stride value")
        return cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)

    def forward(self, input: Tensor) -> Tensor:
        result = self.block(input)
        if self.use_res_connect:
            result = self.stochastic_depth(result)
            result += input
        return result


class MBConv(_StochasticResidual):
    """1x1 expansion, depthwise kxk convolution, squeeze-and-excitation (squeezing to a quarter of
    the block's input width), linear 1x1 projection; residual when size and width are kept."""

    def __init__(
        self,
        cnf: MBConvConfig,
        stochastic_depth_prob: float,
        norm_layer: Callable[..., nn.Module],
        se_layer: Callable[..., nn.Module] = SqueezeExcitation,
    ) -> None:
        expanded = self.expanded_width(cnf)
        layers: List[nn.Module] = []
        if expanded != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, expanded, kernel_size=1, norm_layer=norm_layer, activation_layer=nn.SiLU))
        layers.append(
            Conv2dNormActivation(
                expanded, expanded, kernel_size=cnf.kernel, stride=cnf.stride, groups=expanded, norm_layer=norm_layer, activation_layer=nn.SiLU
            )
        )
        layers.append(se_layer(expanded, max(1, cnf.input_channels // 4), activation=partial(nn.SiLU, inplace=True)))
        layers.append(Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=None))
        super().__init__(cnf, stochastic_depth_prob, layers)


class FusedMBConv(_StochasticResidual):
    """A regular kxk convolution that expands (then a linear 1x1 projection), or, at expansion 1,
    one kxk convolution to the output width; residual when size and width are kept."""

    def __init__(self, cnf: FusedMBConvConfig, stochastic_depth_prob: float, norm_layer: Callable[..., nn.Module]) -> None:
        expanded = self.expanded_width(cnf)
        layers: List[nn.Module] = []
        if expanded != cnf.input_channels:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels, expanded, kernel_size=cnf.kernel, stride=cnf.stride, norm_layer=norm_layer, activation_layer=nn.SiLU
                )
            )
            layers.append(Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=None))
        else:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels, cnf.out_channels, kernel_size=cnf.kernel, stride=cnf.stride, norm_layer=norm_layer, activation_layer=nn.SiLU
                )
            )
        super().__init__(cnf, stochastic_depth_prob, layers)


class EfficientNet(nn.Module):
    def __init__(
        self,
        inverted_residual_setting: Sequence[Union[MBConvConfig, FusedMBConvConfig]],
        dropout: float,
        stochastic_depth_prob: float = 0.2,
        num_classes: int = 1000,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        last_channel: Optional[int] = None,
    ) -> None:
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        if not all(isinstance(s, _MBConvConfig) for s in inverted_residual_setting):
            raise TypeError("The inverted_residual_setting should be List[MBConvConfig]")
        norm_layer = norm_layer or nn.BatchNorm2d
        first_width = inverted_residual_setting[0].input_channels
        layers: List[nn.Module] = [
            Conv2dNormActivation(3, first_width, kernel_size=3, stride=2, norm_layer=norm_layer, activation_layer=nn.SiLU)
        ]
        total_blocks = sum(cnf.num_layers for cnf in inverted_residual_setting)
        block_id = 0
        for cnf in inverted_residual_setting:
            stage: List[nn.Module] = []
            for i in range(cnf.num_layers):
                block_cnf = copy.copy(cnf)
                # Only a stage's first block changes size and width.
                if i > 0:
                    block_cnf.input_channels = block_cnf.out_channels
                    block_cnf.stride = 1
                sd_prob = stochastic_depth_prob * float(block_id) / total_blocks
                stage.append(block_cnf.block(block_cnf, sd_prob, norm_layer))
                block_id += 1
            layers.append(nn.Sequential(*stage))
        last_in = inverted_residual_setting[-1].out_channels
        last_out = last_channel if last_channel is not None else 4 * last_in
        layers.append(Conv2dNormActivation(last_in, last_out, kernel_size=1, norm_layer=norm_layer, activation_layer=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True), nn.Linear(last_out, num_classes))

    def _forward_impl(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)


# EfficientNetV2's stages: block, expansion, kernel, stride (S has the first six). Per variant: the
# stem's and each stage's output width, and each stage's block count.
_V2_STAGES = [
    (FusedMBConvConfig, 1, 3, 1),
    (FusedMBConvConfig, 4, 3, 2),
    (FusedMBConvConfig, 4, 3, 2),
    (MBConvConfig, 4, 3, 2),
    (MBConvConfig, 6, 3, 1),
    (MBConvConfig, 6, 3, 2),
    (MBConvConfig, 6, 3, 1),
]
_V2_SIZES = {
    "efficientnet_v2_s": ([24, 24, 48, 64, 128, 160, 256], [2, 4, 4, 6, 9, 15]),
    "efficientnet_v2_m": ([24, 24, 48, 80, 160, 176, 304, 512], [3, 5, 5, 7, 14, 18, 5]),
    "efficientnet_v2_l": ([32, 32, 64, 96, 192, 224, 384, 640], [4, 7, 7, 10, 19, 25, 7]),
}


def _efficientnet_conf(arch: str, **kwargs: Any) -> Tuple[Sequence[Union[MBConvConfig, FusedMBConvConfig]], Optional[int]]:
    """The stage table of `arch`, and its head width (None: four times the last stage's)."""
    # Per stage: expansion, kernel, stride, input width, output width, block count.
    if arch.startswith("efficientnet_b"):
        bneck = partial(MBConvConfig, width_mult=kwargs.pop("width_mult"), depth_mult=kwargs.pop("depth_mult"))
        setting = [
            bneck(1, 3, 1, 32, 16, 1),
            bneck(6, 3, 2, 16, 24, 2),
            bneck(6, 5, 2, 24, 40, 2),
            bneck(6, 3, 2, 40, 80, 3),
            bneck(6, 5, 1, 80, 112, 3),
            bneck(6, 5, 2, 112, 192, 4),
            bneck(6, 3, 1, 192, 320, 1),
        ]
        return setting, None
    if arch in _V2_SIZES:
        widths, depths = _V2_SIZES[arch]
        stages = zip(_V2_STAGES, widths, widths[1:], depths)
        return [config(e, k, s, w_in, w_out, n) for (config, e, k, s), w_in, w_out, n in stages], 1280
    raise ValueError(f"Unsupported model type {arch}")


def _efficientnet(
    inverted_residual_setting: Sequence[Union[MBConvConfig, FusedMBConvConfig]],
    dropout: float,
    last_channel: Optional[int],
    weights: Optional[WeightsEnum],
    progress: bool,
    **kwargs: Any,
) -> EfficientNet:
    return EfficientNet(inverted_residual_setting, dropout, last_channel=last_channel, **kwargs)


EfficientNet_B0_Weights = weights_enum("EfficientNet_B0_Weights", 5288548, "IMAGENET1K_V1")
EfficientNet_B1_Weights = weights_enum("EfficientNet_B1_Weights", 7794184, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
EfficientNet_B2_Weights = weights_enum("EfficientNet_B2_Weights", 9109994, "IMAGENET1K_V1")
EfficientNet_B3_Weights = weights_enum("EfficientNet_B3_Weights", 12233232, "IMAGENET1K_V1")
EfficientNet_B4_Weights = weights_enum("EfficientNet_B4_Weights", 19341616, "IMAGENET1K_V1")
EfficientNet_B5_Weights = weights_enum("EfficientNet_B5_Weights", 30389784, "IMAGENET1K_V1")
EfficientNet_B6_Weights = weights_enum("EfficientNet_B6_Weights", 43040704, "IMAGENET1K_V1")
EfficientNet_B7_Weights = weights_enum("EfficientNet_B7_Weights", 66347960, "IMAGENET1K_V1")
EfficientNet_V2_S_Weights = weights_enum("EfficientNet_V2_S_Weights", 21458488, "IMAGENET1K_V1")
EfficientNet_V2_M_Weights = weights_enum("EfficientNet_V2_M_Weights", 54139356, "IMAGENET1K_V1")
EfficientNet_V2_L_Weights = weights_enum("EfficientNet_V2_L_Weights", 118515272, "IMAGENET1K_V1")


def _b(arch: str, width_mult: float, depth_mult: float, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> EfficientNet:
    setting, last_channel = _efficientnet_conf(arch, width_mult=width_mult, depth_mult=depth_mult)
    return _efficientnet(setting, kwargs.pop("dropout"), last_channel, weights, progress, **kwargs)


def _v2(arch: str, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> EfficientNet:
    setting, last_channel = _efficientnet_conf(arch)
    return _efficientnet(setting, kwargs.pop("dropout"), last_channel, weights, progress, **kwargs)


# b5-b7 and V2 were trained with TensorFlow's batch norm settings.
_TF_B_NORM = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
_TF_V2_NORM = partial(nn.BatchNorm2d, eps=1e-03)

# b0..b7 scale b0 by a width and a depth multiplier; `dropout` (and `norm_layer`) are defaults a
# caller may override.
efficientnet_b0 = _make_builder("efficientnet_b0", EfficientNet_B0_Weights, _b, "efficientnet_b0", 1.0, 1.0, dropout=0.2)
efficientnet_b1 = _make_builder("efficientnet_b1", EfficientNet_B1_Weights, _b, "efficientnet_b1", 1.0, 1.1, dropout=0.2)
efficientnet_b2 = _make_builder("efficientnet_b2", EfficientNet_B2_Weights, _b, "efficientnet_b2", 1.1, 1.2, dropout=0.3)
efficientnet_b3 = _make_builder("efficientnet_b3", EfficientNet_B3_Weights, _b, "efficientnet_b3", 1.2, 1.4, dropout=0.3)
efficientnet_b4 = _make_builder("efficientnet_b4", EfficientNet_B4_Weights, _b, "efficientnet_b4", 1.4, 1.8, dropout=0.4)
efficientnet_b5 = _make_builder("efficientnet_b5", EfficientNet_B5_Weights, _b, "efficientnet_b5", 1.6, 2.2, dropout=0.4, norm_layer=_TF_B_NORM)
efficientnet_b6 = _make_builder("efficientnet_b6", EfficientNet_B6_Weights, _b, "efficientnet_b6", 1.8, 2.6, dropout=0.5, norm_layer=_TF_B_NORM)
efficientnet_b7 = _make_builder("efficientnet_b7", EfficientNet_B7_Weights, _b, "efficientnet_b7", 2.0, 3.1, dropout=0.5, norm_layer=_TF_B_NORM)
efficientnet_v2_s = _make_builder("efficientnet_v2_s", EfficientNet_V2_S_Weights, _v2, "efficientnet_v2_s", dropout=0.2, norm_layer=_TF_V2_NORM)
efficientnet_v2_m = _make_builder("efficientnet_v2_m", EfficientNet_V2_M_Weights, _v2, "efficientnet_v2_m", dropout=0.3, norm_layer=_TF_V2_NORM)
efficientnet_v2_l = _make_builder("efficientnet_v2_l", EfficientNet_V2_L_Weights, _v2, "efficientnet_v2_l", dropout=0.4, norm_layer=_TF_V2_NORM)
