# keras.applications.resnet_v2: ResNet50V2, ResNet101V2, ResNet152V2 (He et al. 2016, identity
# mappings), built the way Keras builds them so layer names and count_params() match.
#
# v2 bottleneck: pre-activation (BN + ReLU before the convs, shared by the projection shortcut); the
# stride sits on the 3x3 conv of the LAST block of a stage, whose identity shortcut is subsampled by a
# 1x1 max-pool; only the third conv of a block has a bias.
from ._common import application
from .imagenet_utils import decode_predictions, preprocess_input
from .resnet import ResNet, stage_stack, stage_v2


def v2_stack(depths):
    """The stages of a v2 ResNet: conv2..conv4 end by halving the resolution; conv5 keeps it."""
    return stage_stack(stage_v2, depths, (2, 2, 2, 1))


# Each variant is ResNet(stack_fn, preact=True, use_bias=True), as Keras calls it.
ResNet50V2 = application("ResNet50V2", "resnet50v2", ResNet, v2_stack((3, 4, 6, 3)), True, True)
ResNet101V2 = application("ResNet101V2", "resnet101v2", ResNet, v2_stack((3, 4, 23, 3)), True, True)
ResNet152V2 = application("ResNet152V2", "resnet152v2", ResNet, v2_stack((3, 8, 36, 3)), True, True)
