// The values a plan builds once and every pass reads: model inputs, random stand-ins for skipped
// nodes, and the Parameters a PyTorch module uses directly in forward code (ViT's cls_token and
// position embedding). A value read only by embeddings (through reshapes and slices) holds int32
// token ids in the smallest table's range, since tf.gather takes nothing else; the rest are floats.

import type { GraphIR, IRNode } from "../ir/types";
import { builtShape } from "./layout";
import type { Tf, TfTensor } from "./tf-api";

const EMBEDDING_OPS = new Set(["Embedding", "embedding"]);

/** Rows of an embedding's table: PyTorch `num_embeddings`, Keras `input_dim`. */
export function embeddingRows(node: IRNode): number | undefined {
  const rows = node.attrs.num_embeddings ?? node.attrs.input_dim;
  return typeof rows === "number" && rows > 0 ? rows : undefined;
}

/** Nodes that hand their input on unchanged in dtype (reshapes, slices, dropout): ids stay ids. */
export function passesIdsThrough(node: IRNode): boolean {
  return node.category === "reshape" || node.category === "dropout";
}

/** Which nodes read each node, in graph order. */
export function readersOf(ir: GraphIR): Map<string, IRNode[]> {
  const readers = new Map<string, IRNode[]>();
  for (const n of ir.nodes) {
    for (const id of new Set(n.inputs)) {
      const list = readers.get(id);
      if (list) list.push(n);
      else readers.set(id, [n]);
    }
  }
  return readers;
}

/**
 * The number of token ids a value can hold: the smallest table among the embeddings that read it
 * (directly or through pass-through nodes), when nothing else reads it; undefined otherwise.
 */
export function tokenIdRange(id: string, readers: Map<string, IRNode[]>): number | undefined {
  let rows = Infinity;
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const next = readers.get(queue.pop()!) ?? [];
    for (const r of next) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      if (EMBEDDING_OPS.has(r.op)) {
        const n = embeddingRows(r);
        if (n === undefined) return undefined;
        rows = Math.min(rows, n);
      } else if (passesIdsThrough(r)) queue.push(r.id);
      else return undefined;
    }
  }
  return Number.isFinite(rows) ? rows : undefined;
}

/** Floats in [0, 1), or int32 ids in [0, rows) when `rows` is given. */
export function randomValue(tf: Tf, shape: number[], seed: string | undefined, rows?: number): TfTensor {
  if (rows === undefined) return tf.randomUniform(shape, 0, 1, "float32", seed);
  // floor of [0, rows - 0.5) is in [0, rows - 1] (tfjs's own int32 draw rounds, reaching `rows`).
  const u = tf.randomUniform(shape, 0, rows - 0.5, "float32", seed);
  const f = tf.floor(u);
  const ids = tf.cast(f, "int32");
  u.dispose();
  f.dispose();
  return ids;
}

/**
 * A PyTorch Parameter used in forward code: its own shape (its first dim is not a batch), NHWC when
 * 4-D like every built 4-D PyTorch tensor. Null when a dimension is unknown.
 */
export function parameterShape(ir: GraphIR, node: IRNode): number[] | null {
  const shape = node.shape;
  if (!shape || shape.some((d) => d === null)) return null;
  return builtShape(ir.framework, shape, shape[0] ?? 1);
}
