# keras.applications.efficientnet_v2: EfficientNetV2B0 ... B3, S, M and L (Tan & Le 2021), built the way
# Keras builds them so layer names and count_params() match.
#
# The first stages use FusedMBConv blocks (one regular conv in place of the 1x1 expansion and the
# depthwise conv), the later ones MBConv blocks with squeeze-and-excitation; activations are swish and
# BatchNormalization uses momentum 0.9. B0 to B3 share one table, scaled by width (rounded to multiples
# of 8, without MobileNet's 10% guard) and depth; S, M and L have tables of their own. With
# `include_preprocessing` the B variants normalise [0, 255] inputs with ImageNet's mean and variance
# (fixed values, no weights), the others rescale them to [-1, 1]. (Keras tells the variants apart by
# the model's name; here a custom `name` does not change the preprocessing.)
import math

import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, channels_last, head_layers, image_input
from .efficientnet import squeeze_excite
from .imagenet_utils import decode_predictions

# One row per stage: (kernel, blocks, input filters, output filters, expansion, squeeze-excite ratio,
# stride of the first block, fused). "b" serves B0 to B3, scaled.
STAGES = {
    "b": (
        (3, 1, 32, 16, 1, 0, 1, True),
        (3, 2, 16, 32, 4, 0, 2, True),
        (3, 2, 32, 48, 4, 0, 2, True),
        (3, 3, 48, 96, 4, 0.25, 2, False),
        (3, 5, 96, 112, 6, 0.25, 1, False),
        (3, 8, 112, 192, 6, 0.25, 2, False),
    ),
    "s": (
        (3, 2, 24, 24, 1, 0, 1, True),
        (3, 4, 24, 48, 4, 0, 2, True),
        (3, 4, 48, 64, 4, 0, 2, True),
        (3, 6, 64, 128, 4, 0.25, 2, False),
        (3, 9, 128, 160, 6, 0.25, 1, False),
        (3, 15, 160, 256, 6, 0.25, 2, False),
    ),
    "m": (
        (3, 3, 24, 24, 1, 0, 1, True),
        (3, 5, 24, 48, 4, 0, 2, True),
        (3, 5, 48, 80, 4, 0, 2, True),
        (3, 7, 80, 160, 4, 0.25, 2, False),
        (3, 14, 160, 176, 6, 0.25, 1, False),
        (3, 18, 176, 304, 6, 0.25, 2, False),
        (3, 5, 304, 512, 6, 0.25, 1, False),
    ),
    "l": (
        (3, 4, 32, 32, 1, 0, 1, True),
        (3, 7, 32, 64, 4, 0, 2, True),
        (3, 7, 64, 96, 4, 0, 2, True),
        (3, 10, 96, 192, 4, 0.25, 2, False),
        (3, 19, 192, 224, 6, 0.25, 1, False),
        (3, 25, 224, 384, 6, 0.25, 2, False),
        (3, 7, 384, 640, 6, 0.25, 1, False),
    ),
}


