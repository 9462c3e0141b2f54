# Pieces every bundled keras.applications builder shares. Weights are never loaded (ResGraph does not
# run the model), so `weights` is accepted and ignored: shapes and parameter counts do not depend on it.
from keras import backend, layers


def channels_last():
    return backend.image_data_format() == "channels_last"


def channel_axis():
    """The axis BatchNormalization normalises and Concatenate joins: the channels of an NHWC/NCHW image."""
    return 3 if channels_last() else 1


def spatial_size(x):
    """(height, width) of an image tensor, entries None where unknown."""
    return tuple(x.shape[1:3]) if channels_last() else tuple(x.shape[2:4])


def image_input(input_tensor, input_shape, default_size, include_top):
    """The tensor a builder starts from.

    Like Keras: `input_tensor` when given, else an Input of `input_shape`. Without either, a classifier
    head needs a fixed `default_size` square image; a headless base keeps height and width open.
    """
    if input_tensor is not None:
        return input_tensor
    if input_shape is None:
        side = default_size if include_top else None
        input_shape = (side, side, 3) if channels_last() else (3, side, side)
    return layers.Input(shape=input_shape)


def pool_features(x, pooling, avg_name=None, max_name=None):
    """The `pooling` option of a headless model: "avg" or "max" flattens the feature map, None keeps it."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x
