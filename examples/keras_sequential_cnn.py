# A small Keras Sequential CNN for 32x32 RGB images (CIFAR-10 style: two conv pairs with max-pooling
# and dropout, then a dense head). The model is a module-level `model` variable.
#
# Expected figures (Keras count_params; MACs for one image; see test/fixtures/manifest.json,
# computed by test/fixtures/compute-expected.mjs):
#   model: 1,250,858 params (all trainable), 20,741,120 MACs, depth 6, output (None, 10)
import keras
from keras import layers

num_classes = 10

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Dropout(0.25),
        layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ],
    name="cifar10_cnn",
)

if __name__ == "__main__":
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
