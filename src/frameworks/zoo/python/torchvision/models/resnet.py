# Residual networks (He et al. 2016) in torchvision's layout, ResNet v1.5: a downsampling
# Bottleneck puts its stride on the 3x3 conv. ResNeXt (Xie et al. 2017) widens the 3x3 conv into
# groups; Wide ResNet (Zagoruyko & Komodakis 2016) doubles its width.
from typing import Any, Callable, List, Optional, Type, Union

import torch
from torch import Tensor, nn

from ._api import WeightsEnum, weights_enum
from ._utils import _make_builder


def conv3x3(in_planes: int, out_planes: int, stride: int = 1, groups: int = 1, dilation: int = 1) -> nn.Conv2d:
    """A 3x3 convolution that keeps the size at stride 1; batch norm follows, so no bias."""
    return nn.Conv2d(in_planes, out_planes, 3, stride=stride, padding=dilation, groups=groups, bias=False, dilation=dilation)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """A pointwise convolution: changes the width, and projects shortcuts."""
    return nn.Conv2d(in_planes, out_planes, 1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions around an identity (or projected) shortcut: ResNet-18 and -34."""

    expansion: int = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        groups: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        super().__init__()
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("Dilation > 1 not supported in BasicBlock")
        norm_layer = norm_layer or nn.BatchNorm2d
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += x if self.downsample is None else self.downsample(x)
        return self.relu(out)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (grouped for ResNeXt, strided when downsampling), 1x1 expand by 4."""

    expansion: int = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        groups: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += x if self.downsample is None else self.downsample(x)
        return self.relu(out)


class ResNet(nn.Module):
    """Stem (7x7/2 conv, 3x3/2 max pool), four stages of blocks at widths 64-512 (each later stage
    halves the size), global average pool, one linear classifier."""

    def __init__(
        self,
        block: Type[Union[BasicBlock, Bottleneck]],
        layers: List[int],
        num_classes: int = 1000,
        zero_init_residual: bool = False,
        groups: int = 1,
        width_per_group: int = 64,
        replace_stride_with_dilation: Optional[List[bool]] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
    ) -> None:
        super().__init__()
        if replace_stride_with_dilation is None:
            replace_stride_with_dilation = [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise ValueError(
                f"replace_stride_with_dilation should be None or a 3-element tuple, got {replace_stride_with_dilation}"
            )
        self._norm_layer = norm_layer or nn.BatchNorm2d
        self.inplanes = 64
        self.dilation = 1
        self.groups = groups
        self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2, dilate=replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2, dilate=replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2, dilate=replace_stride_with_dilation[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _make_layer(
        self,
        block: Type[Union[BasicBlock, Bottleneck]],
        planes: int,
        blocks: int,
        stride: int = 1,
        dilate: bool = False,
    ) -> nn.Sequential:
        """One stage: the first block changes size and width (through a projection shortcut when
        they change), the rest keep them. A dilated stage trades its stride for dilation."""
        norm_layer = self._norm_layer
        first_dilation = self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        out_planes = planes * block.expansion
        downsample = None
        if stride != 1 or self.inplanes != out_planes:
            downsample = nn.Sequential(conv1x1(self.inplanes, out_planes, stride), norm_layer(out_planes))
        stage = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width, first_dilation, norm_layer)]
        self.inplanes = out_planes
        for _ in range(1, blocks):
            stage.append(
                block(out_planes, planes, groups=self.groups, base_width=self.base_width, dilation=self.dilation, norm_layer=norm_layer)
            )
        return nn.Sequential(*stage)

    def _forward_impl(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)


ResNet18_Weights = weights_enum("ResNet18_Weights", 11689512, "IMAGENET1K_V1")
ResNet34_Weights = weights_enum("ResNet34_Weights", 21797672, "IMAGENET1K_V1")
ResNet50_Weights = weights_enum("ResNet50_Weights", 25557032, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
ResNet101_Weights = weights_enum("ResNet101_Weights", 44549160, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
ResNet152_Weights = weights_enum("ResNet152_Weights", 60192808, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
ResNeXt50_32X4D_Weights = weights_enum("ResNeXt50_32X4D_Weights", 25028904, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
ResNeXt101_32X8D_Weights = weights_enum("ResNeXt101_32X8D_Weights", 88791336, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
ResNeXt101_64X4D_Weights = weights_enum("ResNeXt101_64X4D_Weights", 83455272, "IMAGENET1K_V1")
Wide_ResNet50_2_Weights = weights_enum("Wide_ResNet50_2_Weights", 68883240, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")
Wide_ResNet101_2_Weights = weights_enum("Wide_ResNet101_2_Weights", 126886696, "IMAGENET1K_V1", "IMAGENET1K_V2", default="IMAGENET1K_V2")


def _resnet(block: Type[Union[BasicBlock, Bottleneck]], layers: List[int], weights: Optional[WeightsEnum], progress: bool, **kwargs: Any) -> ResNet:
    return ResNet(block, layers, **kwargs)


# Per variant: block, blocks per stage; ResNeXt fixes the groups of its 3x3 convolutions and their
# width, Wide ResNet doubles the width.
resnet18 = _make_builder("resnet18", ResNet18_Weights, _resnet, BasicBlock, [2, 2, 2, 2])
resnet34 = _make_builder("resnet34", ResNet34_Weights, _resnet, BasicBlock, [3, 4, 6, 3])
resnet50 = _make_builder("resnet50", ResNet50_Weights, _resnet, Bottleneck, [3, 4, 6, 3])
resnet101 = _make_builder("resnet101", ResNet101_Weights, _resnet, Bottleneck, [3, 4, 23, 3])
resnet152 = _make_builder("resnet152", ResNet152_Weights, _resnet, Bottleneck, [3, 8, 36, 3])
resnext50_32x4d = _make_builder(
    "resnext50_32x4d", ResNeXt50_32X4D_Weights, _resnet, Bottleneck, [3, 4, 6, 3], implied={"groups": 32, "width_per_group": 4}
)
resnext101_32x8d = _make_builder(
    "resnext101_32x8d", ResNeXt101_32X8D_Weights, _resnet, Bottleneck, [3, 4, 23, 3], implied={"groups": 32, "width_per_group": 8}
)
resnext101_64x4d = _make_builder(
    "resnext101_64x4d", ResNeXt101_64X4D_Weights, _resnet, Bottleneck, [3, 4, 23, 3], implied={"groups": 64, "width_per_group": 4}
)
wide_resnet50_2 = _make_builder("wide_resnet50_2", Wide_ResNet50_2_Weights, _resnet, Bottleneck, [3, 4, 6, 3], implied={"width_per_group": 128})
wide_resnet101_2 = _make_builder(
    "wide_resnet101_2", Wide_ResNet101_2_Weights, _resnet, Bottleneck, [3, 4, 23, 3], implied={"width_per_group": 128}
)
