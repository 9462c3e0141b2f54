// Which lowering builds which IR op: by op name first, then by category (activations, dropout,
// elementwise merges). An op without one is reported as not supported yet.

import type { IRNode } from "../ir/types";
import { lowerKerasAttention, lowerTorchAttention } from "./lower-attention";
import { lowerEmbedding } from "./lower-embedding";
import { lowerAdaptivePool, lowerBatchNorm, lowerConv, lowerDense, lowerGlobalPool, lowerPool } from "./lower-layers";
import { lowerGroupNorm, lowerLayerNorm } from "./lower-norm";
import { lowerRecurrent } from "./lower-recurrent";
import { lowerKerasRecurrent } from "./lower-keras-recurrent";
import { lowerKerasDepthSpace } from "./lower-keras-depth-space";
import {
  lowerActivation,
  lowerConcat,
  lowerElementwise,
  lowerIdentity,
  lowerReshape,
  lowerZeroPadding,
} from "./lower-simple";
import type { Lowering } from "./lower-types";
import { lowerMatmul, lowerPiece } from "./lower-framework-order";
import { lowerEinops, lowerEinsum } from "./lower-einops";
import { lowerExpand, lowerGetItem, lowerTranspose } from "./lower-view";

const BY_OP: Record<string, Lowering> = {
  Conv2d: lowerConv, Conv2D: lowerConv, DepthwiseConv2D: lowerConv, SeparableConv2D: lowerConv,
  Linear: lowerDense, Dense: lowerDense,
  BatchNorm2d: lowerBatchNorm, BatchNorm1d: lowerBatchNorm, BatchNormalization: lowerBatchNorm,
  MaxPool2d: lowerPool, AvgPool2d: lowerPool, max_pool2d: lowerPool, avg_pool2d: lowerPool,
  MaxPooling2D: lowerPool, AveragePooling2D: lowerPool,
  AdaptiveAvgPool2d: lowerAdaptivePool, adaptive_avg_pool2d: lowerAdaptivePool,
  AdaptiveMaxPool2d: lowerAdaptivePool, adaptive_max_pool2d: lowerAdaptivePool,
  GlobalAveragePooling2D: lowerGlobalPool, GlobalMaxPooling2D: lowerGlobalPool,
  cat: lowerConcat, concat: lowerConcat, concatenate: lowerConcat, Concatenate: lowerConcat,
  flatten: lowerReshape, Flatten: lowerReshape, view: lowerReshape, reshape: lowerReshape, Reshape: lowerReshape,
  Unflatten: lowerReshape, squeeze: lowerReshape, unsqueeze: lowerReshape,
  ZeroPadding2D: lowerZeroPadding, pad: lowerZeroPadding,
  Identity: lowerIdentity, identity: lowerIdentity,
  matmul: lowerMatmul, chunk: lowerPiece, split: lowerPiece,
  rearrange: lowerEinops, Rearrange: lowerEinops, repeat: lowerEinops, reduce: lowerEinops, Reduce: lowerEinops, einsum: lowerEinsum,
  Embedding: lowerEmbedding,
  LayerNorm: lowerLayerNorm, LayerNormalization: lowerLayerNorm,
  GroupNorm: lowerGroupNorm, GroupNormalization: lowerGroupNorm,
  MultiheadAttention: lowerTorchAttention, MultiHeadAttention: lowerKerasAttention,
  LSTM: lowerRecurrent, GRU: lowerRecurrent, RNN: lowerRecurrent, SimpleRNN: lowerKerasRecurrent, Bidirectional: lowerKerasRecurrent,
  getitem: lowerGetItem, get_item: lowerGetItem,
  transpose: lowerTranspose, permute: lowerTranspose, t: lowerTranspose, Permute: lowerTranspose,
  expand_dims: lowerReshape,
  expand: lowerExpand,
  depth_to_space: lowerKerasDepthSpace, space_to_depth: lowerKerasDepthSpace,
};

const ELEMENTWISE = new Set(["add", "sub", "mul", "div", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "average"]);

export function loweringFor(node: IRNode): Lowering | undefined {
  if (node.opaque) return undefined;
  const byOp = BY_OP[node.op];
  if (byOp) return byOp;
  if (node.category === "activation") return lowerActivation;
  if (node.category === "dropout") return lowerIdentity;
  if (node.category === "merge" || node.category === "math") {
    const kind = (typeof node.attrs.mergeKind === "string" ? node.attrs.mergeKind : node.op).toLowerCase();
    if (ELEMENTWISE.has(kind)) return lowerElementwise;
  }
  return undefined;
}
