# keras.applications.resnet: ResNet50, ResNet101, ResNet152 (He et al. 2015, "v1"), built the way
# Keras builds them so layer names match its summaries and parameter counts equal count_params().
#
# v1 bottleneck: the stride sits on the first 1x1 conv; every conv has a bias; BatchNormalization uses
# epsilon 1.001e-5; the first block of each stage projects its shortcut with a 1x1 conv + BN.
# The v2 (pre-activation) blocks live here too, as in Keras's module, whose ResNet(stack_fn, ...) and
# stack_residual_blocks_v1/v2 (at the end) Keras 3's resnet_v2.py builds on.
import keras
from keras import layers

from ._common import application, batch_norm, head_layers, image_input
from .imagenet_utils import decode_predictions, preprocess_input

BN_EPSILON = 1.001e-5

# Bottleneck blocks in stages conv2..conv5, whose bottlenecks are 64, 128, 256 and 512 wide.
STAGE_WIDTHS = (64, 128, 256, 512)


def bn(name):
    return batch_norm(name, epsilon=BN_EPSILON)


def ResNet(
    stack_fn,
    preact,
    use_bias,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet",
    weights_name=None,
):
    """The skeleton v1 and v2 share (Keras's public ResNet): a 7x7/2 stem (its conv biased when
    `use_bias`) and 3x3/2 max-pool, `stack_fn(x)`, the stages, then the head. `preact` (v2) drops the
    stem's BN + ReLU and normalises once more after the last stage instead."""
    inputs = image_input(input_tensor, input_shape, 224, include_top)

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = bn("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)

    x = stack_fn(x)

    if preact:
        x = bn("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)

    for layer in head_layers(include_top, pooling, classes, classifier_activation):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def bottleneck_v1(x, width, stride, project, prefix, kernel_size=3):
    """1x1 (strided) -> 3x3 -> 1x1 to 4 * width channels, added to the (projected) input, then ReLU."""
    if project:
        shortcut = layers.Conv2D(4 * width, 1, strides=stride, name=prefix + "_0_conv")(x)
        shortcut = bn(prefix + "_0_bn")(shortcut)
    else:
        shortcut = x

    y = x
    for i, (filters, kernel, step) in enumerate(((width, 1, stride), (width, kernel_size, 1), (4 * width, 1, 1)), 1):
        padding = "same" if kernel > 1 else "valid"
        y = layers.Conv2D(filters, kernel, strides=step, padding=padding, name=prefix + "_" + str(i) + "_conv")(y)
        y = bn(prefix + "_" + str(i) + "_bn")(y)
        if i < 3:
            y = layers.Activation("relu", name=prefix + "_" + str(i) + "_relu")(y)

    y = layers.Add(name=prefix + "_add")([shortcut, y])
    return layers.Activation("relu", name=prefix + "_out")(y)


def stage_v1(x, width, blocks, stride, name):
    """`blocks` bottlenecks; the first strides by `stride` and projects its shortcut."""
    for b in range(1, blocks + 1):
        first = b == 1
        x = bottleneck_v1(x, width, stride if first else 1, first, name + "_block" + str(b))
    return x


def bottleneck_v2(x, width, stride, project, prefix, kernel_size=3):
    """BN-ReLU, then 1x1 -> 3x3 (strided) -> 1x1 to 4 * width channels, added to the shortcut."""
    preact = bn(prefix + "_preact_bn")(x)
    preact = layers.Activation("relu", name=prefix + "_preact_relu")(preact)

    if project:
        shortcut = layers.Conv2D(4 * width, 1, strides=stride, name=prefix + "_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x

    y = layers.Conv2D(width, 1, strides=1, use_bias=False, name=prefix + "_1_conv")(preact)
    y = bn(prefix + "_1_bn")(y)
    y = layers.Activation("relu", name=prefix + "_1_relu")(y)

    y = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=prefix + "_2_pad")(y)
    y = layers.Conv2D(width, kernel_size, strides=stride, use_bias=False, name=prefix + "_2_conv")(y)
    y = bn(prefix + "_2_bn")(y)
    y = layers.Activation("relu", name=prefix + "_2_relu")(y)

    y = layers.Conv2D(4 * width, 1, name=prefix + "_3_conv")(y)
    return layers.Add(name=prefix + "_out")([shortcut, y])


def stage_v2(x, width, blocks, stride, name):
    """`blocks` bottlenecks: the first projects its shortcut, the last strides by `stride`."""
    for b in range(1, blocks + 1):
        step = stride if b == blocks else 1
        x = bottleneck_v2(x, width, step, b == 1, name + "_block" + str(b))
    return x


def stage_stack(stage, depths, strides):
    """The stack_fn of a ResNet: stage(x, width, blocks, stride, name) for conv2..conv5 in turn."""

    def stages(x):
        for s, (width, blocks, stride) in enumerate(zip(STAGE_WIDTHS, depths, strides)):
            x = stage(x, width, blocks, stride, "conv" + str(s + 2))
        return x

    return stages


def v1_stack(depths):
    """The stages of a v1 ResNet: conv2 follows the stem's max-pool at full resolution; conv3..conv5 halve it."""
    return stage_stack(stage_v1, depths, (1, 2, 2, 2))


# Each variant is ResNet(stack_fn, preact=False, use_bias=True), as Keras calls it.
ResNet50 = application("ResNet50", "resnet50", ResNet, v1_stack((3, 4, 6, 3)), False, True)
ResNet101 = application("ResNet101", "resnet101", ResNet, v1_stack((3, 4, 23, 3)), False, True)
ResNet152 = application("ResNet152", "resnet152", ResNet, v1_stack((3, 8, 36, 3)), False, True)


# Keras's own building blocks, under the names its modules export (stack_residual_blocks_v2, ...;
# Keras 2 called them block1/stack1/block2/stack2): Keras 3's resnet_v2.py and user variants build on
# them.


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    return bottleneck_v1(x, filters, stride, conv_shortcut, name, kernel_size)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    return stage_v1(x, filters, blocks, stride1, name)


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    return bottleneck_v2(x, filters, stride, conv_shortcut, name, kernel_size)


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    return stage_v2(x, filters, blocks, stride1, name)


block1, stack1 = residual_block_v1, stack_residual_blocks_v1
block2, stack2 = residual_block_v2, stack_residual_blocks_v2
