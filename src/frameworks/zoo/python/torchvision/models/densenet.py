# DenseNet (Huang et al. 2017): inside a dense block every layer (BN-ReLU-1x1 conv to
# bn_size * growth_rate, BN-ReLU-3x3 conv to growth_rate) sees the concatenation of all earlier
# feature maps; transitions between blocks halve the width with a 1x1 conv and the size with a
# 2x2 average pool.
from collections import OrderedDict
from typing import Any, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


class _DenseLayer(nn.Module):
    def __init__(
        self, num_input_features: int, growth_rate: int, bn_size: int, drop_rate: float, memory_efficient: bool = False
    ) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)
        self.drop_rate = float(drop_rate)
        self.memory_efficient = memory_efficient

    def bn_function(self, inputs: List[Tensor]) -> Tensor:
        return self.conv1(self.relu1(self.norm1(torch.cat(inputs, 1))))

    def forward(self, input: Any) -> Tensor:
        inputs = [input] if isinstance(input, Tensor) else input
        new_features = self.conv2(self.relu2(self.norm2(self.bn_function(inputs))))
        if self.drop_rate > 0:
            new_features = F.dropout(new_features, p=self.drop_rate, training=self.training)
        return new_features


class _DenseBlock(nn.ModuleDict):
    def __init__(
        self,
        num_layers: int,
        num_input_features: int,
        bn_size: int,
        growth_rate: int,
        drop_rate: float,
        memory_efficient: bool = False,
    ) -> None:
        super().__init__()
        for i in range(num_layers):
            layer = _DenseLayer(num_input_features + i * growth_rate, growth_rate, bn_size, drop_rate, memory_efficient)
            self.add_module("denselayer%d" % (i + 1), layer)

    def forward(self, init_features: Tensor) -> Tensor:
        features = [init_features]
        for _, layer in self.items():
            features.append(layer(features))
        return torch.cat(features, 1)


class _Transition(nn.Sequential):
    def __init__(self, num_input_features: int, num_output_features: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(num_input_features)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class DenseNet(nn.Module):
    def __init__(
        self,
        growth_rate: int = 32,
        block_config: Tuple[int, int, int, int] = (6, 12, 24, 16),
        num_init_features: int = 64,
        bn_size: int = 4,
        drop_rate: float = 0,
        num_classes: int = 1000,
        memory_efficient: bool = False,
    ) -> None:
        super().__init__()
        self.features = nn.Sequential(
            OrderedDict(
                [
                    ("conv0", nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3, bias=False)),
                    ("norm0", nn.BatchNorm2d(num_init_features)),
                    ("relu0", nn.ReLU(inplace=True)),
                    ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
                ]
            )
        )
        width = num_init_features
        for i, num_layers in enumerate(block_config):
            block = _DenseBlock(num_layers, width, bn_size, growth_rate, drop_rate, memory_efficient)
            self.features.add_module("denseblock%d" % (i + 1), block)
            width += num_layers * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module("transition%d" % (i + 1), _Transition(width, width // 2))
                width = width // 2
        self.features.add_module("norm5", nn.BatchNorm2d(width))
        self.classifier = nn.Linear(width, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.features(x), inplace=True)
        out = torch.flatten(F.adaptive_avg_pool2d(out, (1, 1)), 1)
        return self.classifier(out)


DenseNet121_Weights = weights_enum("DenseNet121_Weights", 7978856, "IMAGENET1K_V1")
DenseNet161_Weights = weights_enum("DenseNet161_Weights", 28681000, "IMAGENET1K_V1")
DenseNet169_Weights = weights_enum("DenseNet169_Weights", 14149480, "IMAGENET1K_V1")
DenseNet201_Weights = weights_enum("DenseNet201_Weights", 20013928, "IMAGENET1K_V1")


def _densenet(
    growth_rate: int, block_config: Tuple[int, int, int, int], num_init_features: int, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any
) -> DenseNet:
    return DenseNet(growth_rate, block_config, num_init_features, **kwargs)


# Per variant: growth rate, layers per dense block, stem width.
densenet121 = _make_builder("densenet121", DenseNet121_Weights, _densenet, 32, (6, 12, 24, 16), 64)
densenet161 = _make_builder("densenet161", DenseNet161_Weights, _densenet, 48, (6, 12, 36, 24), 96)
densenet169 = _make_builder("densenet169", DenseNet169_Weights, _densenet, 32, (6, 12, 32, 32), 64)
densenet201 = _make_builder("densenet201", DenseNet201_Weights, _densenet, 32, (6, 12, 48, 32), 64)
