# keras.applications.nasnet: NASNetMobile and NASNetLarge (Zoph et al. 2018, NASNet-A), built the way
# Keras builds them so layer names and count_params() match.
#
# A strided 3x3 stem, two reduction cells, then three groups of normal cells with a reduction cell
# between them. Every cell reads the two previous cells' outputs: `ip` (the last) through a ReLU-1x1
# conv-BN ("h") and `p` (the one before), first adjusted to `ip`'s size and width (a factorised
# reduction of two half-width strided 1x1 paths, or a 1x1 projection). Its five branch pairs (separable
# convs applied twice, poolings, identities) are added and the sums concatenated. Convs have no bias;
# BatchNormalization uses momentum 0.9997 and epsilon 1e-3. Unnamed layers (many ReLUs, the adjust
# paths' padding and cropping) get Keras's automatic names, in Keras's order.
import keras
from keras import layers

from ._common import application, batch_norm, channel_axis, channels_last, head_layers, image_input
from .imagenet_utils import correct_pad, decode_predictions
from .imagenet_utils import preprocess_input as imagenet_preprocess_input


def bn(name=None):
    return batch_norm(name, momentum=0.9997, epsilon=1e-3)


def relu(x, name=None):
    return layers.Activation("relu", name=name)(x)


def conv1x1(x, filters, name):
    return layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False, name=name)(x)


def separable_pair(x, filters, kernel_size, block_id, strides=(1, 1)):
    """ReLU-separable conv-BN twice; the first conv strides (after TensorFlow-style padding)."""
    x = relu(x)
    padding = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name="separable_conv_1_pad_" + block_id)(x)
        padding = "valid"
    x = layers.SeparableConv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=False, name="separable_conv_1_" + block_id
    )(x)
    x = bn("separable_conv_1_bn_" + block_id)(x)
    x = relu(x)
    x = layers.SeparableConv2D(filters, kernel_size, padding="same", use_bias=False, name="separable_conv_2_" + block_id)(x)
    return bn("separable_conv_2_bn_" + block_id)(x)


def adjust(p, ip, filters, block_id):
    """The previous cell's output `p` brought to the size and width of `ip`."""
    if p is None:
        return ip
    width_axis = -2 if channels_last() else 2
    if p.shape[width_axis] != ip.shape[width_axis]:
        # Two strided 1x1 paths, the second shifted by one pixel, each to half the width.
        p = relu(p, "adjust_relu_1_" + block_id)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_1_" + block_id)(p)
        p1 = conv1x1(p1, filters // 2, "adjust_conv_1_" + block_id)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_2_" + block_id)(p2)
        p2 = conv1x1(p2, filters // 2, "adjust_conv_2_" + block_id)
        p = layers.concatenate([p1, p2], axis=channel_axis())
        return bn("adjust_bn_" + block_id)(p)
    if p.shape[channel_axis()] != filters:
        p = conv1x1(relu(p), filters, "adjust_conv_projection_" + block_id)
        return bn("adjust_bn_" + block_id)(p)
    return p


def cell_input(ip, kind, filters, block_id):
    """`h`: the last cell's output through ReLU, a 1x1 conv to `filters` and BN."""
    h = conv1x1(relu(ip), filters, kind + "_conv_1_" + block_id)
    return bn(kind + "_bn_1_" + block_id)(h)


def normal_cell(ip, p, filters, block_id):
    """Keeps the size: five added pairs of branches over `h` and the adjusted `p`, concatenated with `p`."""
    p = adjust(p, ip, filters, block_id)
    h = cell_input(ip, "normal", filters, block_id)

    def sep(x, kernel, branch):
        return separable_pair(x, filters, (kernel, kernel), "normal_" + branch + "_" + block_id)

    def avg(x, branch):
        return layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name="normal_" + branch + "_" + block_id)(x)

    def add(branches, n):
        return layers.add(branches, name="normal_add_" + str(n) + "_" + block_id)

    x1 = add([sep(h, 5, "left1"), sep(p, 3, "right1")], 1)
    x2 = add([sep(p, 5, "left2"), sep(p, 3, "right2")], 2)
    x3 = add([avg(h, "left3"), p], 3)
    x4 = add([avg(p, "left4"), avg(p, "right4")], 4)
    x5 = add([sep(h, 3, "left5"), h], 5)
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=channel_axis(), name="normal_concat_" + block_id)
    return x, ip


