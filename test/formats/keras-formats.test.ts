// TF.js model.json, Keras v3 .keras and Keras 2 .h5 files written from code (one ResNet-18-sized
// residual CNN and one Sequential CNN, built for real with tfjs-layers) must give exactly the
// params and MACs that analysing the same network's Python source gives.

import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTfjsResnet, buildTfjsSequential, modelJson } from "./tfjs-models";
import { asKeras2, kerasH5, kerasZip, toKeras3, toKeras3Sequential } from "./keras-fixtures";
import { SMALL_PY, fromSource, totals } from "./helpers";
import { tfjsFormat } from "../../src/formats/tfjs";
import { kerasV3Format } from "../../src/formats/keras-v3";
import { kerasH5Format } from "../../src/formats/keras-h5";
import { analyzeGraph } from "../../src/analysis/summary";
import type { GraphIR } from "../../src/ir/types";

const enc = (s: string) => new TextEncoder().encode(s);

const fixtures = (async () => {
  const resnet = await buildTfjsResnet([2, 2, 2, 2], 224, 1000);
  const seq = await buildTfjsSequential();
  const resnetJson = await modelJson(resnet);
  const seqJson = await modelJson(seq);
  return { resnet, seq, resnetJson, seqJson, topo: JSON.parse(resnetJson).modelTopology, seqTopo: JSON.parse(seqJson).modelTopology };
})();

const RESNET = { params: 11_699_112, trainable: 11_689_512, nonTrainable: 9_600, buffers: 0, macs: 1_814_073_344 };
const SEQ = { params: 34_826, trainable: 34_826, nonTrainable: 0, buffers: 0, macs: 2_440_960 };

function sameAsSource(ir: GraphIR | null, entry: string, expected: typeof RESNET): void {
  const src = fromSource(SMALL_PY, entry);
  assert.deepEqual(totals(src), expected);
  assert.deepEqual(totals(ir), expected);
  const ids = (g: GraphIR) => g.nodes.map((n) => n.id).sort();
  assert.deepEqual(ids(ir!), ids(src));
  const byId = new Map(src.nodes.map((n) => [n.id, n]));
  for (const n of ir!.nodes) {
    const s = byId.get(n.id)!;
    assert.deepEqual([n.id, n.shape, n.params, n.macs], [s.id, s.shape, s.params, s.macs]);
  }
}

test("tfjs-layers builds the fixtures with the expected counts", async () => {
  const f = await fixtures;
  assert.equal(f.resnet.countParams(), RESNET.params);
  assert.equal(f.seq.countParams(), SEQ.params);
});

test("model.json (functional ResNet-18-sized) equals the Python source, node for node", async () => {
  const f = await fixtures;
  const r = await tfjsFormat.open("model.json", enc(f.resnetJson));
  assert.deepEqual(r.diagnostics, []);
  sameAsSource(r.ir, "build_resnet([2, 2, 2, 2], 224, 1000)", RESNET);
  const summary = analyzeGraph(r.ir!);
  assert.equal(summary.blocks.length, 8);
  assert.equal(summary.blocks.filter((b) => b.shortcut === "projection").length, 3);
});

