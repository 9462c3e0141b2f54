# keras.applications.resnet_v2: ResNet50V2, ResNet101V2, ResNet152V2 (He et al. 2016, identity
# mappings), built the way Keras builds them so layer names and count_params() match.
#
# v2 bottleneck: pre-activation (BN + ReLU before the convs, shared by the projection shortcut); the
# stride sits on the 3x3 conv of the LAST block of a stage, whose identity shortcut is subsampled by a
# 1x1 max-pool; only the third conv of a block has a bias.
from .imagenet_utils import decode_predictions, preprocess_input
from .resnet import STAGE_WIDTHS, resnet_model, stage_v2

STAGE_DEPTHS = {
    "resnet50v2": (3, 4, 6, 3),
    "resnet101v2": (3, 4, 23, 3),
    "resnet152v2": (3, 8, 36, 3),
}


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
