# keras.applications.mobilenet: MobileNet v1 (Howard et al. 2017), built the way Keras builds it so layer
# names and count_params() match, for any width multiplier `alpha` and `depth_multiplier`.
#
# A 3x3/2 conv, then 13 depthwise-separable blocks (3x3 depthwise + BN + ReLU6, 1x1 pointwise + BN +
# ReLU6); stride 2 blocks pad bottom/right by one first. Convs have no bias except the classifier, a
# 1x1 conv over globally pooled features.
import keras
from keras import layers

from ._common import application, batch_norm, image_input, pooling_layers, sized_model_name
from .imagenet_utils import decode_predictions, preprocess_input

# One row per separable block (numbered from 1): (pointwise channels at alpha 1, stride).
BLOCKS = (
    (64, 1),
    (128, 2), (128, 1),
    (256, 2), (256, 1),
    (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
    (1024, 2), (1024, 1),
)

# Input sizes with published ImageNet weights; another size names the model after 224, as Keras does.
WEIGHT_SIZES = (128, 160, 192, 224)


def separable_block(x, pointwise_filters, alpha, depth_multiplier, stride, block_id):
    tag = "_" + str(block_id)
    if stride == 1:
        padding = "same"
    else:
        padding = "valid"
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name="conv_pad" + tag)(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding=padding,
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name="conv_dw" + tag,
    )(x)
    x = batch_norm("conv_dw" + tag + "_bn")(x)
    x = layers.ReLU(6.0, name="conv_dw" + tag + "_relu")(x)

    x = layers.Conv2D(int(pointwise_filters * alpha), (1, 1), padding="same", use_bias=False, name="conv_pw" + tag)(x)
    x = batch_norm("conv_pw" + tag + "_bn")(x)
    return layers.ReLU(6.0, name="conv_pw" + tag + "_relu")(x)


def mobilenet_model(
    input_shape, alpha, depth_multiplier, dropout,
    include_top, weights, input_tensor, pooling, classes, classifier_activation, name,
):
    inputs = image_input(input_tensor, input_shape, 224, include_top)

    if name is None:
        name = sized_model_name("mobilenet", alpha, inputs, weights, WEIGHT_SIZES)

    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(inputs)
    x = batch_norm("conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)

    for block_id, (filters, stride) in enumerate(BLOCKS, 1):
        x = separable_block(x, filters, alpha, depth_multiplier, stride, block_id)

    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        for layer in pooling_layers(pooling):
            x = layer(x)
    return keras.Model(inputs, x, name=name)


MobileNet = application(
    "MobileNet",
    None,
    mobilenet_model,
    order="input_shape alpha depth_multiplier dropout include_top weights input_tensor pooling classes "
    "classifier_activation name",
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
)
