from .misc import MLP, Conv2dNormActivation, Permute, SqueezeExcitation
from .stochastic_depth import StochasticDepth, stochastic_depth
