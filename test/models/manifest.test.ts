// The acceptance tests: every model in test/fixtures/manifest.json analysed from source must give
// exactly the published / independently computed figures.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

interface Expected {
  file: string;
  entry: string | null;
  input: number[] | null;
  framework: string;
  params: number | null;
  trainableParams?: number;
  nonTrainableParams?: number;
  macs: number | null;
  depth?: number;
  residualBlocks?: number;
  identity?: number;
  projection?: number;
  outputShape?: (number | null)[];
  diagnostics?: { code: string; line: number }[];
}

const manifest: Expected[] = JSON.parse(readFileSync("test/fixtures/manifest.json", "utf8"));

export function readSibling(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

for (const m of manifest) {
  test(`${m.file} ${m.entry ?? "(default entry)"}: ${m.params ?? "?"} params, ${m.macs ?? "?"} MACs`, () => {
    const text = readFileSync(m.file, "utf8");
    const result = analyze({
      file: m.file,
      text,
      entry: m.entry ?? undefined,
      input: m.input ? [m.input] : undefined,
      readFile: (p) => readSibling(p.startsWith("/") ? p : join(p)),
    });
    // A model with a deliberate error still yields a (partial) graph; only its diagnostics are asserted.
    assert.ok(result.ir, `no graph: ${result.diagnostics.map((d) => d.message).join("\n")}`);
    if (m.params != null) {
      assert.ok(result.ir, `no graph: ${result.diagnostics.map((d) => d.message).join("\n")}`);
      const s = summarize(result.ir!, result.diagnostics);
      assert.equal(s.framework, m.framework);
      assert.equal(s.totals.params, m.params, "params");
      if (m.trainableParams !== undefined) assert.equal(s.totals.trainableParams, m.trainableParams, "trainable params");
      if (m.nonTrainableParams !== undefined) assert.equal(s.totals.nonTrainableParams, m.nonTrainableParams, "non-trainable params");
      if (m.macs != null) assert.equal(s.totals.macs, m.macs, "MACs");
      if (m.depth !== undefined) assert.equal(s.totals.depth, m.depth, "paper depth");
      if (m.residualBlocks !== undefined) assert.equal(s.residualBlocks.length, m.residualBlocks, "residual blocks");
      if (m.identity !== undefined) assert.equal(s.residualBlocks.filter((b) => b.shortcut === "identity").length, m.identity, "identity shortcuts");
      if (m.projection !== undefined) assert.equal(s.residualBlocks.filter((b) => b.shortcut === "projection").length, m.projection, "projection shortcuts");
      if (m.outputShape) assert.deepEqual(s.output[0], m.outputShape, "output shape");
    }
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, line: d.range.start.line + 1 }));
    assert.deepEqual(errors, m.diagnostics?.map((d) => ({ code: d.code, line: d.line })) ?? [], result.diagnostics.map((d) => d.message).join("\n"));
  });
}

void dirname;
