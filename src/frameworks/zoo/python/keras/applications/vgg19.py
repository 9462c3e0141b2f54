# keras.applications.vgg19: VGG19, VGG16's layout (see vgg16.py) with four convs in blocks 3 to 5.
from .imagenet_utils import decode_predictions, preprocess_input
from .vgg16 import vgg_model


def VGG19(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19",
):
    return vgg_model(
        (2, 2, 4, 4, 4), name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation
    )
