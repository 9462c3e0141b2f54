# VGG (Simonyan & Zisserman 2015): stacks of 3x3 convolutions between 2x2 max pools, then three
# fully connected layers on a 7x7x512 map. Configurations A, B, D and E are VGG-11, -13, -16 and
# -19; the _bn variants put batch norm after every convolution.
from typing import Any, Dict, List, Optional, Union

import torch
from torch import Tensor, nn

from ._api import Weights, WeightsEnum, weights_enum
from ._utils import _make_builder

# Output widths of the convolutions, "M" a max pool.
cfgs: Dict[str, List[Union[str, int]]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def make_layers(cfg: List[Union[str, int]], batch_norm: bool = False) -> nn.Sequential:
    layers: List[nn.Module] = []
    channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    def __init__(self, features: nn.Module, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


VGG11_Weights = weights_enum("VGG11_Weights", 132863336, "IMAGENET1K_V1")
VGG11_BN_Weights = weights_enum("VGG11_BN_Weights", 132868840, "IMAGENET1K_V1")
VGG13_Weights = weights_enum("VGG13_Weights", 133047848, "IMAGENET1K_V1")
VGG13_BN_Weights = weights_enum("VGG13_BN_Weights", 133053736, "IMAGENET1K_V1")
# IMAGENET1K_FEATURES: only the convolutions' weights (ported from the original Caffe model), for
# feature extraction.
VGG16_Weights = weights_enum(
    "VGG16_Weights", 138357544, "IMAGENET1K_V1", Weights("IMAGENET1K_FEATURES", 138357544, categories=None)
)
VGG16_BN_Weights = weights_enum("VGG16_BN_Weights", 138365992, "IMAGENET1K_V1")
VGG19_Weights = weights_enum("VGG19_Weights", 143667240, "IMAGENET1K_V1")
VGG19_BN_Weights = weights_enum("VGG19_BN_Weights", 143678248, "IMAGENET1K_V1")


def _vgg(cfg: str, batch_norm: bool, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> VGG:
    return VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kwargs)


# Per variant: its configuration, and whether batch norm follows each convolution.
vgg11 = _make_builder("vgg11", VGG11_Weights, _vgg, "A", False)
vgg11_bn = _make_builder("vgg11_bn", VGG11_BN_Weights, _vgg, "A", True)
vgg13 = _make_builder("vgg13", VGG13_Weights, _vgg, "B", False)
vgg13_bn = _make_builder("vgg13_bn", VGG13_BN_Weights, _vgg, "B", True)
vgg16 = _make_builder("vgg16", VGG16_Weights, _vgg, "D", False)
vgg16_bn = _make_builder("vgg16_bn", VGG16_BN_Weights, _vgg, "D", True)
vgg19 = _make_builder("vgg19", VGG19_Weights, _vgg, "E", False)
vgg19_bn = _make_builder("vgg19_bn", VGG19_BN_Weights, _vgg, "E", True)
