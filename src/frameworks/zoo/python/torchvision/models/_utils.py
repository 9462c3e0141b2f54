# Helpers shared by the model files.
import functools
from typing import Any, Callable, Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._api import register_model


def _make_divisible(v: float, divisor: int, min_value: Optional[int] = None) -> int:
    """Rounds a channel count to a multiple of `divisor` (MobileNet's rule): to the nearest one,
    at least `min_value`, and one step up when rounding lost more than 10%."""
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * v:
        rounded += divisor
    return rounded


def _ovewrite_named_param(kwargs: Dict[str, Any], param: str, new_value: Any) -> None:
    """Fixes a constructor argument a builder implies, refusing a different value from the caller."""
    if param in kwargs and kwargs[param] != new_value:
        raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    kwargs[param] = new_value


def legacy_builder(builder: Callable[..., Any]) -> Callable[..., Any]:
    """Lets a builder take what torchvision accepted before 0.13: `pretrained=...`, and `weights`
    and `progress` given by position (a positional bool meant `pretrained`). Weights change no
    shape here, so they are dropped."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("pretrained", None)
        for name, value in zip(("weights", "progress"), args):
            kwargs[name] = value
        kwargs["weights"] = None
        return builder(**kwargs)

    return build


def legacy_builder_keeping_weights(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """legacy_builder for the builders whose pretrained weights change the model (GoogLeNet and
    Inception v3 drop their auxiliary classifiers, a ViT takes the weights' input size): `weights`
    is passed on, and `pretrained=True` (or a positional True) means `default`."""

    def decorate(builder: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(builder)
        def build(*args: Any, **kwargs: Any) -> Any:
            pretrained = kwargs.pop("pretrained", False)
            for name, value in zip(("weights", "progress"), args):
                kwargs[name] = value
            if isinstance(kwargs.get("weights"), bool):
                pretrained = kwargs.pop("weights")
            if pretrained:
                kwargs["weights"] = default
            return builder(**kwargs)

        return build

    return decorate


def _make_builder(
    name: str,
    weights_enum: Any,
    build: Callable[..., Any],
    *args: Any,
    implied: Optional[Dict[str, Any]] = None,
    keeps_weights: bool = False,
    **defaults: Any,
) -> Callable[..., Any]:
    """The builder of one model variant, `name(*, weights=None, progress=True, **kwargs)`, registered
    for get_model with its weights enum. It calls `build(*args, weights, progress, **kwargs)`:
    `defaults` are keyword arguments the caller may override, `implied` ones the variant fixes (a
    caller's different value is refused). Old-style calls are taken as legacy_builder does, or as
    legacy_builder_keeping_weights with the enum's DEFAULT when `keeps_weights`."""

    def builder(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> Any:
        for param, value in (implied or {}).items():
            _ovewrite_named_param(kwargs, param, value)
        return build(*args, weights_enum.verify(weights), progress, **{**defaults, **kwargs})

    builder.__name__ = name
    builder.__qualname__ = name
    legacy = legacy_builder_keeping_weights(weights_enum.DEFAULT) if keeps_weights else legacy_builder
    return register_model(name, weights_enum)(legacy(builder))


class BasicConv2d(nn.Module):
    """GoogLeNet's and Inception v3's convolution: no bias, then batch norm and ReLU."""

    def __init__(self, in_channels: int, out_channels: int, **kwargs: Any) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


def _transform_input(x: Tensor) -> Tensor:
    """Maps inputs normalised with ImageNet statistics to the [-1, 1] range GoogLeNet's and
    Inception v3's original weights were trained on, channel by channel."""
    x_ch0 = torch.unsqueeze(x[:, 0], 1) * (0.229 / 0.5) + (0.485 - 0.5) / 0.5
    x_ch1 = torch.unsqueeze(x[:, 1], 1) * (0.224 / 0.5) + (0.456 - 0.5) / 0.5
    x_ch2 = torch.unsqueeze(x[:, 2], 1) * (0.225 / 0.5) + (0.406 - 0.5) / 0.5
    return torch.cat((x_ch0, x_ch1, x_ch2), 1)


def _with_auxiliary_classifiers(
    model_class: Callable[..., nn.Module], aux_by_default: bool, aux_modules: Sequence[str], weights: Any, progress: bool, **kwargs: Any
) -> nn.Module:
    """Builds GoogLeNet or Inception v3, whose pretrained weights change the model: the pretrained
    model transforms its input and has 1000 classes, and keeps its auxiliary classifiers (the
    `aux_modules`) only when asked for with aux_logits=True, or by default when `aux_by_default`.
    Without weights the constructor's aux_logits=True default builds them."""
    keep_aux = kwargs.get("aux_logits", aux_by_default)
    if weights is not None:
        kwargs.setdefault("transform_input", True)
        kwargs["aux_logits"] = True
        kwargs.setdefault("init_weights", False)
        _ovewrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))
    model = model_class(**kwargs)
    if weights is not None and not keep_aux:
        model.aux_logits = False
        for name in aux_modules:
            setattr(model, name, None)
    return model
