# Helpers shared by the model files.
import functools
from typing import Any, Callable, Dict, Optional


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
