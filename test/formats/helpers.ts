// Shared by the format tests: totals of an IR and the same network analysed from Python source.

import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import type { GraphIR } from "../../src/ir/types";

export interface Totals {
  params: number;
  trainable: number;
  nonTrainable: number;
  buffers: number;
  macs: number;
}

export function totals(ir: GraphIR | null): Totals {
  if (!ir) throw new Error("no IR");
  return {
    params: ir.paramTotals.params,
    trainable: ir.paramTotals.trainableParams,
    nonTrainable: ir.paramTotals.nonTrainableParams,
    buffers: ir.paramTotals.buffers,
    macs: ir.nodes.reduce((s, n) => s + n.macs, 0),
  };
}

const cache = new Map<string, GraphIR>();

/** Analyses `file` (repo-relative) with `entry`; cached per file+entry. */
export function fromSource(file: string, entry: string, input?: number[][]): GraphIR {
  const key = `${file}|${entry}|${JSON.stringify(input)}`;
  let ir = cache.get(key);
  if (!ir) {
    const r = analyze({ file, text: readFileSync(file, "utf8"), entry, input });
    if (!r.ir) throw new Error(`analysis of ${file} failed: ${r.diagnostics.map((d) => d.message).join("; ")}`);
    ir = r.ir;
    cache.set(key, ir);
  }
  return ir;
}

export const SMALL_PY = "test/fixtures/formats/keras_resnet_small.py";
