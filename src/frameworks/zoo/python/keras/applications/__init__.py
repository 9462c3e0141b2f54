# keras.applications as ResGraph models it: the builders of the families below, and the family modules
# themselves (keras.applications.resnet.preprocess_input, ...). Weights are never loaded; each builder
# lays out the same layers, names and parameter counts as Keras's.
from . import densenet, imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19
from .densenet import DenseNet121, DenseNet169, DenseNet201
from .mobilenet import MobileNet
from .mobilenet_v2 import MobileNetV2
from .resnet import ResNet50, ResNet101, ResNet152
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from .vgg16 import VGG16
from .vgg19 import VGG19
