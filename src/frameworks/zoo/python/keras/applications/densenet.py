# keras.applications.densenet: DenseNet121, DenseNet169, DenseNet201 (Huang et al. 2016), built the way
# Keras builds them so layer names and count_params() match.
#
# Four dense blocks; each layer (BN-ReLU-1x1 conv to 128, BN-ReLU-3x3 conv to 32) concatenates its 32
# new channels onto its input. Transitions between blocks halve the channels (BN-ReLU-1x1 conv) and the
# resolution (2x2 average pool). Convs have no bias; BatchNormalization uses epsilon 1.001e-5.
import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, head_layers, image_input
from .imagenet_utils import decode_predictions, preprocess_input

BN_EPSILON = 1.001e-5
GROWTH_RATE = 32
BOTTLENECK_WIDTH = 4 * GROWTH_RATE
TRANSITION_REDUCTION = 0.5


def bn_relu(x, prefix):
    x = batch_norm(prefix + "_bn", epsilon=BN_EPSILON)(x)
    return layers.Activation("relu", name=prefix + "_relu")(x)


def dense_layer(x, prefix):
    """One densely connected layer: its GROWTH_RATE new channels are concatenated onto `x`."""
    y = bn_relu(x, prefix + "_0")
    y = layers.Conv2D(BOTTLENECK_WIDTH, 1, use_bias=False, name=prefix + "_1_conv")(y)
    y = bn_relu(y, prefix + "_1")
    y = layers.Conv2D(GROWTH_RATE, 3, padding="same", use_bias=False, name=prefix + "_2_conv")(y)
    return layers.Concatenate(axis=channel_axis(), name=prefix + "_concat")([x, y])


def transition(x, prefix):
    x = bn_relu(x, prefix)
    channels = int(x.shape[channel_axis()] * TRANSITION_REDUCTION)
    x = layers.Conv2D(channels, 1, use_bias=False, name=prefix + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=prefix + "_pool")(x)


def densenet_model(
    blocks, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name
):
    """`blocks`: the dense layers in each of the four dense blocks (stages conv2..conv5)."""
    inputs = image_input(input_tensor, input_shape, 224, include_top)

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)

    for stage, layer_count in enumerate(blocks, 2):
        for i in range(1, layer_count + 1):
            x = dense_layer(x, "conv" + str(stage) + "_block" + str(i))
        if stage < 5:
            x = transition(x, "pool" + str(stage))

    x = batch_norm("bn", epsilon=BN_EPSILON)(x)
    x = layers.Activation("relu", name="relu")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


DenseNet121 = application("DenseNet121", "densenet121", densenet_model, (6, 12, 24, 16))
DenseNet169 = application("DenseNet169", "densenet169", densenet_model, (6, 12, 32, 32))
DenseNet201 = application("DenseNet201", "densenet201", densenet_model, (6, 12, 48, 32))
