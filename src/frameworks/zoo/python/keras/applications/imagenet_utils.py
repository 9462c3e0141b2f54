# keras.applications.imagenet_utils (also reached as keras.src.applications.imagenet_utils, where
# Keras 3's own application files import it from): the helpers a model build calls (the input shape a
# builder defaults to, the padding of stride-2 convs, the classifier activation check) with Keras's
# logic, so shapes and errors agree; and the ImageNet preprocessing / label decoding, which change no
# shape. The docstring constants exist because real application files format them into __doc__.
import warnings

from keras import activations, backend

PREPROCESS_INPUT_DOC = """
  Preprocesses a batch of images (a tensor or NumPy array, 3D or 4D, values in [0, 255]).

  Args:
    x: The images.
    data_format: "channels_last" or "channels_first"; None uses
      `keras.backend.image_data_format()`.{mode}

  Returns:
    The preprocessed images, as float32.
    {ret}

  Raises:
    {error}
  """

PREPROCESS_INPUT_MODE_DOC = """
    mode: "caffe" (RGB to BGR, then each channel zero-centred on ImageNet, no scaling),
      "tf" (scaled to [-1, 1]) or "torch" (scaled to [0, 1], then each channel normalised
      on ImageNet). Defaults to "caffe".
  """

PREPROCESS_INPUT_DEFAULT_ERROR_DOC = """
    ValueError: when `mode` or `data_format` is not one of the known values."""

PREPROCESS_INPUT_ERROR_DOC = """
    ValueError: when `data_format` is not one of the known values."""

PREPROCESS_INPUT_RET_DOC_TF = """
      Pixel values are scaled to [-1, 1], sample-wise."""

PREPROCESS_INPUT_RET_DOC_TORCH = """
      Pixel values are scaled to [0, 1], then each channel is normalised on ImageNet."""

PREPROCESS_INPUT_RET_DOC_CAFFE = """
      Images are converted from RGB to BGR, then each channel is zero-centred on ImageNet,
      without scaling."""

PREPROCESS_MODES = ("caffe", "tf", "torch")
DATA_FORMATS = ("channels_first", "channels_last")


def preprocess_input(x, data_format=None, mode="caffe"):
    # Scaling pixels changes no shape, so the tensor passes through; bad arguments fail as in Keras.
    if mode not in PREPROCESS_MODES:
        raise ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=" + str(mode))
    if data_format is not None and data_format not in DATA_FORMATS:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. Received: data_format="
            + str(data_format)
        )
    return x


preprocess_input.__doc__ = PREPROCESS_INPUT_DOC.format(
    mode=PREPROCESS_INPUT_MODE_DOC, ret="", error=PREPROCESS_INPUT_DEFAULT_ERROR_DOC
)


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions into (class_name, class_description, score) tuples, `top` per sample."""
    # Class names come from a downloaded index file; nothing here knows them.
    return None


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    """The input shape of an application model (channels included, batch excluded), as Keras settles it.

    A given `input_shape` is checked (rank 3, 3 channels for ImageNet weights, spatial dims at least
    `min_size`); without one, a model with a classifier head (`require_flatten`) gets the square
    `default_size` image and a headless one leaves height and width open (None). ImageNet weights with a
    head fix the shape to the default.
    """
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an input_shape with "
                + str(channels)
                + " input channels."
            )
        default_shape = (channels, default_size, default_size) if channels_first else (default_size, default_size, channels)
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)

    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be "
                + str(default_shape)
                + ".  Received: input_shape="
                + str(input_shape)
            )
        return default_shape

    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels != 3 and weights == "imagenet":
            raise ValueError("The input must have 3 channels; Received `input_shape=" + str(input_shape) + "`")
        height, width = (input_shape[1], input_shape[2]) if channels_first else (input_shape[0], input_shape[1])
        if (height is not None and height < min_size) or (width is not None and width < min_size):
            raise ValueError(
                "Input size must be at least "
                + str(min_size)
                + "x"
                + str(min_size)
                + "; Received: input_shape="
                + str(input_shape)
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)

    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. Received: input_shape="
            + str(input_shape)
        )
    return input_shape


def correct_pad(inputs, kernel_size):
    """((top, bottom), (left, right)) zero-padding that makes a stride-2 "valid" conv centre its kernel
    the way TensorFlow's "same" padding does: one less row/column before than after on an even size.
    An open (None) spatial size is treated as even."""
    first = 2 if backend.image_data_format() == "channels_first" else 1
    height, width = inputs.shape[first], inputs.shape[first + 1]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if height is None else (1 - height % 2, 1 - width % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Pretrained weights expect a softmax (or no) classifier activation; anything else is an error."""
    if weights is None:
        return
    if classifier_activation in (None, "softmax") or classifier_activation is activations.softmax:
        return
    raise ValueError(
        "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when "
        "using pretrained weights, with `include_top=True`; Received: classifier_activation="
        + str(classifier_activation)
    )
