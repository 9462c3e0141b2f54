// Embedding lookups (PyTorch nn.Embedding, Keras Embedding): tf.gather of token ids from a
// random [rows, dim] table, the layer's one weight. The ids are int32 values the plan draws in the
// table's range (lower-constants.ts); a float value computed by other layers cannot index a table.

import { embeddingRows } from "./lower-constants";
import type { Lowering } from "./lower-types";

export const lowerEmbedding: Lowering = (c) => {
  const { tf, node } = c;
  const rows = embeddingRows(node);
  const dim = node.attrs.embedding_dim ?? node.attrs.output_dim;
  if (rows === undefined || typeof dim !== "number") return `${node.op} does not record its table size (rows and embedding size), so it is not profiled.`;
  if (c.inBuilt.length !== 1) return `${node.op} with ${c.inBuilt.length} inputs is not a table lookup.`;
  if (!c.inIds[0]) {
    return `${node.op} reads '${node.inputs[0]}', which the profiler builds as floats: only model inputs (and reshapes or slices of them) that feed nothing but embeddings are built as token ids.`;
  }
  const table = c.weight(c.framework === "keras" ? "embeddings" : "weight", [rows, dim]);
  return (xs) => tf.gather(table, xs[0], 0);
};
