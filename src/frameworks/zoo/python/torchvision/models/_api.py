# The model registry behind get_model / list_models, and pretrained-weight descriptors. Loading
# weights changes no shape, so a descriptor keeps only what model code reads from one.
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

BUILTIN_MODELS: Dict[str, Callable[..., Any]] = {}
_WEIGHTS_OF_MODEL: Dict[str, Any] = {}
_WEIGHTS_BY_ENUM_NAME: Dict[str, Any] = {}


class _Preprocess:
    """What `weights.transforms()` gives: the image pipeline, which we leave as the identity."""

    def __call__(self, img: Any) -> Any:
        return img


class _ImageNetCategories:
    """Stands for the 1000 ImageNet class names: code takes their count, or a name to print."""

    def __len__(self) -> int:
        return 1000

    def __getitem__(self, index: int) -> str:
        return f"ImageNet class {index}"


_IMAGENET_CATEGORIES = _ImageNetCategories()


class Weights:
    """One set of pretrained weights, a member of a `*_Weights` class (IMAGENET1K_V1, ...)."""

    def __init__(
        self, name: str, num_params: int, categories: Any = _IMAGENET_CATEGORIES, min_size: Tuple[int, int] = (1, 1)
    ) -> None:
        self.name = name
        self.value = self
        self.url = ""
        # min_size: the smallest input the weights take; a ViT is built for exactly that size.
        self.meta = {"num_params": num_params, "categories": categories, "min_size": min_size}

    def transforms(self, *args: Any, **kwargs: Any) -> _Preprocess:
        return _Preprocess()

    def get_state_dict(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        return {}


class WeightsEnum:
    """Base of the `*_Weights` classes, whose members are class attributes (DEFAULT is an alias)."""

    @classmethod
    def verify(cls, obj: Any) -> Any:
        if isinstance(obj, str):
            return getattr(cls, obj.split(".")[-1])
        return obj


def weights_enum(name: str, num_params: int, *versions: Union[str, Weights], default: Optional[str] = None, **meta: Any) -> Any:
    """The `*_Weights` class called `name`: a member per version, given by its name (weights for a
    model of `num_params` parameters, with `meta` such as min_size) or as a Weights of its own, and
    DEFAULT, the version named `default` or else the first."""

    class Enum(WeightsEnum):
        pass

    members = [Weights(v, num_params, **meta) if isinstance(v, str) else v for v in versions]
    for member in members:
        setattr(Enum, member.name, member)
    Enum.DEFAULT = getattr(Enum, default) if default is not None else members[0]
    Enum.__name__ = name
    Enum.__qualname__ = name
    return Enum


def register_model(name: Optional[str] = None, weights: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrapper(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name if name is not None else fn.__name__
        if key in BUILTIN_MODELS:
            raise ValueError(f"An entry is already registered under the name '{key}'.")
        BUILTIN_MODELS[key] = fn
        if weights is not None:
            _WEIGHTS_OF_MODEL[key] = weights
            _WEIGHTS_BY_ENUM_NAME[weights.__name__] = weights
        return fn

    return wrapper


def list_models(module: Any = None, include: Any = None, exclude: Any = None) -> List[str]:
    # Every builder here is a classification model; name filters are not applied.
    return sorted(BUILTIN_MODELS.keys())


def get_model_builder(name: str) -> Callable[..., Any]:
    name = name.lower()
    if name not in BUILTIN_MODELS:
        raise ValueError(f"Unknown model {name}")
    return BUILTIN_MODELS[name]


def get_model(name: str, **config: Any) -> Any:
    return get_model_builder(name)(**config)


def get_model_weights(name: Any) -> Any:
    key = name if isinstance(name, str) else name.__name__
    return _WEIGHTS_OF_MODEL[key.lower()]


def get_weight(name: str) -> Weights:
    enum_name, member = name.split(".")
    if enum_name not in _WEIGHTS_BY_ENUM_NAME:
        raise ValueError(f"The weight enum '{enum_name}' for the specific method couldn't be retrieved.")
    return getattr(_WEIGHTS_BY_ENUM_NAME[enum_name], member)
