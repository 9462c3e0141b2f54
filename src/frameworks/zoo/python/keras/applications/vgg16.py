# keras.applications.vgg16: VGG16 (Simonyan & Zisserman 2014), built the way Keras builds it so layer
# names and count_params() match. vgg19.py reuses `vgg_model` with four convs in blocks 3 to 5.
#
# Five blocks of biased 3x3 "same" convs with ReLU, each closed by a 2x2 max-pool; the head flattens the
# 7x7x512 features into two 4096-wide Dense layers and the classifier.
import keras
from keras import layers

from ._common import application, image_input, pooling_layers
from .imagenet_utils import decode_predictions, preprocess_input

BLOCK_WIDTHS = (64, 128, 256, 512, 512)


def vgg_model(
    convs_per_block, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name
):
    inputs = image_input(input_tensor, input_shape, 224, include_top)

    x = inputs
    for b, (width, convs) in enumerate(zip(BLOCK_WIDTHS, convs_per_block), 1):
        block = "block" + str(b)
        for c in range(1, convs + 1):
            x = layers.Conv2D(width, (3, 3), activation="relu", padding="same", name=block + "_conv" + str(c))(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=block + "_pool")(x)

    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        for layer in pooling_layers(pooling):
            x = layer(x)
    return keras.Model(inputs, x, name=name)


VGG16 = application("VGG16", "vgg16", vgg_model, (2, 2, 3, 3, 3))
