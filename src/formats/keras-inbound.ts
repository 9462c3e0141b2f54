// Keras functional configs say which tensors feed each layer application ("inbound nodes") in two
// dialects. Both are normalised here into argument trees whose leaves are tensor references.
//
// Keras 2 / TF.js:  "inbound_nodes": [[["conv1", 0, 0, {}], ["bn", 0, 0, {}]]]
//   one entry per application, each a list of [layer, node_index, tensor_index, call_kwargs];
//   a single tensor is passed alone, several as a list (merge layers).
// Keras 3:          "inbound_nodes": [{"args": [<tree>], "kwargs": {...}}]
//   where each tensor is {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}.

import type { JsonValue } from "../ir/types";

export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

export type ArgTree =
  | { kind: "ref"; ref: TensorRef }
  | { kind: "list"; items: ArgTree[] }
  | { kind: "value"; value: JsonValue };

export interface InboundNode {
  args: ArgTree[];
  /** Keyword arguments that hold tensors (e.g. `mask`); plain values are dropped. */
  kwargs: Record<string, ArgTree>;
}

type Obj = { [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A [name, node, tensor] triple (Keras 2 entries have a 4th kwargs element). */
export function refOf(v: JsonValue | undefined): TensorRef | undefined {
  if (!Array.isArray(v) || v.length < 3 || typeof v[0] !== "string") return undefined;
  const node = v[1];
  const tensor = v[2];
  if (typeof node !== "number" || typeof tensor !== "number") return undefined;
  return { layer: v[0], node, tensor };
}

function keras3Tree(v: JsonValue): ArgTree {
  if (isObj(v) && v.class_name === "__keras_tensor__" && isObj(v.config)) {
    const ref = refOf(v.config.keras_history);
    if (ref) return { kind: "ref", ref };
  }
  if (Array.isArray(v)) return { kind: "list", items: v.map(keras3Tree) };
  return { kind: "value", value: v };
}

function hasRef(t: ArgTree): boolean {
  return t.kind === "ref" || (t.kind === "list" && t.items.some(hasRef));
}

/**
 * Parses a layer's inbound_nodes; `where` names the key path for messages. Throws a sentence
 * (string) when the structure is neither dialect.
 */
export function parseInboundNodes(v: JsonValue | undefined, where: string): InboundNode[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw `${where} should be a list, got ${typeof v}.`;
  return v.map((node, i): InboundNode => {
    const at = `${where}[${i}]`;
    if (isObj(node)) {
      const args = Array.isArray(node.args) ? node.args.map(keras3Tree) : [];
      const kwargs: Record<string, ArgTree> = {};
      if (isObj(node.kwargs)) {
        for (const [k, kv] of Object.entries(node.kwargs)) {
          const t = keras3Tree(kv);
          if (hasRef(t)) kwargs[k] = t;
        }
      }
      if (!args.some(hasRef)) throw `${at} has no input tensor (expected "args" holding "__keras_tensor__" entries).`;
      return { args, kwargs };
    }
    if (Array.isArray(node)) {
      const refs = node.map((e, j) => {
        const r = refOf(e);
        if (!r) throw `${at}[${j}] should be [layer_name, node_index, tensor_index, kwargs], got ${JSON.stringify(e).slice(0, 60)}.`;
        return r;
      });
      if (refs.length === 0) throw `${at} is an empty list of input tensors.`;
      const items: ArgTree[] = refs.map((ref) => ({ kind: "ref", ref }));
      return { args: [items.length === 1 ? items[0] : { kind: "list", items }], kwargs: {} };
    }
    throw `${at} should be a list or an object with "args", got ${JSON.stringify(node).slice(0, 60)}.`;
  });
}

/** input_layers / output_layers: [["in", 0, 0], ...] or a single ["in", 0, 0] (Keras 3, one tensor). */
export function parseEndpoints(v: JsonValue | undefined, where: string): TensorRef[] {
  const single = refOf(v);
  if (single) return [single];
  if (!Array.isArray(v)) throw `${where} is missing or is not a list of [layer_name, node_index, tensor_index].`;
  return v.map((e, i) => {
    const r = refOf(e);
    if (!r) throw `${where}[${i}] should be [layer_name, node_index, tensor_index], got ${JSON.stringify(e).slice(0, 60)}.`;
    return r;
  });
}

/** All tensor references in a tree, in order. */
export function refsIn(t: ArgTree): TensorRef[] {
  if (t.kind === "ref") return [t.ref];
  if (t.kind === "list") return t.items.flatMap(refsIn);
  return [];
}
