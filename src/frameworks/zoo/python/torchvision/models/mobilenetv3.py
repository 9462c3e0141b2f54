# MobileNetV3 (Howard et al. 2019): MobileNetV2's inverted residual blocks, found by architecture
# search, some with squeeze-and-excitation (hard-sigmoid gates) and hard-swish in place of ReLU in
# the later blocks. The head widens the last features 6x before pooling and classifies through one
# more hidden linear layer. "small" is the low-latency variant.
from functools import partial
from typing import Any, Callable, List, Optional, Tuple

import torch
from torch import Tensor, nn

from ..ops.misc import Conv2dNormActivation, SqueezeExcitation as SElayer
from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder, _make_divisible


class InvertedResidualConfig:
    """One block: kernel size, expanded and output widths (scaled by width_mult), whether it has
    squeeze-and-excitation, its activation ("RE" ReLU, "HS" hard-swish), stride and dilation."""

    def __init__(
        self,
        input_channels: int,
        kernel: int,
        expanded_channels: int,
        out_channels: int,
        use_se: bool,
        activation: str,
        stride: int,
        dilation: int,
        width_mult: float,
    ) -> None:
        self.input_channels = self.adjust_channels(input_channels, width_mult)
        self.kernel = kernel
        self.expanded_channels = self.adjust_channels(expanded_channels, width_mult)
        self.out_channels = self.adjust_channels(out_channels, width_mult)
        self.use_se = use_se
        self.use_hs = activation == "HS"
        self.stride = stride
        self.dilation = dilation

    @staticmethod
    def adjust_channels(channels: int, width_mult: float) -> int:
        return _make_divisible(channels * width_mult, 8)


