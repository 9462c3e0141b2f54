# VGG (Simonyan & Zisserman 2015): stacks of 3x3 convolutions between 2x2 max pools, then three
# fully connected layers on a 7x7x512 map. Configurations A, B, D and E are VGG-11, -13, -16 and
# -19; the _bn variants put batch norm after every convolution.
from typing import Any, Dict, List, Optional, Union

import torch
from torch import Tensor, nn

from ._api import Weights, WeightsEnum, register_model
from ._utils import legacy_builder

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


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 132863336)
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 132868840)
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 133047848)
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 133053736)
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 138357544)
    # Only the convolutions' weights (ported from the original Caffe model), for feature extraction.
    IMAGENET1K_FEATURES = Weights("IMAGENET1K_FEATURES", 138357544, categories=None)
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 138365992)
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 143667240)
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights("IMAGENET1K_V1", 143678248)
    DEFAULT = IMAGENET1K_V1


def _vgg(cfg: str, batch_norm: bool, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> VGG:
    return VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kwargs)


@register_model(weights=VGG11_Weights)
@legacy_builder
def vgg11(*, weights: Optional[VGG11_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("A", False, weights, progress, **kwargs)


@register_model(weights=VGG11_BN_Weights)
@legacy_builder
def vgg11_bn(*, weights: Optional[VGG11_BN_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("A", True, weights, progress, **kwargs)


@register_model(weights=VGG13_Weights)
@legacy_builder
def vgg13(*, weights: Optional[VGG13_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("B", False, weights, progress, **kwargs)


@register_model(weights=VGG13_BN_Weights)
@legacy_builder
def vgg13_bn(*, weights: Optional[VGG13_BN_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("B", True, weights, progress, **kwargs)


@register_model(weights=VGG16_Weights)
@legacy_builder
def vgg16(*, weights: Optional[VGG16_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("D", False, weights, progress, **kwargs)


@register_model(weights=VGG16_BN_Weights)
@legacy_builder
def vgg16_bn(*, weights: Optional[VGG16_BN_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("D", True, weights, progress, **kwargs)


@register_model(weights=VGG19_Weights)
@legacy_builder
def vgg19(*, weights: Optional[VGG19_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("E", False, weights, progress, **kwargs)


@register_model(weights=VGG19_BN_Weights)
@legacy_builder
def vgg19_bn(*, weights: Optional[VGG19_BN_Weights] = None, progress: bool = True, **kwargs: Any) -> VGG:
    return _vgg("E", True, weights, progress, **kwargs)
