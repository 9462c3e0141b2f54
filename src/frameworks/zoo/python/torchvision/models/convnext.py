# ConvNeXt (Liu et al. 2022): a ResNet modernised towards vision transformers. A 4x4/4 "patchify"
# stem, four stages (widths C, 2C, 4C, 8C) separated by LayerNorm + 2x2/2 convolutions, and blocks
# of a 7x7 depthwise convolution, LayerNorm, and an MLP (4x expansion, GELU) applied per position
# in channels-last layout. Each block's output is scaled per channel by a learned layer scale
# (initially 1e-6) before the residual add; stochastic depth drops blocks while training.
from functools import partial
from typing import Any, Callable, List, Optional, Sequence

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from ..ops.misc import Conv2dNormActivation, Permute
from ..ops.stochastic_depth import StochasticDepth
from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor at each position."""

    def forward(self, x: Tensor) -> Tensor:
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class CNBlock(nn.Module):
    def __init__(
        self, dim: int, layer_scale: float, stochastic_depth_prob: float, norm_layer: Optional[Callable[..., nn.Module]] = None
    ) -> None:
        super().__init__()
        if norm_layer is None:
            norm_layer = partial(nn.LayerNorm, eps=1e-6)
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]),
            norm_layer(dim),
            nn.Linear(in_features=dim, out_features=4 * dim, bias=True),
            nn.GELU(),
            nn.Linear(in_features=4 * dim, out_features=dim, bias=True),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * layer_scale)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")

    def forward(self, input: Tensor) -> Tensor:
        result = self.stochastic_depth(self.layer_scale * self.block(input))
        result += input
        return result


class CNBlockConfig:
    """One stage: its width, the width of the next stage (None after the last), its block count."""

    def __init__(self, input_channels: int, out_channels: Optional[int], num_layers: int) -> None:
        self.input_channels = input_channels
        self.out_channels = out_channels
        self.num_layers = num_layers

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(input_channels={self.input_channels}, out_channels={self.out_channels}, num_layers={self.num_layers})"


class ConvNeXt(nn.Module):
    def __init__(
        self,
        block_setting: List[CNBlockConfig],
        stochastic_depth_prob: float = 0.0,
        layer_scale: float = 1e-6,
        num_classes: int = 1000,
        block: Optional[Callable[..., nn.Module]] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if not block_setting:
            raise ValueError("The block_setting should not be empty")
        if not (isinstance(block_setting, Sequence) and all(isinstance(s, CNBlockConfig) for s in block_setting)):
            raise TypeError("The block_setting should be List[CNBlockConfig]")
        block = block or CNBlock
        norm_layer = norm_layer or partial(LayerNorm2d, eps=1e-6)
        first_width = block_setting[0].input_channels
        layers: List[nn.Module] = [
            Conv2dNormActivation(
                3, first_width, kernel_size=4, stride=4, padding=0, norm_layer=norm_layer, activation_layer=None, bias=True
            )
        ]
        total_blocks = sum(cnf.num_layers for cnf in block_setting)
        block_id = 0
        for cnf in block_setting:
            stage: List[nn.Module] = []
            for _ in range(cnf.num_layers):
                # The drop probability grows linearly from 0 to stochastic_depth_prob at the last block.
                sd_prob = stochastic_depth_prob * block_id / (total_blocks - 1.0)
                stage.append(block(cnf.input_channels, layer_scale, sd_prob))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if cnf.out_channels is not None:
                layers.append(
                    nn.Sequential(norm_layer(cnf.input_channels), nn.Conv2d(cnf.input_channels, cnf.out_channels, kernel_size=2, stride=2))
                )
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        last = block_setting[-1]
        last_width = last.out_channels if last.out_channels is not None else last.input_channels
        self.classifier = nn.Sequential(norm_layer(last_width), nn.Flatten(1), nn.Linear(last_width, num_classes))

    def _forward_impl(self, x: Tensor) -> Tensor:
        return self.classifier(self.avgpool(self.features(x)))

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)


def _convnext(widths: List[int], depths: List[int], weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> ConvNeXt:
    """The stages of the given widths and block counts; each stage but the last ends in a
    downsampling layer to the next stage's width."""
    following: List[Optional[int]] = [*widths[1:], None]
    return ConvNeXt([CNBlockConfig(w, nxt, d) for w, nxt, d in zip(widths, following, depths)], **kwargs)


ConvNeXt_Tiny_Weights = weights_enum("ConvNeXt_Tiny_Weights", 28589128, "IMAGENET1K_V1")
ConvNeXt_Small_Weights = weights_enum("ConvNeXt_Small_Weights", 50223688, "IMAGENET1K_V1")
ConvNeXt_Base_Weights = weights_enum("ConvNeXt_Base_Weights", 88591464, "IMAGENET1K_V1")
ConvNeXt_Large_Weights = weights_enum("ConvNeXt_Large_Weights", 197767336, "IMAGENET1K_V1")

# Per variant: stage widths, blocks per stage, and the stochastic depth a caller may override.
convnext_tiny = _make_builder("convnext_tiny", ConvNeXt_Tiny_Weights, _convnext, [96, 192, 384, 768], [3, 3, 9, 3], stochastic_depth_prob=0.1)
convnext_small = _make_builder(
    "convnext_small", ConvNeXt_Small_Weights, _convnext, [96, 192, 384, 768], [3, 3, 27, 3], stochastic_depth_prob=0.4
)
convnext_base = _make_builder(
    "convnext_base", ConvNeXt_Base_Weights, _convnext, [128, 256, 512, 1024], [3, 3, 27, 3], stochastic_depth_prob=0.5
)
convnext_large = _make_builder(
    "convnext_large", ConvNeXt_Large_Weights, _convnext, [192, 384, 768, 1536], [3, 3, 27, 3], stochastic_depth_prob=0.5
)
