# keras.applications.efficientnet: EfficientNetB0 ... EfficientNetB7 (Tan & Le 2019), built the way Keras
# builds them so layer names and count_params() match.
#
# MobileNetV2-style inverted residual blocks (MBConv) with squeeze-and-excitation and swish, in seven
# stages; each variant scales B0's widths (rounded to multiples of 8) and block counts (rounded up).
# Identity shortcuts drop their branch at random while training (a Dropout with one mask per sample),
# at a rate growing linearly with depth. The model normalises its own [0, 255] inputs: a Rescaling, an
# adaptable Normalization (mean, variance and count: 7 non-trainable weights) and, with ImageNet
# weights, a Rescaling that corrects the variance. Convs have no bias except the SE ones.
import math

import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, channels_last, head_layers, image_input, round_channels
from .imagenet_utils import correct_pad, decode_predictions

IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


# B0's stages: (kernel, blocks, input filters, output filters, expansion, stride of the first block).
# Every block has squeeze-excite (ratio 0.25) and, where the shape allows, an identity shortcut.
STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
SE_RATIO = 0.25
DROP_CONNECT_RATE = 0.2
ACTIVATION = "swish"


def squeeze_excite(x, filters_in, filters, se_ratio, activation, name):
    """Channel gates from globally pooled features, squeezed to `se_ratio` of the block's input width."""
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters) if channels_last() else (filters, 1, 1), name=name + "se_reshape")(se)
    squeezed = max(1, int(filters_in * se_ratio))
    se = layers.Conv2D(squeezed, 1, padding="same", activation=activation, name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    return layers.multiply([x, se], name=name + "se_excite")


def block(
    inputs,
    activation="swish",
    drop_rate=0.0,
    name="",
    filters_in=32,
    filters_out=16,
    kernel_size=3,
    strides=1,
    expand_ratio=1,
    se_ratio=0.0,
    id_skip=True,
):
    """One MBConv block: 1x1 expansion (unless `expand_ratio` is 1), depthwise conv, squeeze-excite,
    linear 1x1 projection, and an identity shortcut where the shape allows."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(x)
        x = batch_norm(name + "expand_bn")(x)
        x = layers.Activation(activation, name=name + "expand_activation")(x)

    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=name + "dwconv_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size, strides=strides, padding="valid" if strides == 2 else "same", use_bias=False, name=name + "dwconv"
    )(x)
    x = batch_norm(name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)

    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters_in, filters, se_ratio, activation, name)

    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = batch_norm(name + "project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def efficientnet_model(
    width_coefficient, depth_coefficient, default_size, dropout_rate,
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name,
):
    """B0's network with its widths scaled by `width_coefficient` and block counts by `depth_coefficient`."""

    def round_filters(filters):
        return round_channels(filters * width_coefficient)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    inputs = image_input(input_tensor, input_shape, default_size, include_top)

    x = layers.Rescaling(1.0 / 255.0)(inputs)
    x = layers.Normalization(axis=channel_axis())(x)
    if weights == "imagenet":
        # The weights were trained on (x - mean) / variance; the Normalization divides by the standard
        # deviation only.
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in IMAGENET_STDDEV_RGB])(x)

    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = batch_norm("stem_bn")(x)
    x = layers.Activation(ACTIVATION, name="stem_activation")(x)

    done = 0
    total = float(sum(round_repeats(row[1]) for row in STAGES))
    for i, (kernel, blocks, filters_in, filters_out, expansion, strides) in enumerate(STAGES):
        filters_in, filters_out = round_filters(filters_in), round_filters(filters_out)
        for j in range(round_repeats(blocks)):
            # Only a stage's first block changes the width and strides.
            x = block(
                x,
                ACTIVATION,
                DROP_CONNECT_RATE * done / total,
                name="block" + str(i + 1) + chr(j + 97) + "_",
                filters_in=filters_in if j == 0 else filters_out,
                filters_out=filters_out,
                kernel_size=kernel,
                strides=strides if j == 0 else 1,
                expand_ratio=expansion,
                se_ratio=SE_RATIO,
            )
            done += 1

    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = batch_norm("top_bn")(x)
    x = layers.Activation(ACTIVATION, name="top_activation")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation, dropout_rate=dropout_rate):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


# (width, depth, default input size, dropout before the classifier) of each variant, as Keras passes them.
EfficientNetB0 = application("EfficientNetB0", "efficientnetb0", efficientnet_model, 1.0, 1.0, 224, 0.2)
EfficientNetB1 = application("EfficientNetB1", "efficientnetb1", efficientnet_model, 1.0, 1.1, 240, 0.2)
EfficientNetB2 = application("EfficientNetB2", "efficientnetb2", efficientnet_model, 1.1, 1.2, 260, 0.3)
EfficientNetB3 = application("EfficientNetB3", "efficientnetb3", efficientnet_model, 1.2, 1.4, 300, 0.3)
EfficientNetB4 = application("EfficientNetB4", "efficientnetb4", efficientnet_model, 1.4, 1.8, 380, 0.4)
EfficientNetB5 = application("EfficientNetB5", "efficientnetb5", efficientnet_model, 1.6, 2.2, 456, 0.4)
EfficientNetB6 = application("EfficientNetB6", "efficientnetb6", efficientnet_model, 1.8, 2.6, 528, 0.5)
EfficientNetB7 = application("EfficientNetB7", "efficientnetb7", efficientnet_model, 2.0, 3.1, 600, 0.5)


def preprocess_input(x, data_format=None):
    """A pass-through: the model rescales and normalises its inputs itself."""
    return x
