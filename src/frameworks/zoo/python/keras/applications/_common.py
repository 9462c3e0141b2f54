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


def round_channels(value, divisor=8):
    """Channel counts are multiples of `divisor`, never rounded down by more than 10%."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def batch_norm(name=None, **options):
    """BatchNormalization over the channel axis; `options` are the family's epsilon, momentum, scale."""
    return layers.BatchNormalization(axis=channel_axis(), name=name, **options)


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


# The head's layers are handed back for the builder to call, not applied here, so that they sit in
# the builder's own scope as in Keras's files, not under a helper's name.


def pooling_layers(pooling, avg_name=None, max_name=None):
    """The `pooling` option of a headless model: "avg" or "max" flattens the feature map, None keeps it."""
    if pooling == "avg":
        return [layers.GlobalAveragePooling2D(name=avg_name)]
    if pooling == "max":
        return [layers.GlobalMaxPooling2D(name=max_name)]
    return []


def head_layers(
    include_top,
    pooling,
    classes,
    classifier_activation,
    pool_names=("avg_pool", "max_pool"),
    top_pool_name="avg_pool",
    dropout_rate=0.0,
):
    """The top most families share: global average pooling, dropout ("top_dropout") when
    `dropout_rate` > 0 and the `classes`-wide Dense "predictions"; without a top, the `pooling` option
    (its layers named `pool_names`)."""
    if not include_top:
        return pooling_layers(pooling, *pool_names)
    top = [layers.GlobalAveragePooling2D(name=top_pool_name)]
    if dropout_rate > 0:
        top.append(layers.Dropout(dropout_rate, name="top_dropout"))
    top.append(layers.Dense(classes, activation=classifier_activation, name="predictions"))
    return top


# The arguments of Keras's application builders, in the order most of them take: EfficientNetV2,
# ConvNeXt and the MobileNets add or reorder a few (their own `order`, names separated by spaces).
KERAS_ORDER = "include_top weights input_tensor input_shape pooling classes classifier_activation name"
KERAS_DEFAULTS = {
    "include_top": True,
    "weights": "imagenet",
    "input_tensor": None,
    "input_shape": None,
    "pooling": None,
    "classes": 1000,
    "classifier_activation": "softmax",
}


def application(public_name, default_name, build, *config, order=KERAS_ORDER, **defaults):
    """The builder of one model variant, `public_name(...)`, taking Keras's arguments in `order` (positionally
    or by keyword) with Keras's defaults, `defaults` for the family's own and `default_name` for `name`.
    It calls `build(*config, argument=value, ...)` with every argument by keyword. A wrong call fails
    with Python's TypeError."""
    order = order.split()
    defaults = dict(KERAS_DEFAULTS, name=default_name, **defaults)

    def builder(*args, **kwargs):
        if len(args) > len(order):
            given = str(len(args)) + " given"
            raise TypeError(public_name + "() takes at most " + str(len(order)) + " positional arguments (" + given + ")")
        options = dict(defaults)
        options.update(zip(order, args))
        for key, value in kwargs.items():
            if key not in order:
                raise TypeError(public_name + "() got an unexpected keyword argument '" + key + "'")
            if key in order[: len(args)]:
                raise TypeError(public_name + "() got multiple values for argument '" + key + "'")
            options[key] = value
        return build(*config, **options)

    builder.__name__ = public_name
    builder.__qualname__ = public_name
    return builder


def sized_model_name(prefix, alpha, inputs, weights, weight_sizes):
    """How Keras names a MobileNet after its width and input rows ("mobilenetv2_1.00_224"): with ImageNet
    weights, rows that have no published weights (`weight_sizes`) read 224, the weights it loads."""
    rows = spatial_size(inputs)[0]
    if weights == "imagenet" and rows not in weight_sizes:
        rows = 224
    return f"{prefix}_{alpha:0.2f}_{rows}"
