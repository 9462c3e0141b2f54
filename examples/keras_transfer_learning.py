# Transfer learning in Keras: a frozen ImageNet MobileNetV2 base under a new 5-class head, the
# pattern of the Keras "transfer learning & fine-tuning" guide. ResGraph carries its own
# keras.applications (no download, no TensorFlow): the base runs inlined on the new Input, so its
# layers and 10 residual blocks show, its weights counted as non-trainable.
#
# Expected (count_params(); MobileNetV2 without top: 2,257,984 of which 34,112 BN moving statistics):
#   2,257,984 frozen + Dense(1280 -> 5) = 6,405 trainable: 2,264,389 params, 2,257,984 non-trainable,
#   299,500,672 MACs (MobileNetV2's 300,774,272 less its 1280x1000 classifier, plus 6,400).
import keras
from keras import layers


def build_model(num_classes=5):
    base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), include_top=False, weights="imagenet")
    base.trainable = False
    inputs = keras.Input(shape=(224, 224, 3))
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="mobilenetv2_transfer")
