# Vision Transformer (Dosovitskiy et al. 2021): the image is cut into patch_size x patch_size
# patches, each projected linearly (a strided convolution) to a token; a learned class token is
# prepended and learned position embeddings added; a stack of pre-norm Transformer encoder blocks
# (multi-head self-attention, then an MLP with GELU, each around a residual add) follows, and
# the class token's final state is classified. The position embeddings fix the input size.
from collections import OrderedDict
from functools import partial
from typing import Any, Callable, List, NamedTuple, Optional

import torch
from torch import Tensor, nn

from ..ops.misc import MLP, Conv2dNormActivation
from ._api import Weights, WeightsEnum, weights_enum
from ._utils import _make_builder, _ovewrite_named_param


class ConvStemConfig(NamedTuple):
    out_channels: int
    kernel_size: int
    stride: int
    norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d
    activation_layer: Callable[..., nn.Module] = nn.ReLU


class MLPBlock(MLP):
    """The encoder block's MLP: widen to mlp_dim, GELU, back to the model width, with dropout."""

    _version = 2

    def __init__(self, in_dim: int, mlp_dim: int, dropout: float) -> None:
        super().__init__(in_dim, [mlp_dim, in_dim], activation_layer=nn.GELU, inplace=None, dropout=dropout)


class EncoderBlock(nn.Module):
    """Pre-norm Transformer encoder block: x + attention(LN(x)), then y + MLP(LN(y))."""

    def __init__(
        self,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float,
        attention_dropout: float,
        norm_layer: Callable[..., torch.nn.Module] = partial(nn.LayerNorm, eps=1e-6),
    ) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.ln_1 = norm_layer(hidden_dim)
        self.self_attention = nn.MultiheadAttention(hidden_dim, num_heads, dropout=attention_dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.ln_2 = norm_layer(hidden_dim)
        self.mlp = MLPBlock(hidden_dim, mlp_dim, dropout)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() != 3:
            raise ValueError(f"Expected (batch_size, seq_length, hidden_dim) got {input.shape}")
        x = self.ln_1(input)
        x, _ = self.self_attention(x, x, x, need_weights=False)
        x = self.dropout(x) + input
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    """Adds the position embeddings, runs the blocks, normalises the result."""

    def __init__(
        self,
        seq_length: int,
        num_layers: int,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float,
        attention_dropout: float,
        norm_layer: Callable[..., torch.nn.Module] = partial(nn.LayerNorm, eps=1e-6),
    ) -> None:
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.empty(1, seq_length, hidden_dim).normal_(std=0.02))
        self.dropout = nn.Dropout(dropout)
        layers: OrderedDict = OrderedDict()
        for i in range(num_layers):
            layers[f"encoder_layer_{i}"] = EncoderBlock(num_heads, hidden_dim, mlp_dim, dropout, attention_dropout, norm_layer)
        self.layers = nn.Sequential(layers)
        self.ln = norm_layer(hidden_dim)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() != 3:
            raise ValueError(f"Expected (batch_size, seq_length, hidden_dim) got {input.shape}")
        return self.ln(self.layers(self.dropout(input + self.pos_embedding)))


