# AlexNet in the single-tower form of Krizhevsky's "One weird trick" paper (2014), as torchvision
# builds it: five convolutions, then three fully connected layers on a 6x6x256 map.
from typing import Any, Optional

import torch
from torch import Tensor, nn

from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


class AlexNet(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


AlexNet_Weights = weights_enum("AlexNet_Weights", 61100840, "IMAGENET1K_V1")


def _alexnet(weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> AlexNet:
    return AlexNet(**kwargs)


alexnet = _make_builder("alexnet", AlexNet_Weights, _alexnet)
