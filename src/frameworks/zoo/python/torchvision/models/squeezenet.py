# SqueezeNet (Iandola et al. 2016): Fire modules squeeze the width with 1x1 convolutions, then
# expand it with parallel 1x1 and 3x3 convolutions whose outputs are concatenated. The classifier
# is a 1x1 convolution to one map per class, averaged. Version 1_1 has a 3x3 stem and pools
# earlier: the same accuracy for 2.4x fewer operations.
from typing import Any, List, Optional

import torch
from torch import Tensor, nn

from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


class Fire(nn.Module):
    def __init__(self, inplanes: int, squeeze_planes: int, expand1x1_planes: int, expand3x3_planes: int) -> None:
        super().__init__()
        self.inplanes = inplanes
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        s = self.squeeze_activation(self.squeeze(x))
        wide = self.expand1x1_activation(self.expand1x1(s))
        spatial = self.expand3x3_activation(self.expand3x3(s))
        return torch.cat([wide, spatial], 1)


# Per version: the stem convolution's width and kernel, then what follows its ReLU: "M" a max pool,
# (squeeze, expand) a Fire module that squeezes to `squeeze` and expands to `expand` twice (1x1, 3x3).
_FEATURES = {
    "1_0": (96, 7, ["M", (16, 64), (16, 64), (32, 128), "M", (32, 128), (48, 192), (48, 192), (64, 256), "M", (64, 256)]),
    "1_1": (64, 3, ["M", (16, 64), (16, 64), "M", (32, 128), (32, 128), "M", (48, 192), (48, 192), (64, 256), (64, 256)]),
}


class SqueezeNet(nn.Module):
    def __init__(self, version: str = "1_0", num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.num_classes = num_classes
        if version not in _FEATURES:
            raise ValueError(f"Unsupported SqueezeNet version {version}: 1_0 or 1_1 expected")
        width, kernel, cfg = _FEATURES[version]
        layers: List[nn.Module] = [nn.Conv2d(3, width, kernel_size=kernel, stride=2), nn.ReLU(inplace=True)]
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True))
            else:
                squeeze, expand = v
                layers.append(Fire(width, squeeze, expand, expand))
                width = 2 * expand
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Conv2d(512, self.num_classes, kernel_size=1),
            nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1)),
        )

    def forward(self, x: Tensor) -> Tensor:
        return torch.flatten(self.classifier(self.features(x)), 1)


SqueezeNet1_0_Weights = weights_enum("SqueezeNet1_0_Weights", 1248424, "IMAGENET1K_V1")
SqueezeNet1_1_Weights = weights_enum("SqueezeNet1_1_Weights", 1235496, "IMAGENET1K_V1")


def _squeezenet(version: str, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> SqueezeNet:
    return SqueezeNet(version, **kwargs)


squeezenet1_0 = _make_builder("squeezenet1_0", SqueezeNet1_0_Weights, _squeezenet, "1_0")
squeezenet1_1 = _make_builder("squeezenet1_1", SqueezeNet1_1_Weights, _squeezenet, "1_1")
