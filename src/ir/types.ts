// The graph IR: plain JSON, versioned. Everything downstream (analysis, CLI, webview,
// profiler, model-file loaders) reads only this.

import type { Range } from "../python/source";

export const IR_VERSION = 1;

export type Framework = "pytorch" | "keras" | "unknown";

/** A dimension: a number when known, null when the analyzer could not tell (e.g. batch "None"). */
export type Dim = number | null;
export type Shape = Dim[];

export type NodeCategory =
  | "input"
  | "conv"
  | "norm"
  | "activation"
  | "pooling"
  | "dense"
  | "merge"
  | "reshape"
  | "dropout"
  | "embedding"
  | "math"
  | "output"
  | "opaque";

/** One step of the path that led to a node: a function call or a loop iteration. */
export interface StackFrame {
  kind: "call" | "loop";
  /** Function name for calls ("_make_layer", "forward"), or "for"/"while" for loops. */
  label: string;
  /** File (workspace-relative or as given) of the call / loop statement. */
  file: string;
  range: Range;
  /** 0-based iteration index for loops. */
  iteration?: number;
}

export interface SourceSite {
  file: string;
  range: Range;
  stack: StackFrame[];
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export interface IRNode {
  /** Stable across re-analysis of unchanged code: derived from scope path and call order, never random. */
  id: string;
  /** Framework op / layer class: "Conv2d", "Conv2D", "add", "relu", "Input". */
  op: string;
  category: NodeCategory;
  /** Display name: module path leaf or Keras layer name. */
  name: string;
  /** Framework attributes (kernel size, strides, filters, ...), JSON only. */
  attrs: Record<string, JsonValue>;
  /** Ids of producer nodes, in argument order. */
  inputs: string[];
  /** Output shape (batch included); null when unknown. */
  shape: Shape | null;
  /** Input shapes, in the order of `inputs`. */
  inputShapes: (Shape | null)[];
  /**
   * Parameters owned by the layer this node applies, counted on the layer's FIRST application only
   * (a reused layer's later nodes carry 0 and `reuseOf`). Keras: weights incl. BN moving stats.
   * PyTorch: nn.Parameters only.
   */
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** PyTorch buffers (BN running stats); 0 for Keras. */
  buffers: number;
  /** Multiply-accumulates (conv + linear/dense + matmul; 0 elsewhere), ResNet-paper/torchvision convention. */
  macs: number;
  /** Module path ("layer1/0/conv1") for PyTorch, helper-call path for Keras. */
  scope: string;
  /** Id of the layer/module object this node applies; shared by all applications of one layer. */
  layer?: string;
  /** Set on second and later applications of a layer: the id of the first application's node. */
  reuseOf?: string;
  /** Where the layer was constructed (PyTorch: `nn.Conv2d(...)` in `__init__`; Keras: the layer call). */
  created?: SourceSite;
  /** Where the layer was applied to a tensor (PyTorch: inside `forward`; Keras: the `layer(x)` call). */
  applied?: SourceSite;
  /** Set for nodes that stand for code we could not model (Lambda, unknown layer class). */
  opaque?: string;
  /**
   * Set when the layer's weights could not be sized (a Keras layer whose input dimension or size
   * argument the analyzer cannot know): `params` counts them as 0, the totals are a lower bound, and
   * a warning with code `unsized-weights` names the layer. Like `params`, on the first application only.
   */
  paramsUnknown?: true;
}

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: Severity;
  /** A sentence naming the thing: `Conv2d expects 64 input channels, got 128 (line 41).` */
  message: string;
  file: string;
  range: Range;
  /** Machine-readable kind: "shape-mismatch", "unknown-name", "unsupported", "skipped", "budget", "syntax", ... */
  code: string;
}

/** Parameter totals as the framework itself counts them (PyTorch includes unused modules; Keras only model layers). */
export interface ParamTotals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  buffers: number;
  /**
   * Instances of unmodelled classes stored on a module (`self.x = timm.layers.Foo()`) and never
   * applied: their weights, if any, are not counted (absent when none). Applied ones are marked on
   * their node (IRNode.paramsUnknown) instead.
   */
  unappliedUnknownModules?: number;
  /**
   * Module attributes a skipped statement would have set (`self.proj (line 12)`): a layer built with an
   * argument the analyzer could not know is missing from the tree, so the totals are a lower bound.
   * Also attributes holding a value a skipped statement could not compute. Absent when none.
   */
  skippedAttributes?: string[];
  /** Parameters of a shape the analyzer cannot know (`'table' of M (line 13)`), counted as 0. Absent when none. */
  unsizedParameters?: string[];
}

export interface GraphIR {
  version: typeof IR_VERSION;
  framework: Framework;
  file: string;
  /** The Python expression that produced the model. */
  entry: string;
  /** Model class / function name, for display. */
  modelName: string;
  inputs: string[];
  outputs: string[];
  /** Input shapes as analysed (framework layout, batch included). */
  inputShapes: Shape[];
  nodes: IRNode[];
  /** Totals from the model object itself (see ParamTotals); analysis uses these for params. */
  paramTotals: ParamTotals;
  /**
   * Class of each container / user module by scope path ("layer1/0" -> "Bottleneck"; "" is the model).
   * Framework layers that make their own node are not listed: the node's op names them.
   */
  moduleClasses?: Record<string, string>;
}
