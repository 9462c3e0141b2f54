# keras.applications.mobilenet_v2: MobileNetV2 (Sandler et al. 2018), built the way Keras builds it so
# layer names and count_params() match, for any width multiplier `alpha`.
#
# Inverted residual blocks: a 1x1 expansion (skipped in the first block), a 3x3 depthwise conv (stride 2
# blocks pad asymmetrically first), a linear 1x1 projection; an identity add where shapes allow. Convs
# have no bias; BatchNormalization uses epsilon 1e-3 and momentum 0.999; activations are ReLU6.
import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, head_layers, image_input, round_channels, sized_model_name
from .imagenet_utils import correct_pad, decode_predictions, preprocess_input

# One row per block: (output channels at alpha 1, stride, expansion factor).
BLOCKS = (
    (16, 1, 1),
    (24, 2, 6), (24, 1, 6),
    (32, 2, 6), (32, 1, 6), (32, 1, 6),
    (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6),
    (96, 1, 6), (96, 1, 6), (96, 1, 6),
    (160, 2, 6), (160, 1, 6), (160, 1, 6),
    (320, 1, 6),
)

# Input sizes with published ImageNet weights; another size names the model after 224, as Keras does.
WEIGHT_SIZES = (96, 128, 160, 192, 224)


def bn(name):
    return batch_norm(name, epsilon=1e-3, momentum=0.999)


def inverted_residual(x, filters, alpha, stride, expansion, block_id):
    in_channels = x.shape[channel_axis()]
    out_channels = round_channels(int(filters * alpha))

    y = x
    if block_id:
        prefix = "block_" + str(block_id) + "_"
        y = layers.Conv2D(expansion * in_channels, 1, padding="same", use_bias=False, name=prefix + "expand")(y)
        y = bn(prefix + "expand_BN")(y)
        y = layers.ReLU(6.0, name=prefix + "expand_relu")(y)
    else:
        prefix = "expanded_conv_"

    if stride == 2:
        y = layers.ZeroPadding2D(padding=correct_pad(y, 3), name=prefix + "pad")(y)
    y = layers.DepthwiseConv2D(
        3, strides=stride, use_bias=False, padding="same" if stride == 1 else "valid", name=prefix + "depthwise"
    )(y)
    y = bn(prefix + "depthwise_BN")(y)
    y = layers.ReLU(6.0, name=prefix + "depthwise_relu")(y)

    y = layers.Conv2D(out_channels, 1, padding="same", use_bias=False, name=prefix + "project")(y)
    y = bn(prefix + "project_BN")(y)

    if stride == 1 and in_channels == out_channels:
        return layers.Add(name=prefix + "add")([x, y])
    return y


def mobilenet_v2_model(
    input_shape, alpha, include_top, weights, input_tensor, pooling, classes, classifier_activation, name
):
    inputs = image_input(input_tensor, input_shape, 224, include_top)

    if name is None:
        name = sized_model_name("mobilenetv2", alpha, inputs, weights, WEIGHT_SIZES)

    x = layers.Conv2D(round_channels(32 * alpha), 3, strides=2, padding="same", use_bias=False, name="Conv1")(inputs)
    x = bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)

    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = inverted_residual(x, filters, alpha, stride, expansion, block_id)

    # The last conv never narrows below 1280 channels: width multipliers under 1 keep it.
    last_channels = round_channels(1280 * alpha) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_channels, 1, use_bias=False, name="Conv_1")(x)
    x = bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation, (None, None), None):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


MobileNetV2 = application(
    "MobileNetV2",
    None,
    mobilenet_v2_model,
    order="input_shape alpha include_top weights input_tensor pooling classes classifier_activation name",
    alpha=1.0,
)
