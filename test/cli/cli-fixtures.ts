// A fake analyzer and in-memory IO for running the CLI in-process.

import type { Analyzer, AnalyzerOptions, AnalyzerResult } from "../../src/cli/analyzer";
import type { CliIO } from "../../src/cli/run";
import type { GraphIR } from "../../src/ir/types";
import { IRBuilder } from "../analysis/ir-fixtures";

/** input -> conv(3->4, 3x3) -> relu -> pool -> fc(4->2): five nodes, no residual block. */
export function fiveNodeModel(): GraphIR {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 3, 8, 8]);
  b.node("conv", "Conv2d", "conv", ["x"], [1, 4, 8, 8], { params: 112, macs: 6912, scope: "features/0", line: 5 });
  b.node("relu", "ReLU", "activation", ["conv"], [1, 4, 8, 8], { scope: "features/1" });
  b.node("pool", "AdaptiveAvgPool2d", "pooling", ["relu"], [1, 4], { scope: "pool" });
  b.node("fc", "Linear", "dense", ["pool"], [1, 2], { params: 10, macs: 8, scope: "fc" });
  return b.build(["fc"], "SmallNet");
}

export interface FakeRun {
  io: CliIO;
  out: () => string;
  err: () => string;
  calls: AnalyzerOptions[];
}

/** In-memory files and a fake analyzer returning `result` (or computing it from the options). */
export function fakeIO(files: Record<string, string>, result: AnalyzerResult | ((o: AnalyzerOptions) => AnalyzerResult)): FakeRun {
  let out = "";
  let err = "";
  const calls: AnalyzerOptions[] = [];
  const analyze: Analyzer = (o) => {
    calls.push(o);
    return typeof result === "function" ? result(o) : result;
  };
  const io: CliIO = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    analyze,
    version: "0.1.0",
  };
  return { io, out: () => out, err: () => err, calls };
}
