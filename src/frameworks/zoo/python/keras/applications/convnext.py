# keras.applications.convnext: ConvNeXtTiny, Small, Base, Large and XLarge (Liu et al. 2022), built the way
# Keras builds them so layer names and count_params() match.
#
# A 4x4/4 patchify stem, then four stages of ConvNeXt blocks with a downsampling block (LayerNorm and a
# 2x2/2 conv) between them. A block: 7x7 depthwise conv (a grouped Conv2D with bias), LayerNorm, a
# pointwise MLP (Dense to 4x the width, GELU, Dense back), a learned per-channel scale (LayerScale), then
# the residual add; training drops the branch at random (StochasticDepth), a rate 0 uses a linear
# Activation. The stem and each downsampling block are small Sequential models, as in Keras. With
# `include_preprocessing` a Normalization with ImageNet's fixed statistics (no weights) comes first.
import keras
from keras import backend, initializers, layers

from ._common import application, channel_axis, image_input, pooling_layers
from .imagenet_utils import decode_predictions

# (blocks per stage, widths of the stages) of each variant.
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}

LAYER_NORM_EPSILON = 1e-6


class StochasticDepth(layers.Layer):
    """Drops the residual branch of a whole batch with probability `drop_path_rate` while training; the
    identity at inference, which is what ResGraph analyses."""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        return x


class LayerScale(layers.Layer):
    """Multiplies each channel by a learned scale (`projection_dim` weights, starting at `init_values`)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _):
        self.gamma = self.add_weight(
            shape=(self.projection_dim,), initializer=initializers.Constant(self.init_values), trainable=True
        )

    def call(self, x):
        return x * self.gamma


def layer_norm(name=None):
    return layers.LayerNormalization(epsilon=LAYER_NORM_EPSILON, name=name)


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    """One block, as a function of its input."""
    if name is None:
        name = "prestem" + str(backend.get_uid("prestem"))

    def apply(inputs):
        x = layers.Conv2D(
            filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim, name=name + "_depthwise_conv"
        )(inputs)
        x = layer_norm(name + "_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=name + "_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=name + "_gelu")(x)
        x = layers.Dense(projection_dim, name=name + "_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=name + "_layer_scale")(x)
        if drop_path_rate:
            branch_end = StochasticDepth(drop_path_rate, name=name + "_stochastic_depth")
        else:
            branch_end = layers.Activation("linear", name=name + "_identity")
        return inputs + branch_end(x)

    return apply


def PreStem(name=None):
    """Normalises [0, 255] pixels with ImageNet's mean and variance."""
    if name is None:
        name = "prestem" + str(backend.get_uid("prestem"))

    def apply(x):
        return layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=name + "_prestem_normalization",
        )(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):
    """Global average pooling, LayerNorm and the classifier."""
    if name is None:
        name = str(backend.get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=name + "_head_gap")(x)
        x = layer_norm(name + "_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation, name=name + "_head_dense")(x)

    return apply


def linspace(start, stop, count):
    """`count` evenly spaced floats from `start` to `stop`, as numpy.linspace."""
    if count == 1:
        return [float(start)]
    return [start + (stop - start) * i / (count - 1) for i in range(count)]


def convnext_model(
    depths, projection_dims, default_size,
    include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
    classifier_activation, name, drop_path_rate=0.0, layer_scale_init_value=1e-6,
):
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "ConvNeXt does not support the `channels_first` image data format. Switch to `channels_last` "
            "by editing your local config file at ~/.keras/keras.json"
        )
    inputs = image_input(input_tensor, input_shape, default_size, include_top)

    x = inputs
    if include_preprocessing and inputs.shape[channel_axis()] == 3:
        x = PreStem(name=name)(x)

    stem = keras.Sequential(
        [
            layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=name + "_stem_conv"),
            layer_norm(name + "_stem_layernorm"),
        ],
        name=name + "_stem",
    )
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(
            keras.Sequential(
                [
                    layer_norm(name + "_downsampling_layernorm_" + str(i)),
                    layers.Conv2D(
                        projection_dims[i + 1], kernel_size=2, strides=2, name=name + "_downsampling_conv_" + str(i)
                    ),
                ],
                name=name + "_downsampling_block_" + str(i),
            )
        )

    # Stochastic depth grows linearly over all blocks.
    drop_rates = linspace(0.0, drop_path_rate, sum(depths))
    done = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(
                projection_dim=projection_dims[i],
                drop_path_rate=drop_rates[done + j],
                layer_scale_init_value=layer_scale_init_value,
                name=name + "_stage_" + str(i) + "_block_" + str(j),
            )(x)
        done += depths[i]

    if include_top:
        x = Head(num_classes=classes, classifier_activation=classifier_activation, name=name)(x)
    else:
        for layer in pooling_layers(pooling):
            x = layer(x)
        x = layer_norm()(x)
    return keras.Model(inputs=inputs, outputs=x, name=name)


def variant(public_name, size):
    """One variant ("convnext_" + `size`), with Keras's signature."""
    config = MODEL_CONFIGS[size]
    return application(
        public_name,
        "convnext_" + size,
        convnext_model,
        config["depths"],
        config["projection_dims"],
        config["default_size"],
        order="include_top include_preprocessing weights input_tensor input_shape pooling classes "
        "classifier_activation name",
        include_preprocessing=True,
    )


ConvNeXtTiny = variant("ConvNeXtTiny", "tiny")
ConvNeXtSmall = variant("ConvNeXtSmall", "small")
ConvNeXtBase = variant("ConvNeXtBase", "base")
ConvNeXtLarge = variant("ConvNeXtLarge", "large")
ConvNeXtXLarge = variant("ConvNeXtXLarge", "xlarge")


def preprocess_input(x, data_format=None):
    """A pass-through: the model normalises its inputs itself (include_preprocessing)."""
    return x
