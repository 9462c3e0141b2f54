# keras.applications.xception: Xception (Chollet 2017), built the way Keras builds it so layer names and
# count_params() match.
#
# Depthwise-separable convolutions throughout: an entry flow of two plain convs and three blocks that
# halve the resolution (their shortcuts a strided 1x1 conv + BN, unnamed in Keras), a middle flow of
# eight identity-shortcut blocks of three separable convs at 728 channels, and an exit flow of one more
# downsampling block and two wide separable convs. Convs have no bias; BatchNormalization uses Keras's
# defaults. Default input 299x299, at least 71x71.
import keras
from keras import layers

from ._common import application, batch_norm, head_layers, image_input
from .imagenet_utils import decode_predictions, preprocess_input as imagenet_preprocess_input

MIDDLE_FLOW_WIDTH = 728


def separable(x, filters, name, activate_first=True):
    """(ReLU,) 3x3 separable conv and BN, named after `name` ("block4_sepconv1")."""
    if activate_first:
        x = layers.Activation("relu", name=name + "_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return batch_norm(name + "_bn")(x)


def downsampling_block(x, widths, block, activate_first=True):
    """Two separable convs and a 3x3/2 max-pool, added to a strided 1x1 projection of the input. Block 2
    follows the entry flow's ReLU, so its first separable conv is not activated again."""
    residual = layers.Conv2D(widths[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = batch_norm()(residual)

    prefix = "block" + str(block) + "_sepconv"
    x = separable(x, widths[0], prefix + "1", activate_first)
    x = separable(x, widths[1], prefix + "2")

    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block" + str(block) + "_pool")(x)
    return layers.add([x, residual])


def xception_model(include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    inputs = image_input(input_tensor, input_shape, 299, include_top)

    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(inputs)
    x = batch_norm("block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = batch_norm("block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    x = downsampling_block(x, (128, 128), 2, activate_first=False)
    x = downsampling_block(x, (256, 256), 3)
    x = downsampling_block(x, (MIDDLE_FLOW_WIDTH, MIDDLE_FLOW_WIDTH), 4)

    for block in range(5, 13):
        residual = x
        for conv in range(1, 4):
            x = separable(x, MIDDLE_FLOW_WIDTH, "block" + str(block) + "_sepconv" + str(conv))
        x = layers.add([x, residual])

    x = downsampling_block(x, (MIDDLE_FLOW_WIDTH, 1024), 13)

    for conv, filters in ((1, 1536), (2, 2048)):
        prefix = "block14_sepconv" + str(conv)
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=prefix)(x)
        x = batch_norm(prefix + "_bn")(x)
        x = layers.Activation("relu", name=prefix + "_act")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation, (None, None)):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


Xception = application("Xception", "xception", xception_model)


def preprocess_input(x, data_format=None):
    """Scales pixels to [-1, 1] ("tf" mode); the shape is unchanged."""
    return imagenet_preprocess_input(x, data_format=data_format, mode="tf")
