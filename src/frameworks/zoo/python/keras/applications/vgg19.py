# keras.applications.vgg19: VGG19, VGG16's layout (see vgg16.py) with four convs in blocks 3 to 5.
from ._common import application
from .imagenet_utils import decode_predictions, preprocess_input
from .vgg16 import vgg_model

VGG19 = application("VGG19", "vgg19", vgg_model, (2, 2, 4, 4, 4))