class InvertedResidual(nn.Module):
    def __init__(
        self,
        cnf: InvertedResidualConfig,
        norm_layer: Callable[..., nn.Module],
        se_layer: Callable[..., nn.Module] = partial(SElayer, scale_activation=nn.Hardsigmoid),
    ) -> None:
        super().__init__()
        if not (1 <= cnf.stride <= 2):
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        activation_layer = nn.Hardswish if cnf.use_hs else nn.ReLU
        layers: List[nn.Module] = []
        if cnf.expanded_channels != cnf.input_channels:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels, cnf.expanded_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=activation_layer
                )
            )
        # A dilated block keeps its size: dilation replaces the stride.
        stride = 1 if cnf.dilation > 1 else cnf.stride
        layers.append(
            Conv2dNormActivation(
                cnf.expanded_channels,
                cnf.expanded_channels,
                kernel_size=cnf.kernel,
                stride=stride,
                dilation=cnf.dilation,
                groups=cnf.expanded_channels,
                norm_layer=norm_layer,
                activation_layer=activation_layer,
            )
        )
        if cnf.use_se:
            layers.append(se_layer(cnf.expanded_channels, _make_divisible(cnf.expanded_channels // 4, 8)))
        layers.append(
            Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=None)
        )
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels
        self._is_cn = cnf.stride > 1

    def forward(self, input: Tensor) -> Tensor:
        result = self.block(input)
        if self.use_res_connect:
            result += input
        return result


class MobileNetV3(nn.Module):
    def __init__(
        self,
        inverted_residual_setting: List[InvertedResidualConfig],
        last_channel: int,
        num_classes: int = 1000,
        block: Optional[Callable[..., nn.Module]] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        dropout: float = 0.2,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        if not all(isinstance(s, InvertedResidualConfig) for s in inverted_residual_setting):
            raise TypeError("The inverted_residual_setting should be List[InvertedResidualConfig]")
        block = block or InvertedResidual
        norm_layer = norm_layer or partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        first_width = inverted_residual_setting[0].input_channels
        layers: List[nn.Module] = [
            Conv2dNormActivation(3, first_width, kernel_size=3, stride=2, norm_layer=norm_layer, activation_layer=nn.Hardswish)
        ]
        for cnf in inverted_residual_setting:
            layers.append(block(cnf, norm_layer))
        last_in = inverted_residual_setting[-1].out_channels
        last_out = 6 * last_in
        layers.append(Conv2dNormActivation(last_in, last_out, kernel_size=1, norm_layer=norm_layer, activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(last_out, last_channel),
            nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(last_channel, num_classes),
        )

    def _forward_impl(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)


# Per network: its blocks before the last stage (input, kernel, expanded, output, SE, activation,
# stride); the last stage's input, first expanded, output and later expanded widths (three blocks
# of 5x5 kernels with SE and hard-swish, the first strided); the width of the head's hidden layer.
_SETTINGS = {
    "mobilenet_v3_large": (
        [
            (16, 3, 16, 16, False, "RE", 1),
            (16, 3, 64, 24, False, "RE", 2),
            (24, 3, 72, 24, False, "RE", 1),
            (24, 5, 72, 40, True, "RE", 2),
            (40, 5, 120, 40, True, "RE", 1),
            (40, 5, 120, 40, True, "RE", 1),
            (40, 3, 240, 80, False, "HS", 2),
            (80, 3, 200, 80, False, "HS", 1),
            (80, 3, 184, 80, False, "HS", 1),
            (80, 3, 184, 80, False, "HS", 1),
            (80, 3, 480, 112, True, "HS", 1),
            (112, 3, 672, 112, True, "HS", 1),
        ],
        (112, 672, 160, 960),
        1280,
    ),
    "mobilenet_v3_small": (
        [
            (16, 3, 16, 16, True, "RE", 2),
            (16, 3, 72, 24, False, "RE", 2),
            (24, 3, 88, 24, False, "RE", 1),
            (24, 5, 96, 40, True, "HS", 2),
            (40, 5, 240, 40, True, "HS", 1),
            (40, 5, 240, 40, True, "HS", 1),
            (40, 5, 120, 48, True, "HS", 1),
            (48, 5, 144, 48, True, "HS", 1),
        ],
        (48, 288, 96, 576),
        1024,
    ),
}


def _mobilenet_v3_conf(
    arch: str, width_mult: float = 1.0, reduced_tail: bool = False, dilated: bool = False, **kwargs: Any
) -> Tuple[List[InvertedResidualConfig], int]:
    """The block table of the paper's "large" or "small" network; `reduced_tail` halves the widths
    of the last stage (for detection backbones), `dilated` trades its stride for dilation 2."""
    if arch not in _SETTINGS:
        raise ValueError(f"Unsupported model type {arch}")
    blocks, (tail_in, first_expanded, tail_out, tail_expanded), head = _SETTINGS[arch]
    reduce = 2 if reduced_tail else 1
    dilation = 2 if dilated else 1
    bneck = partial(InvertedResidualConfig, width_mult=width_mult)
    setting = [bneck(*block, dilation=1) for block in blocks]
    out = tail_out // reduce
    setting.append(bneck(tail_in, 5, first_expanded, out, True, "HS", 2, dilation))
    for _ in range(2):
        setting.append(bneck(out, 5, tail_expanded // reduce, out, True, "HS", 1, dilation))
    return setting, InvertedResidualConfig.adjust_channels(head // reduce, width_mult)


def _mobilenet_v3(arch: str, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> MobileNetV3:
    setting, last_channel = _mobilenet_v3_conf(arch, **kwargs)
    return MobileNetV3(setting, last_channel, **kwargs)


MobileNet_V3_Large_Weights = weights_enum(
    "MobileNet_V3_Large_Weights", 5483032, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2"
)
MobileNet_V3_Small_Weights = weights_enum("MobileNet_V3_Small_Weights", 2542856, "IMAGENET1K_V1")

mobilenet_v3_large = _make_builder("mobilenet_v3_large", MobileNet_V3_Large_Weights, _mobilenet_v3, "mobilenet_v3_large")
mobilenet_v3_small = _make_builder("mobilenet_v3_small", MobileNet_V3_Small_Weights, _mobilenet_v3, "mobilenet_v3_small")
