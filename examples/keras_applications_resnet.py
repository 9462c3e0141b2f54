# ResNet50 / ResNet101 / ResNet152 (v1) and ResNet50V2 written the way keras.applications builds
# them (functional API, layer names included), without weight loading.
#
# v1 (`block1`/`stack1`): stride on the first 1x1 conv, every conv with a bias, BN epsilon 1.001e-5,
#     conv shortcut (1x1 conv + BN) in the first block of each stack.
# v2 (`block2`/`stack2`): pre-activation (BN + ReLU before the convs), the LAST block of a stack
#     downsamples, with a MaxPooling2D(1, strides=2) shortcut; a final post-BN.
#
# Expected figures (include_top=True, 1000 classes, 224x224x3; Keras count_params; MACs for one image;
# see test/fixtures/manifest.json, computed by test/fixtures/compute-expected.mjs):
#   ResNet50():   25,636,712 params (53,120 non-trainable), 3,857,973,248 MACs, 16 blocks (4 projection)
#   ResNet101():  44,707,176 params (105,344 non-trainable), 7,570,194,432 MACs, 33 blocks (4 projection)
#   ResNet152():  60,419,944 params (151,424 non-trainable), 11,282,415,616 MACs, 50 blocks (4 projection)
#   ResNet50V2(): 25,613,800 params (45,440 non-trainable), 3,482,255,360 MACs, 16 blocks
#                 (4 conv-shortcut projections, 12 identity of which 3 are strided 1x1 max-pools)
import keras
from keras import backend, layers


def _bn_axis():
    # Keras lays images out channels-last unless configured otherwise; BN normalises the channel axis.
    return 3 if backend.image_data_format() == "channels_last" else 1


def _default_input_shape():
    if backend.image_data_format() == "channels_last":
        return (224, 224, 3)
    return (3, 224, 224)


def ResNet(
    stack_fn,
    preact,
    use_bias,
    model_name="resnet",
    include_top=True,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """Shared skeleton: 7x7/2 stem, 3x3/2 max-pool, `stack_fn` stages, classifier or pooling."""
    if input_shape is None:
        input_shape = _default_input_shape()
    if input_tensor is None:
        img_input = layers.Input(shape=input_shape)
    else:
        img_input = input_tensor

    bn_axis = _bn_axis()

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)

    if not preact:
        x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)

    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)

    x = stack_fn(x)

    if preact:
        x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    return keras.Model(img_input, x, name=model_name)


def block1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A v1 bottleneck residual block.

    Args:
        x: input tensor.
        filters: filters of the bottleneck layer; the block outputs 4 * filters channels.
        kernel_size: kernel size of the middle conv.
        stride: stride of the first conv (v1 downsamples in the 1x1).
        conv_shortcut: use a 1x1 conv + BN shortcut instead of the identity.
        name: block label.
    """
    bn_axis = _bn_axis()

    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x

    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)

    x = layers.Conv2D(filters, kernel_size, padding="same", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)

    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_3_bn")(x)

    x = layers.Add(name=name + "_add")([shortcut, x])
    x = layers.Activation("relu", name=name + "_out")(x)
    return x


def stack1(x, filters, blocks, stride1=2, name=None):
    """`blocks` v1 blocks; only the first one projects (and strides by `stride1`)."""
    x = block1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def block2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A v2 (pre-activation) bottleneck residual block; the stride sits on the 3x3 conv."""
    bn_axis = _bn_axis()

    preact = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)

    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    else:
        # A 1x1 max-pool with stride just subsamples the identity.
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x

    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)

    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)

    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.Add(name=name + "_out")([shortcut, x])
    return x


def stack2(x, filters, blocks, stride1=2, name=None):
    """`blocks` v2 blocks: the first projects, the last strides by `stride1`."""
    x = block2(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = block2(x, filters, name=name + "_block" + str(i))
    x = block2(x, filters, stride=stride1, name=name + "_block" + str(blocks))
    return x


def ResNet50(include_top=True, input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    def stack_fn(x):
        x = stack1(x, 64, 3, stride1=1, name="conv2")
        x = stack1(x, 128, 4, name="conv3")
        x = stack1(x, 256, 6, name="conv4")
        return stack1(x, 512, 3, name="conv5")

    return ResNet(
        stack_fn,
        False,
        True,
        "resnet50",
        include_top,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation=classifier_activation,
    )


def ResNet101(include_top=True, input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    def stack_fn(x):
        x = stack1(x, 64, 3, stride1=1, name="conv2")
        x = stack1(x, 128, 4, name="conv3")
        x = stack1(x, 256, 23, name="conv4")
        return stack1(x, 512, 3, name="conv5")

    return ResNet(
        stack_fn,
        False,
        True,
        "resnet101",
        include_top,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation=classifier_activation,
    )


def ResNet152(include_top=True, input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    def stack_fn(x):
        x = stack1(x, 64, 3, stride1=1, name="conv2")
        x = stack1(x, 128, 8, name="conv3")
        x = stack1(x, 256, 36, name="conv4")
        return stack1(x, 512, 3, name="conv5")

    return ResNet(
        stack_fn,
        False,
        True,
        "resnet152",
        include_top,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation=classifier_activation,
    )


def ResNet50V2(include_top=True, input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    def stack_fn(x):
        x = stack2(x, 64, 3, name="conv2")
        x = stack2(x, 128, 4, name="conv3")
        x = stack2(x, 256, 6, name="conv4")
        return stack2(x, 512, 3, stride1=1, name="conv5")

    return ResNet(
        stack_fn,
        True,
        True,
        "resnet50v2",
        include_top,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation=classifier_activation,
    )


if __name__ == "__main__":
    for build in (ResNet50, ResNet101, ResNet152, ResNet50V2):
        model = build()
        print(model.name, model.count_params())
