# Fine-tuning a pretrained torchvision ResNet-50 on a 10-class dataset: freeze the backbone, replace
# the classifier. ResGraph carries its own torchvision.models (no download, no Python): the backbone's
# 16 residual blocks show in the graph, its 23,508,032 parameters as frozen.
#
# Expected (1x3x224x224; torchvision's resnet50 has 25,557,032 params of which fc is 2048x1000 + 1000):
#   23,508,032 frozen + head 2048x256 + 256 + 256x10 + 10 = 24,035,146 params, 527,114 trainable,
#   4,087,663,104 MACs, 16 residual blocks (12 identity, 4 projection), depth 51.
# resgraph: input=1,3,224,224
import torch.nn as nn
from torchvision import models
from torchvision.models import ResNet50_Weights


def build(num_classes: int = 10) -> nn.Module:
    model = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V2)
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Sequential(
        nn.Linear(model.fc.in_features, 256),
        nn.ReLU(inplace=True),
        nn.Dropout(0.2),
        nn.Linear(256, num_classes),
    )
    return model


model = build()