class VisionTransformer(nn.Module):
    def __init__(
        self,
        image_size: int,
        patch_size: int,
        num_layers: int,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        num_classes: int = 1000,
        representation_size: Optional[int] = None,
        norm_layer: Callable[..., torch.nn.Module] = partial(nn.LayerNorm, eps=1e-6),
        conv_stem_configs: Optional[List[ConvStemConfig]] = None,
    ) -> None:
        super().__init__()
        if image_size % patch_size != 0:
            raise ValueError("Input shape indivisible by patch size!")
        self.image_size = image_size
        self.patch_size = patch_size
        self.hidden_dim = hidden_dim
        self.mlp_dim = mlp_dim
        self.attention_dropout = attention_dropout
        self.dropout = dropout
        self.num_classes = num_classes
        self.representation_size = representation_size
        self.norm_layer = norm_layer
        if conv_stem_configs is not None:
            # A convolutional stem (Xiao et al. 2021) in place of the patch projection.
            stem = nn.Sequential()
            width = 3
            for i, cfg in enumerate(conv_stem_configs):
                stem.add_module(
                    f"conv_bn_relu_{i}",
                    Conv2dNormActivation(
                        width, cfg.out_channels, kernel_size=cfg.kernel_size, stride=cfg.stride,
                        norm_layer=cfg.norm_layer, activation_layer=cfg.activation_layer,
                    ),
                )
                width = cfg.out_channels
            stem.add_module("conv_last", nn.Conv2d(width, hidden_dim, kernel_size=1))
            self.conv_proj: nn.Module = stem
        else:
            self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
        # One token per patch, and the class token.
        seq_length = (image_size // patch_size) ** 2 + 1
        self.class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))
        self.encoder = Encoder(seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout, norm_layer)
        self.seq_length = seq_length
        heads: OrderedDict = OrderedDict()
        if representation_size is None:
            heads["head"] = nn.Linear(hidden_dim, num_classes)
        else:
            heads["pre_logits"] = nn.Linear(hidden_dim, representation_size)
            heads["act"] = nn.Tanh()
            heads["head"] = nn.Linear(representation_size, num_classes)
        self.heads = nn.Sequential(heads)

    def _process_input(self, x: Tensor) -> Tensor:
        """(n, 3, h, w) images to (n, patches, hidden_dim) tokens."""
        n, c, h, w = x.shape
        p = self.patch_size
        if h != self.image_size or w != self.image_size:
            raise ValueError(f"Wrong image size! Expected {self.image_size} but got {h} x {w}")
        x = self.conv_proj(x)
        x = x.reshape(n, self.hidden_dim, (h // p) * (w // p))
        return x.permute(0, 2, 1)

    def forward(self, x: Tensor) -> Tensor:
        x = self._process_input(x)
        batch_class_token = self.class_token.expand(x.shape[0], -1, -1)
        x = self.encoder(torch.cat([batch_class_token, x], dim=1))
        return self.heads(x[:, 0])


def _swag_e2e(num_params: int, size: int) -> Weights:
    """SWAG weights fine-tuned end to end at a larger size (the SWAG_LINEAR ones, a linear probe on
    the frozen trunk, take 224)."""
    return Weights("IMAGENET1K_SWAG_E2E_V1", num_params, min_size=(size, size))


_V1, _SWAG_LINEAR, _224 = "IMAGENET1K_V1", "IMAGENET1K_SWAG_LINEAR_V1", (224, 224)
ViT_B_16_Weights = weights_enum("ViT_B_16_Weights", 86567656, _V1, _swag_e2e(86859496, 384), _SWAG_LINEAR, min_size=_224)
ViT_B_32_Weights = weights_enum("ViT_B_32_Weights", 88224232, _V1, min_size=_224)
ViT_L_16_Weights = weights_enum("ViT_L_16_Weights", 304326632, _V1, _swag_e2e(305174504, 512), _SWAG_LINEAR, min_size=_224)
ViT_L_32_Weights = weights_enum("ViT_L_32_Weights", 306535400, _V1, min_size=_224)
ViT_H_14_Weights = weights_enum("ViT_H_14_Weights", 632045800, _swag_e2e(633470440, 518), _SWAG_LINEAR, min_size=_224)


def _vision_transformer(
    patch_size: int, num_layers: int, num_heads: int, hidden_dim: int, mlp_dim: int, weights: Optional[WeightsEnum], progress: bool, **kwargs: Any
) -> VisionTransformer:
    # Pretrained weights fix the class count and the input size (their position embeddings).
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))
        _ovewrite_named_param(kwargs, "image_size", weights.meta["min_size"][0])
    image_size = kwargs.pop("image_size", 224)
    return VisionTransformer(image_size, patch_size, num_layers, num_heads, hidden_dim, mlp_dim, **kwargs)


# Per variant: patch size, encoder blocks, attention heads, model width, MLP width. Pretrained
# weights build the model they fit, so the weights are kept.
vit_b_16 = _make_builder("vit_b_16", ViT_B_16_Weights, _vision_transformer, 16, 12, 12, 768, 3072, keeps_weights=True)
vit_b_32 = _make_builder("vit_b_32", ViT_B_32_Weights, _vision_transformer, 32, 12, 12, 768, 3072, keeps_weights=True)
vit_l_16 = _make_builder("vit_l_16", ViT_L_16_Weights, _vision_transformer, 16, 24, 16, 1024, 4096, keeps_weights=True)
vit_l_32 = _make_builder("vit_l_32", ViT_L_32_Weights, _vision_transformer, 32, 24, 16, 1024, 4096, keeps_weights=True)
vit_h_14 = _make_builder("vit_h_14", ViT_H_14_Weights, _vision_transformer, 14, 32, 16, 1280, 5120, keeps_weights=True)
