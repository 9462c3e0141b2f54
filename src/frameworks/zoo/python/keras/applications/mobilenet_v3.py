# keras.applications.mobilenet_v3: MobileNetV3Large and MobileNetV3Small (Howard et al. 2019), built
# the way Keras builds them so layer names and count_params() match, for any width multiplier `alpha`
# and the "minimalistic" variants.
#
# MobileNetV2's inverted residual blocks, some with squeeze-and-excitation (gated by a hard sigmoid) and
# 5x5 depthwise kernels, activated by ReLU or hard-swish. The minimalistic variants drop SE, hard-swish
# and 5x5 kernels. The head pools first, then widens with a biased 1x1 conv and classifies with another.
# BatchNormalization uses epsilon 1e-3 and momentum 0.999. With `include_preprocessing` a Rescaling layer
# maps [0, 255] pixels to [-1, 1]. Without input_shape the spatial size stays open, head or not.
import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, image_input, pooling_layers, round_channels, spatial_size
from .imagenet_utils import correct_pad, decode_predictions

MIN_SIZE = 32

# The activations Keras applies through unnamed layers (their names are Keras's automatic ones).


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


def bn(name):
    return batch_norm(name, epsilon=1e-3, momentum=0.999)


# One row per block: (expansion, output channels at alpha 1, kernel, stride, squeeze-excite, activation).
# Kernel None is the family's (5, or 3 when minimalistic); activation "hs" is the family's (hard-swish,
# or ReLU when minimalistic); squeeze-excite is dropped when minimalistic.
SMALL_BLOCKS = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, None, 2, True, "hs"),
    (6, 40, None, 1, True, "hs"),
    (6, 40, None, 1, True, "hs"),
    (3, 48, None, 1, True, "hs"),
    (3, 48, None, 1, True, "hs"),
    (6, 96, None, 2, True, "hs"),
    (6, 96, None, 1, True, "hs"),
    (6, 96, None, 1, True, "hs"),
)

LARGE_BLOCKS = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, None, 2, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (6, 80, 3, 2, False, "hs"),
    (2.5, 80, 3, 1, False, "hs"),
    (2.3, 80, 3, 1, False, "hs"),
    (2.3, 80, 3, 1, False, "hs"),
    (6, 112, 3, 1, True, "hs"),
    (6, 112, 3, 1, True, "hs"),
    (6, 160, None, 2, True, "hs"),
    (6, 160, None, 1, True, "hs"),
    (6, 160, None, 1, True, "hs"),
)


def squeeze_excite(x, filters, se_ratio, prefix):
    """Channel gates from globally pooled features: a ReLU bottleneck, then a hard sigmoid."""
    s = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite_avg_pool")(x)
    s = layers.Conv2D(round_channels(filters * se_ratio), 1, padding="same", name=prefix + "squeeze_excite_conv")(s)
    s = layers.ReLU(name=prefix + "squeeze_excite_relu")(s)
    s = layers.Conv2D(filters, 1, padding="same", name=prefix + "squeeze_excite_conv_1")(s)
    s = hard_sigmoid(s)
    return layers.Multiply(name=prefix + "squeeze_excite_mul")([x, s])


def inverted_residual(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    in_channels = x.shape[channel_axis()]
    expanded = round_channels(in_channels * expansion)

    y = x
    if block_id:
        prefix = "expanded_conv_" + str(block_id) + "_"
        y = layers.Conv2D(expanded, 1, padding="same", use_bias=False, name=prefix + "expand")(y)
        y = activation(bn(prefix + "expand_bn")(y))
    else:
        prefix = "expanded_conv_"

    if stride == 2:
        y = layers.ZeroPadding2D(padding=correct_pad(y, kernel_size), name=prefix + "depthwise_pad")(y)
    padding = "same" if stride == 1 else "valid"
    y = layers.DepthwiseConv2D(kernel_size, strides=stride, padding=padding, use_bias=False, name=prefix + "depthwise")(y)
    y = activation(bn(prefix + "depthwise_bn")(y))

    if se_ratio:
        y = squeeze_excite(y, expanded, se_ratio, prefix)

    y = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=prefix + "project")(y)
    y = bn(prefix + "project_bn")(y)

    if stride == 1 and in_channels == filters:
        return layers.Add(name=prefix + "add")([x, y])
    return y


def mobilenet_v3_model(
    blocks, last_point_channels,
    input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate,
    classifier_activation, include_preprocessing, name,
):
    if minimalistic:
        family_kernel, family_activation, se_ratio = 3, relu, None
    else:
        family_kernel, family_activation, se_ratio = 5, hard_swish, 0.25

    # Unlike most families, the head pools before it classifies: no default size, even with a head.
    inputs = image_input(input_tensor, input_shape, None, False)
    rows, cols = spatial_size(inputs)
    if rows and cols and (rows < MIN_SIZE or cols < MIN_SIZE):
        raise ValueError("Input size must be at least 32x32; Received `input_shape=" + str(input_shape) + "`")

    x = inputs
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = family_activation(bn("conv_bn")(x))

    for block_id, (expansion, filters, kernel, stride, se, activation) in enumerate(blocks):
        x = inverted_residual(
            x,
            expansion,
            round_channels(filters * alpha),
            kernel or family_kernel,
            stride,
            se_ratio if se else None,
            relu if activation == "relu" else family_activation,
            block_id,
        )

    last_conv_channels = round_channels(x.shape[channel_axis()] * 6)
    # Width multipliers above 1 widen the head's 1x1 conv too; narrower ones keep it.
    if alpha > 1.0:
        last_point_channels = round_channels(last_point_channels * alpha)
    x = layers.Conv2D(last_conv_channels, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = family_activation(bn("conv_1_bn")(x))

    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_channels, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = family_activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        for layer in pooling_layers(pooling, "avg_pool", "max_pool"):
            x = layer(x)
    return keras.Model(inputs, x, name=name)


def variant(public_name, blocks, last_point_channels):
    """MobileNetV3Small or MobileNetV3Large, with Keras's signature."""
    return application(
        public_name,
        public_name,
        mobilenet_v3_model,
        blocks,
        last_point_channels,
        order="input_shape alpha minimalistic include_top weights input_tensor classes pooling dropout_rate "
        "classifier_activation include_preprocessing name",
        alpha=1.0,
        minimalistic=False,
        dropout_rate=0.2,
        include_preprocessing=True,
    )


MobileNetV3Small = variant("MobileNetV3Small", SMALL_BLOCKS, 1024)
MobileNetV3Large = variant("MobileNetV3Large", LARGE_BLOCKS, 1280)


def preprocess_input(x, data_format=None):
    """A pass-through: the model rescales its inputs itself (include_preprocessing)."""
    return x
