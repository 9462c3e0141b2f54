# ResNet-18 / ResNet-34 in Keras, built from the classic hand-written `res_block_v1` helper
# (Conv2D 3x3 -> BN -> ReLU -> Conv2D 3x3 -> BN, identity or 1x1 projection shortcut, add, ReLU).
#
# Conv2D keeps Keras' default use_bias=True everywhere, as the original helper did, so the biases
# are counted; the projection shortcut is a bare 1x1 Conv2D (no BatchNormalization).
#
# Expected figures (Keras count_params, input 224x224x3, MACs for one image; see
# test/fixtures/manifest.json, computed by test/fixtures/compute-expected.mjs):
#   build_resnet18(): 11,700,328 params (7,808 non-trainable), 1,814,073,344 MACs,
#                     8 residual blocks (5 identity, 3 projection), depth 18
#   build_resnet34(): 21,819,624 params (15,232 non-trainable), 3,663,761,408 MACs,
#                     16 residual blocks (13 identity, 3 projection), depth 34
import keras
from keras.layers import (
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    GlobalAveragePooling2D,
    Input,
    MaxPooling2D,
)


def res_block_v1(x, input_filter, output_filter, strides=1):
    res_x = Conv2D(kernel_size=(3, 3), filters=output_filter, strides=strides, padding="same")(x)
    res_x = BatchNormalization()(res_x)
    res_x = Activation("relu")(res_x)
    res_x = Conv2D(kernel_size=(3, 3), filters=output_filter, strides=1, padding="same")(res_x)
    res_x = BatchNormalization()(res_x)
    if input_filter == output_filter and strides == 1:
        identity = x
    else:
        # The shortcut must match both the new channel count and the downsampled grid.
        identity = Conv2D(kernel_size=(1, 1), filters=output_filter, strides=strides, padding="same")(x)

    x = keras.layers.add([identity, res_x])
    output = Activation("relu")(x)
    return output


def build_resnet(blocks_per_stage, input_shape=(224, 224, 3), classes=1000, name="resnet"):
    inputs = Input(shape=input_shape)

    x = Conv2D(64, kernel_size=(7, 7), strides=2, padding="same")(inputs)
    x = BatchNormalization()(x)
    x = Activation("relu")(x)
    x = MaxPooling2D(pool_size=(3, 3), strides=2, padding="same")(x)

    filters = 64
    for stage, num_blocks in enumerate(blocks_per_stage):
        output_filter = 64 * 2**stage
        for block in range(num_blocks):
            # Every stage but the first halves the grid in its first block.
            strides = 2 if block == 0 and stage > 0 else 1
            x = res_block_v1(x, filters, output_filter, strides=strides)
            filters = output_filter

    x = GlobalAveragePooling2D()(x)
    outputs = Dense(classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name=name)


def build_resnet18(input_shape=(224, 224, 3), classes=1000):
    return build_resnet([2, 2, 2, 2], input_shape=input_shape, classes=classes, name="resnet18")


def build_resnet34(input_shape=(224, 224, 3), classes=1000):
    return build_resnet([3, 4, 6, 3], input_shape=input_shape, classes=classes, name="resnet34")


if __name__ == "__main__":
    model = build_resnet18()
    model.summary()
