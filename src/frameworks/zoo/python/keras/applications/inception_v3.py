# keras.applications.inception_v3: InceptionV3 (Szegedy et al. 2015), built the way Keras builds it so
# layer names and count_params() match.
#
# Every conv is conv2d_bn: a bias-free Conv2D, a BatchNormalization without scale (beta and the moving
# statistics only) and a ReLU, all unnamed in Keras, so their names are Keras's automatic ones and
# follow the order in which the layers are made. A stem of five convs and two max-pools, then eleven
# "mixed" blocks of parallel branches joined on the channel axis: three 35x35 blocks, a reduction to
# 17x17, four blocks with factorised 7x7 convs, a reduction to 8x8 and two blocks whose 3x3 branches
# split into 1x3 and 3x1 convs. Default input 299x299, at least 75x75.
import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, head_layers, image_input
from .imagenet_utils import decode_predictions, preprocess_input as imagenet_preprocess_input


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Conv (`num_row` x `num_col`, no bias), BN without scale, ReLU; named name_conv, name_bn and name."""
    conv_name = None if name is None else name + "_conv"
    bn_name = None if name is None else name + "_bn"
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False, name=conv_name)(x)
    x = batch_norm(bn_name, scale=False)(x)
    return layers.Activation("relu", name=name)(x)


def chain(x, convs):
    """conv2d_bn over (filters, rows, cols) rows in turn: one branch of a mixed block."""
    for filters, rows, cols in convs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def pool_branch(x, filters):
    """3x3 average pooling (stride 1) and a 1x1 conv: the pooling branch of a non-reducing block."""
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def join(branches, name=None):
    return layers.concatenate(branches, axis=channel_axis(), name=name)


def inception_a(x, pool_filters, name):
    """35x35: 1x1; 1x1 -> 5x5; 1x1 -> 3x3 -> 3x3; pool -> 1x1 (`pool_filters`)."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = chain(x, ((48, 1, 1), (64, 5, 5)))
    branch3x3dbl = chain(x, ((64, 1, 1), (96, 3, 3), (96, 3, 3)))
    return join([branch1x1, branch5x5, branch3x3dbl, pool_branch(x, pool_filters)], name)


def reduction_a(x, name):
    """35x35 -> 17x17: a strided 3x3; 1x1 -> 3x3 -> strided 3x3; max-pool."""
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = chain(x, ((64, 1, 1), (96, 3, 3)))
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return join([branch3x3, branch3x3dbl, branch_pool], name)


def inception_c(x, width, name):
    """17x17: 1x1; 1x7 -> 7x1; 7x1 -> 1x7 -> 7x1 -> 1x7 (`width` wide until each branch's last conv)."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = chain(x, ((width, 1, 1), (width, 1, 7), (192, 7, 1)))
    branch7x7dbl = chain(x, ((width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)))
    return join([branch1x1, branch7x7, branch7x7dbl, pool_branch(x, 192)], name)


def reduction_b(x, name):
    """17x17 -> 8x8: 1x1 -> strided 3x3; 1x1 -> 1x7 -> 7x1 -> strided 3x3; max-pool."""
    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = chain(x, ((192, 1, 1), (192, 1, 7), (192, 7, 1)))
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return join([branch3x3, branch7x7x3, branch_pool], name)


def split_3x3(x, name=None):
    """1x3 and 3x1 convs side by side, joined."""
    return join([conv2d_bn(x, 384, 1, 3), conv2d_bn(x, 384, 3, 1)], name)


def inception_e(x, index):
    """8x8: 1x1; 1x1 -> (1x3 | 3x1); 1x1 -> 3x3 -> (1x3 | 3x1); pool -> 1x1."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = split_3x3(conv2d_bn(x, 384, 1, 1), "mixed9_" + str(index))
    branch3x3dbl = split_3x3(chain(x, ((448, 1, 1), (384, 3, 3))))
    return join([branch1x1, branch3x3, branch3x3dbl, pool_branch(x, 192)], "mixed" + str(9 + index))


def inception_v3(include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    inputs = image_input(input_tensor, input_shape, 299, include_top)

    x = conv2d_bn(inputs, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    for index, pool_filters in enumerate((32, 64, 64)):
        x = inception_a(x, pool_filters, "mixed" + str(index))
    x = reduction_a(x, "mixed3")
    for index, width in enumerate((128, 160, 160, 192), 4):
        x = inception_c(x, width, "mixed" + str(index))
    x = reduction_b(x, "mixed8")
    for index in range(2):
        x = inception_e(x, index)

    for layer in head_layers(include_top, pooling, classes, classifier_activation, (None, None)):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


InceptionV3 = application("InceptionV3", "inception_v3", inception_v3)


def preprocess_input(x, data_format=None):
    """Scales pixels to [-1, 1] ("tf" mode); the shape is unchanged."""
    return imagenet_preprocess_input(x, data_format=data_format, mode="tf")
