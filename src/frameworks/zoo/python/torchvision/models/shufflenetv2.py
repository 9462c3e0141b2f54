# ShuffleNet V2 (Ma et al. 2018): each unit splits its channels in two, transforms one half
# (1x1 conv, depthwise 3x3, 1x1 conv) and concatenates it with the untouched half, then shuffles
# the channels so the halves mix in the next unit. A downsampling unit sends the whole input down
# both branches, each strided, and so doubles the width.
from typing import Any, Callable, List, Optional

import torch
from torch import Tensor, nn

from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


def channel_shuffle(x: Tensor, groups: int) -> Tensor:
    """Interleaves the channels of `groups` groups: view them as (groups, per_group), transpose."""
    batch, channels, height, width = x.size()
    x = x.view(batch, groups, channels // groups, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batch, -1, height, width)


class InvertedResidual(nn.Module):
    def __init__(self, inp: int, oup: int, stride: int) -> None:
        super().__init__()
        if not (1 <= stride <= 3):
            raise ValueError("illegal stride value")
        self.stride = stride
        branch_features = oup // 2
        if stride == 1 and inp != branch_features << 1:
            raise ValueError(f"Invalid combination of stride {stride}, inp {inp} and oup {oup} values. If stride == 1 then inp should be equal to oup // 2 << 1.")
        if stride > 1:
            self.branch1 = nn.Sequential(
                self.depthwise_conv(inp, inp, kernel_size=3, stride=stride, padding=1),
                nn.BatchNorm2d(inp),
                nn.Conv2d(inp, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True),
            )
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(inp if stride > 1 else branch_features, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True),
            self.depthwise_conv(branch_features, branch_features, kernel_size=3, stride=stride, padding=1),
            nn.BatchNorm2d(branch_features),
            nn.Conv2d(branch_features, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True),
        )

    @staticmethod
    def depthwise_conv(i: int, o: int, kernel_size: int, stride: int = 1, padding: int = 0, bias: bool = False) -> nn.Conv2d:
        return nn.Conv2d(i, o, kernel_size, stride, padding, bias=bias, groups=i)

    def forward(self, x: Tensor) -> Tensor:
        if self.stride == 1:
            kept, transformed = x.chunk(2, dim=1)
            out = torch.cat((kept, self.branch2(transformed)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


class ShuffleNetV2(nn.Module):
    """A strided 3x3 stem and max pool, three stages (stage2-stage4) of units at the given widths,
    a 1x1 conv to the head width, a global mean and a linear classifier."""

    def __init__(
        self,
        stages_repeats: List[int],
        stages_out_channels: List[int],
        num_classes: int = 1000,
        inverted_residual: Callable[..., nn.Module] = InvertedResidual,
    ) -> None:
        super().__init__()
        if len(stages_repeats) != 3:
            raise ValueError("expected stages_repeats as list of 3 positive ints")
        if len(stages_out_channels) != 5:
            raise ValueError("expected stages_out_channels as list of 5 positive ints")
        self._stage_out_channels = stages_out_channels
        input_channels = 3
        output_channels = stages_out_channels[0]
        self.conv1 = nn.Sequential(
            nn.Conv2d(input_channels, output_channels, 3, 2, 1, bias=False),
            nn.BatchNorm2d(output_channels),
            nn.ReLU(inplace=True),
        )
        input_channels = output_channels
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for name, repeats, output_channels in zip(["stage2", "stage3", "stage4"], stages_repeats, stages_out_channels[1:]):
            units = [inverted_residual(input_channels, output_channels, 2)]
            for _ in range(repeats - 1):
                units.append(inverted_residual(output_channels, output_channels, 1))
            setattr(self, name, nn.Sequential(*units))
            input_channels = output_channels
        output_channels = stages_out_channels[-1]
        self.conv5 = nn.Sequential(
            nn.Conv2d(input_channels, output_channels, 1, 1, 0, bias=False),
            nn.BatchNorm2d(output_channels),
            nn.ReLU(inplace=True),
        )
        self.fc = nn.Linear(output_channels, num_classes)

    def _forward_impl(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.conv1(x))
        x = self.stage2(x)
        x = self.stage3(x)
        x = self.stage4(x)
        x = self.conv5(x)
        return self.fc(x.mean([2, 3]))

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)


ShuffleNet_V2_X0_5_Weights = weights_enum("ShuffleNet_V2_X0_5_Weights", 1366792, "IMAGENET1K_V1")
ShuffleNet_V2_X1_0_Weights = weights_enum("ShuffleNet_V2_X1_0_Weights", 2278604, "IMAGENET1K_V1")
ShuffleNet_V2_X1_5_Weights = weights_enum("ShuffleNet_V2_X1_5_Weights", 3503624, "IMAGENET1K_V1")
ShuffleNet_V2_X2_0_Weights = weights_enum("ShuffleNet_V2_X2_0_Weights", 7393996, "IMAGENET1K_V1")


def _shufflenetv2(
    stages_repeats: List[int], stages_out_channels: List[int], weights: Optional[WeightsEnum], progress: bool, **kwargs: Any
) -> ShuffleNetV2:
    return ShuffleNetV2(stages_repeats, stages_out_channels, **kwargs)


# Per variant: units per stage, and the widths of the stem, the three stages and the head.
shufflenet_v2_x0_5 = _make_builder("shufflenet_v2_x0_5", ShuffleNet_V2_X0_5_Weights, _shufflenetv2, [4, 8, 4], [24, 48, 96, 192, 1024])
shufflenet_v2_x1_0 = _make_builder("shufflenet_v2_x1_0", ShuffleNet_V2_X1_0_Weights, _shufflenetv2, [4, 8, 4], [24, 116, 232, 464, 1024])
shufflenet_v2_x1_5 = _make_builder("shufflenet_v2_x1_5", ShuffleNet_V2_X1_5_Weights, _shufflenetv2, [4, 8, 4], [24, 176, 352, 704, 1024])
shufflenet_v2_x2_0 = _make_builder("shufflenet_v2_x2_0", ShuffleNet_V2_X2_0_Weights, _shufflenetv2, [4, 8, 4], [24, 244, 488, 976, 2048])