test("model.json nodes point at their layer's entry in the JSON text", async () => {
  const f = await fixtures;
  const pretty = JSON.stringify(JSON.parse(f.resnetJson), null, 1);
  const r = await tfjsFormat.open("dir/model.json", enc(pretty));
  const conv = r.ir!.nodes.find((n) => n.id === "s2b1_proj")!;
  const line = pretty.split("\n")[conv.created!.range.start.line];
  assert.equal(conv.created!.file, "dir/model.json");
  assert.match(line, /^\s*\{$/);
  assert.match(pretty.split("\n").slice(conv.created!.range.start.line, conv.created!.range.start.line + 4).join("\n"), /"class_name": "Conv2D"/);
  assert.match(String(conv.attrs.configPath), /^modelTopology\.config\.layers\[\d+\]$/);
});

test("model.json (Sequential) equals the Python source", async () => {
  const f = await fixtures;
  const r = await tfjsFormat.open("model.json", enc(f.seqJson));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(totals(r.ir), SEQ);
  assert.deepEqual(totals(fromSource(SMALL_PY, "build_sequential()")), SEQ);
});

test("model.json: the weights manifest is the truth for params", async () => {
  const f = await fixtures;
  const j = JSON.parse(f.resnetJson);
  const fc = j.weightsManifest[0].weights.find((w: { name: string }) => w.name === "fc/kernel");
  fc.shape = [512, 10];
  const r = await tfjsFormat.open("model.json", enc(JSON.stringify(j)));
  // kernel 512x10 + the unchanged bias of 1000.
  assert.equal(r.ir!.paramTotals.params, RESNET.params - 513_000 + 6_120);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].message, "Layer 'fc' has 513,000 parameters by its config but 6,120 in the weights manifest; the manifest's count is used.");
});

test(".keras (Keras 3 config.json in a zip) equals the Python source", async () => {
  const f = await fixtures;
  const r = await kerasV3Format.open("model.keras", kerasZip(toKeras3(f.topo)));
  assert.deepEqual(r.diagnostics, []);
  sameAsSource(r.ir, "build_resnet([2, 2, 2, 2], 224, 1000)", RESNET);
  const seq = await kerasV3Format.open("seq.keras", kerasZip(toKeras3Sequential(f.seqTopo)));
  assert.deepEqual(seq.diagnostics, []);
  assert.deepEqual(totals(seq.ir), SEQ);
});

test(".h5 (Keras 2 model_config attribute) equals the Python source", async () => {
  const f = await fixtures;
  const bytes = await kerasH5(asKeras2(f.topo));
  const r = await kerasH5Format.open("weights.h5", bytes);
  assert.deepEqual(r.diagnostics, []);
  sameAsSource(r.ir, "build_resnet([2, 2, 2, 2], 224, 1000)", RESNET);
  assert.equal(r.ir!.nodes[1].created!.range.start.line, 0);
});

test("an unknown layer class becomes an opaque node and a warning naming the layer and key path", async () => {
  const f = await fixtures;
  const j = JSON.parse(f.resnetJson);
  const layers = j.modelTopology.config.layers;
  const i = layers.findIndex((l: { name: string }) => l.name === "s1b1_relu1");
  layers[i].class_name = "FancyActivation";
  const r = await tfjsFormat.open("model.json", enc(JSON.stringify(j)));
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, "warning");
  assert.equal(
    r.diagnostics[0].message,
    `Unknown layer class 'FancyActivation' for layer 's1b1_relu1' at modelTopology.config.layers[${i}].class_name: shown as an opaque node that passes its input shape through.`,
  );
  const node = r.ir!.nodes.find((n) => n.id === "s1b1_relu1")!;
  assert.equal(node.category, "opaque");
  assert.deepEqual(node.shape, [null, 56, 56, 64]);
  assert.equal(r.ir!.paramTotals.params, RESNET.params);
});

test("a wrong inbound tensor is a sentence naming the layer and key path", async () => {
  const f = await fixtures;
  const j = JSON.parse(f.resnetJson);
  const layers = j.modelTopology.config.layers;
  const i = layers.findIndex((l: { name: string }) => l.name === "gap");
  layers[i].inbound_nodes[0][0][0] = "nowhere";
  const r = await tfjsFormat.open("model.json", enc(JSON.stringify(j)));
  assert.equal(r.ir, null);
  assert.equal(
    r.diagnostics[0].message,
    `Layer 'gap' at modelTopology.config.layers[${i}].inbound_nodes[0] takes tensor ['nowhere', 0, 0] of layer 'nowhere', which is not in the config; it was left out.`,
  );
});