def round_filters(filters, width_coefficient, divisor=8):
    """Multiples of `divisor` (at least one), rounded to the nearest."""
    filters *= width_coefficient
    return int(max(divisor, int(filters + divisor / 2) // divisor * divisor))


BN_MOMENTUM = 0.9
DROP_CONNECT_RATE = 0.2
DROPOUT_RATE = 0.2
ACTIVATION = "swish"


def round_repeats(repeats, depth_coefficient):
    return int(math.ceil(depth_coefficient * repeats))


def bn(name, momentum):
    return batch_norm(name, momentum=momentum)


def block(x, fused, filters_in, filters_out, expansion, kernel, strides, se_ratio, momentum, survival, name):
    """An MBConv block (1x1 expansion, depthwise conv, squeeze-excite, linear 1x1 projection) or, when
    `fused`, a FusedMBConv block: one regular conv in place of the expansion and the depthwise conv,
    its projection that very conv (activated) when `expansion` is 1."""
    inputs = x
    filters = filters_in * expansion
    if expansion != 1:
        x = layers.Conv2D(
            filters,
            kernel if fused else 1,
            strides=strides if fused else 1,
            padding="same",
            use_bias=False,
            name=name + "expand_conv",
        )(x)
        x = bn(name + "expand_bn", momentum)(x)
        x = layers.Activation(ACTIVATION, name=name + "expand_activation")(x)

    if not fused:
        x = layers.DepthwiseConv2D(kernel, strides=strides, padding="same", use_bias=False, name=name + "dwconv2")(x)
        x = bn(name + "bn", momentum)(x)
        x = layers.Activation(ACTIVATION, name=name + "activation")(x)

    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters_in, filters, se_ratio, ACTIVATION, name)

    projects_input = fused and expansion == 1
    x = layers.Conv2D(
        filters_out,
        kernel if projects_input else 1,
        strides=strides if projects_input else 1,
        padding="same",
        use_bias=False,
        name=name + "project_conv",
    )(x)
    x = bn(name + "project_bn", momentum)(x)
    if projects_input:
        x = layers.Activation(ACTIVATION, name=name + "project_activation")(x)

    if strides != 1 or filters_in != filters_out:
        return x
    # The identity shortcut: training drops the branch per sample.
    if survival:
        x = layers.Dropout(survival, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
    return layers.add([x, inputs], name=name + "add")


def efficientnet_v2_model(
    stages, width_coefficient, depth_coefficient, default_size,
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
    include_preprocessing, name,
):
    """The network of STAGES[`stages`], its widths scaled by `width_coefficient`, its block counts by
    `depth_coefficient`."""
    table = STAGES[stages]

    def width(filters):
        return round_filters(filters, width_coefficient)

    inputs = image_input(input_tensor, input_shape, default_size, include_top)
    x = inputs

    if include_preprocessing and inputs.shape[channel_axis()] == 3:
        if stages == "b":
            # ImageNet's channel statistics of [0, 1] pixels, as the B variants were trained.
            x = layers.Rescaling(scale=1.0 / 255)(x)
            mean = [0.485, 0.456, 0.406]
            variance = [0.229**2, 0.224**2, 0.225**2]
            if not channels_last():
                mean = [[[[m]] for m in mean]]
                variance = [[[[v]] for v in variance]]
            x = layers.Normalization(mean=mean, variance=variance, axis=channel_axis())(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    x = layers.Conv2D(width(table[0][2]), 3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = bn("stem_bn", BN_MOMENTUM)(x)
    x = layers.Activation(ACTIVATION, name="stem_activation")(x)

    done = 0
    # The drop rate grows over the unscaled block count, as in Keras.
    total = float(sum(row[1] for row in table))
    for i, (kernel, blocks, filters_in, filters_out, expansion, se_ratio, strides, fused) in enumerate(table):
        filters_in, filters_out = width(filters_in), width(filters_out)
        for j in range(round_repeats(blocks, depth_coefficient)):
            # Only a stage's first block changes the width and strides.
            first = j == 0
            x = block(
                x,
                fused,
                filters_in if first else filters_out,
                filters_out,
                expansion,
                kernel,
                strides if first else 1,
                se_ratio,
                BN_MOMENTUM,
                DROP_CONNECT_RATE * done / total,
                "block" + str(i + 1) + chr(j + 97) + "_",
            )
            done += 1

    x = layers.Conv2D(width(1280), 1, strides=1, padding="same", use_bias=False, name="top_conv")(x)
    x = bn("top_bn", BN_MOMENTUM)(x)
    x = layers.Activation(ACTIVATION, name="top_activation")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation, dropout_rate=DROPOUT_RATE):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def variant(public_name, suffix, stages, width_coefficient, depth_coefficient, default_size):
    """One variant ("efficientnetv2-" + `suffix`), with Keras's signature."""
    return application(
        public_name,
        "efficientnetv2-" + suffix,
        efficientnet_v2_model,
        stages,
        width_coefficient,
        depth_coefficient,
        default_size,
        order="include_top weights input_tensor input_shape pooling classes classifier_activation "
        "include_preprocessing name",
        include_preprocessing=True,
    )


EfficientNetV2B0 = variant("EfficientNetV2B0", "b0", "b", 1.0, 1.0, 224)
EfficientNetV2B1 = variant("EfficientNetV2B1", "b1", "b", 1.0, 1.1, 240)
EfficientNetV2B2 = variant("EfficientNetV2B2", "b2", "b", 1.1, 1.2, 260)
EfficientNetV2B3 = variant("EfficientNetV2B3", "b3", "b", 1.2, 1.4, 300)
EfficientNetV2S = variant("EfficientNetV2S", "s", "s", 1.0, 1.0, 384)
EfficientNetV2M = variant("EfficientNetV2M", "m", "m", 1.0, 1.0, 480)
EfficientNetV2L = variant("EfficientNetV2L", "l", "l", 1.0, 1.0, 480)


def preprocess_input(x, data_format=None):
    """A pass-through: the model rescales its inputs itself (include_preprocessing)."""
    return x
