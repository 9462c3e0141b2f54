# keras.applications.resnet_v2: ResNet50V2, ResNet101V2, ResNet152V2 (He et al. 2016, identity
# mappings), built the way Keras builds them so layer names and count_params() match.
#
# v2 bottleneck: pre-activation (BN + ReLU before the convs, shared by the projection shortcut); the
# stride sits on the 3x3 conv of the LAST block of a stage, whose identity shortcut is subsampled by a
# 1x1 max-pool; only the third conv of a block has a bias.
from keras import layers

from .imagenet_utils import decode_predictions, preprocess_input
from .resnet import STAGE_WIDTHS, batch_norm, resnet_model

STAGE_DEPTHS = {
    "resnet50v2": (3, 4, 6, 3),
    "resnet101v2": (3, 4, 23, 3),
    "resnet152v2": (3, 8, 36, 3),
}


def bottleneck_v2(x, width, stride, project, prefix):
    """BN-ReLU, then 1x1 -> 3x3 (strided) -> 1x1 to 4 * width channels, added to the shortcut."""
    preact = batch_norm(prefix + "_preact_bn")(x)
    preact = layers.Activation("relu", name=prefix + "_preact_relu")(preact)

    if project:
        shortcut = layers.Conv2D(4 * width, 1, strides=stride, name=prefix + "_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x

    y = layers.Conv2D(width, 1, strides=1, use_bias=False, name=prefix + "_1_conv")(preact)
    y = batch_norm(prefix + "_1_bn")(y)
    y = layers.Activation("relu", name=prefix + "_1_relu")(y)

    y = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=prefix + "_2_pad")(y)
    y = layers.Conv2D(width, 3, strides=stride, use_bias=False, name=prefix + "_2_conv")(y)
    y = batch_norm(prefix + "_2_bn")(y)
    y = layers.Activation("relu", name=prefix + "_2_relu")(y)

    y = layers.Conv2D(4 * width, 1, name=prefix + "_3_conv")(y)
    return layers.Add(name=prefix + "_out")([shortcut, y])


def stage_v2(x, width, blocks, stride, name):
    """`blocks` bottlenecks: the first projects its shortcut, the last strides by `stride`."""
    for b in range(1, blocks + 1):
        step = stride if b == blocks else 1
        x = bottleneck_v2(x, width, step, b == 1, name + "_block" + str(b))
    return x


def build_v2(model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    depths = STAGE_DEPTHS[model_name]

    def stages(x):
        for s, (width, blocks) in enumerate(zip(STAGE_WIDTHS, depths)):
            # conv2..conv4 end by halving the resolution; conv5 keeps it.
            x = stage_v2(x, width, blocks, 2 if s < 3 else 1, "conv" + str(s + 2))
        return x

    return resnet_model(
        stages, True, name or model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation
    )


def ResNet50V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50v2",
):
    return build_v2("resnet50v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101v2",
):
    return build_v2(
        "resnet101v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name
    )


def ResNet152V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152v2",
):
    return build_v2(
        "resnet152v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation, name
    )
