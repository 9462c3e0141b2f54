# keras.applications.resnet50: the older module name under which Keras still exports ResNet50 and its
# preprocessing (`from tensorflow.keras.applications.resnet50 import preprocess_input` is common).
from .resnet import ResNet50, decode_predictions, preprocess_input
