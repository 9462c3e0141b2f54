# ResGraph's own stand-in for the torchvision package: the model builders, written from the papers'
# architecture definitions with torchvision's layer names and parameter counts. Only what shapes
# depend on is modelled; pretrained weights are descriptors that load nothing.
from . import models, ops

__version__ = "0.19.0"