def reduction_cell(ip, p, filters, block_id):
    """Halves the size: strided separable convs and poolings, some fed by the first sums."""
    p = adjust(p, ip, filters, block_id)
    h = cell_input(ip, "reduction", filters, block_id)
    h3 = layers.ZeroPadding2D(padding=correct_pad(h, 3), name="reduction_pad_1_" + block_id)(h)

    def sep(x, kernel, branch, strides=(2, 2)):
        return separable_pair(x, filters, (kernel, kernel), "reduction_" + branch + "_" + block_id, strides)

    def pooled(pooling, x, branch, strides=(2, 2), padding="valid"):
        return pooling((3, 3), strides=strides, padding=padding, name="reduction_" + branch + "_" + block_id)(x)

    # Keras's names, irregular as they are (add_1, add_2, then add3 and add4; a "left4" branch twice).
    x1 = layers.add([sep(h, 5, "left1"), sep(p, 7, "right1")], name="reduction_add_1_" + block_id)
    x2 = layers.add([pooled(layers.MaxPooling2D, h3, "left2"), sep(p, 7, "right2")], name="reduction_add_2_" + block_id)
    x3 = layers.add([pooled(layers.AveragePooling2D, h3, "left3"), sep(p, 5, "right3")], name="reduction_add3_" + block_id)
    x4 = layers.add([x2, pooled(layers.AveragePooling2D, x1, "left4", (1, 1), "same")])
    x5 = layers.add(
        [sep(x1, 3, "left4", (1, 1)), pooled(layers.MaxPooling2D, h3, "right5")], name="reduction_add4_" + block_id
    )
    x = layers.concatenate([x2, x3, x4, x5], axis=channel_axis(), name="reduction_concat_" + block_id)
    return x, ip


FILTER_MULTIPLIER = 2


def nasnet_model(
    penultimate_filters, num_blocks, stem_block_filters, skip_reduction, default_size,
    input_shape, include_top, weights, input_tensor, pooling, classes, classifier_activation, name,
):
    """`num_blocks` normal cells per group; the last group is `penultimate_filters` / 6 wide."""
    if penultimate_filters % (24 * FILTER_MULTIPLIER**2) != 0:
        raise ValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * (`filter_multiplier` ** 2). "
            "Current value: " + str(penultimate_filters)
        )
    if default_size == 224 and not include_top and input_shape is None:
        # Keras fixes even the headless NASNetMobile's size (cells compare sizes to adjust their inputs).
        input_shape = (224, 224, 3)
    inputs = image_input(input_tensor, input_shape, default_size, include_top)
    filters = penultimate_filters // 24

    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1")(
        inputs
    )
    x = bn("stem_bn1")(x)

    x, p = reduction_cell(x, None, filters // FILTER_MULTIPLIER**2, "stem_1")
    x, p = reduction_cell(x, p, filters // FILTER_MULTIPLIER, "stem_2")
    for group in range(3):
        if group:
            # Between groups a reduction cell widens by FILTER_MULTIPLIER; NASNetLarge's next cell still
            # reads the cell before the reduction.
            x, after_reduction = reduction_cell(x, p, filters, "reduce_" + str(group * num_blocks))
            p = p if skip_reduction else after_reduction
        first_id = group * num_blocks + (1 if group else 0)
        for i in range(num_blocks):
            x, p = normal_cell(x, p, filters, str(first_id + i))
        filters *= FILTER_MULTIPLIER

    x = relu(x)
    for layer in head_layers(include_top, pooling, classes, classifier_activation, (None, None), None):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def variant(public_name, penultimate_filters, num_blocks, stem_block_filters, skip_reduction, default_size):
    """NASNetMobile or NASNetLarge, with Keras's signature; both name their model "NASNet"."""
    return application(
        public_name,
        "NASNet",
        nasnet_model,
        penultimate_filters,
        num_blocks,
        stem_block_filters,
        skip_reduction,
        default_size,
        order="input_shape include_top weights input_tensor pooling classes classifier_activation name",
    )


NASNetLarge = variant("NASNetLarge", 4032, 6, 96, True, 331)
NASNetMobile = variant("NASNetMobile", 1056, 4, 32, False, 224)


def preprocess_input(x, data_format=None):
    """Scales pixels to [-1, 1] ("tf" mode); the shape is unchanged."""
    return imagenet_preprocess_input(x, data_format=data_format, mode="tf")
