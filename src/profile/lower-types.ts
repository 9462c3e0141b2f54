// The contract between the plan builder (lower.ts) and the per-op lowerings: a lowering looks at one
// IR node and either returns the function that computes it on built tensors, or a sentence saying
// why the node cannot be profiled.

import type { Framework, IRNode, JsonValue, Shape } from "../ir/types";
import type { Tf, TfTensor } from "./tf-api";

/** How a weight is initialised: random values, or ones-like positives (BN variance must be > 0). */
export type WeightInit = "random" | "positive";

export interface LoweringContext {
  tf: Tf;
  framework: Framework;
  node: IRNode;
  batch: number;
  /** The analyzer's input shapes (framework layout) of the node's tensor inputs. */
  inShapes: Shape[];
  /** Built (tf) shapes of the inputs and of the node's own output. */
  inBuilt: number[][];
  outBuilt: number[];
  /** The nodes that read this node's output (an LSTM's h_n / c_n, an attention's weights). */
  readers: IRNode[];
  /** Parameters of the node's layer as the analyzer counts them (on its first application). */
  layerParams: number;
  /** Which inputs hold int32 token ids (see lower-constants.ts) rather than floats. */
  inIds: boolean[];
  /** A weight of this node's layer (shared by every application of a reused layer); counted once. */
  weight(name: string, shape: number[], init?: WeightInit): TfTensor;
  /**
   * Keeps a tensor computed from weights at build time (BN folded into a conv's filter): freed with
   * the plan, and not a weight of the model, so not counted.
   */
  derived(t: TfTensor): TfTensor;
}

export type Run = (xs: TfTensor[]) => TfTensor;

/**
 * A step that also yields values other nodes read from the same computation (an RNN's final
 * states, an attention's weights): `run` returns the node's output, then one tensor per name in
 * `side`. A side name is the op of the reader node that takes it (`h_n`, `c_n`, `attn_weights`).
 */
export interface MultiRun {
  run: (xs: TfTensor[]) => TfTensor[];
  side: string[];
}

export type Lowering = (c: LoweringContext) => Run | MultiRun | string;

/** The ops of the nodes that take a value another node's step computes (see MultiRun). */
export const SIDE_OUTPUT_OPS = new Set(["h_n", "c_n", "state_h", "state_c", "attn_weights", "attention_scores"]);

/** The plan's key for a side output: `lstm#h_n`. '#' never appears in a node id. */
export function sideValueId(producer: string, name: string): string {
  return `${producer}#${name}`;
}

/** The side names among `names` that some reader of the node takes. */
export function sideOutputsRead(c: LoweringContext, names: readonly string[]): string[] {
  return names.filter((n) => c.readers.some((r) => r.op === n));
}

/** Attribute readers that tolerate the two stub sets' spellings. */
export function num(attrs: Record<string, JsonValue>, key: string, fallback?: number): number | undefined {
  const v = attrs[key];
  return typeof v === "number" ? v : fallback;
}

export function pair(attrs: Record<string, JsonValue>, key: string, fallback?: [number, number]): [number, number] | undefined {
  const v = attrs[key];
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) return [v[0] as number, v[1] as number];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === "number") return [v[0], v[0]];
  return fallback;
}

export function str(attrs: Record<string, JsonValue>, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === "string" ? v : undefined;
}

export function bool(attrs: Record<string, JsonValue>, key: string, fallback: boolean): boolean {
  const v = attrs[key];
  return typeof v === "boolean" ? v : fallback;
}

/** Whether a conv or dense layer carries a bias: PyTorch's `bias`, Keras's `use_bias`, true when neither says. */
export function layerHasBias(attrs: Record<string, JsonValue>): boolean {
  return bool(attrs, "bias", bool(attrs, "use_bias", true));
}

/** Disposes intermediate tensors of a composite lowering (never one of the node's inputs). */
export function release(inputs: TfTensor[], ...ts: TfTensor[]): void {
  for (const t of ts) if (!inputs.includes(t)) t.dispose();
}
