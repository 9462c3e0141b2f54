// Model-file benchmark: open-to-IR time of a ResNet-50 in each format (files generated here:
// tfjs-layers model.json, Keras 3 .keras zip, Keras 2 .h5 with a real-size weights dataset, ONNX
// with real-size raw_data), median of N runs; then one ~500 MB ONNX and one ~500 MB HDF5 file,
// opened once each, with time and memory (RSS and ArrayBuffer growth). Timings live here only.

import { buildTfjsResnet, modelJson } from "../test/formats/tfjs-models";
import { asKeras2, kerasH5, kerasZip, toKeras3 } from "../test/formats/keras-fixtures";
import { resnetOnnx } from "../test/formats/onnx-writer";
import { openModelFile } from "../src/formats/index";
import { median, renderTable } from "./bench-stats";

const RUNS = Math.max(5, Number(process.argv[process.argv.indexOf("--runs") + 1]) || 10);

async function timeOpen(name: string, bytes: Uint8Array, runs: number): Promise<{ ms: number; params: number; macs: number; nodes: number }> {
  const times: number[] = [];
  let last = await openModelFile(name, bytes); // warm-up (h5wasm start-up, JIT)
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await openModelFile(name, bytes);
    times.push(performance.now() - t0);
  }
  if (!last.ir) throw new Error(`${name}: ${last.diagnostics.map((d) => d.message).join(" ")}`);
  return { ms: median(times), params: last.ir.paramTotals.params, macs: last.ir.nodes.reduce((s, n) => s + n.macs, 0), nodes: last.ir.nodes.length };
}

const mb = (n: number) => (n / 2 ** 20).toFixed(0);

async function big(name: string, make: () => Promise<Uint8Array> | Uint8Array): Promise<string[]> {
  const bytes = await make();
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const r = await openModelFile(name, bytes);
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  if (!r.ir) throw new Error(`${name}: ${r.diagnostics.map((d) => d.message).join(" ")}`);
  return [name, `${mb(bytes.length)} MB`, ms.toFixed(0), `+${mb(after.rss - before.rss)} MB`, `+${mb(after.arrayBuffers - before.arrayBuffers)} MB`, r.ir.paramTotals.params.toLocaleString("en-US")];
}

async function main(): Promise<void> {
  const model = await buildTfjsResnet([3, 4, 6, 3], 224, 1000, true);
  const json = await modelJson(model);
  const topo = JSON.parse(json).modelTopology;
  const files: [string, Uint8Array][] = [
    ["resnet50/model.json", new TextEncoder().encode(json)],
    ["resnet50.keras", kerasZip(toKeras3(topo), new Uint8Array(model.countParams() * 4))],
    ["resnet50.h5", await kerasH5(asKeras2(topo), model.countParams())],
    ["resnet50.onnx", resnetOnnx([3, 4, 6, 3], true, { payload: true })],
  ];
  const rows: string[][] = [];
  for (const [name, bytes] of files) {
    const r = await timeOpen(name, bytes, RUNS);
    rows.push([name, `${mb(bytes.length)} MB`, r.ms.toFixed(1), String(r.nodes), r.params.toLocaleString("en-US"), r.macs.toLocaleString("en-US")]);
  }
  console.log(`\nModel files: open-to-IR, ResNet-50, median of ${RUNS} runs (ms)\n`);
  console.log(renderTable(["file", "size", "median ms", "nodes", "params", "MACs"], rows));

  const large = [
    await big("large.onnx", () => resnetOnnx([3, 4, 6, 3], true, { payload: true, classes: 50_000 })),
    await big("large.h5", () => kerasH5(asKeras2(topo), 125_000_000)),
  ];
  console.log("\nLarge files: one open each (memory = growth of the process while opening)\n");
  console.log(renderTable(["file", "size", "ms", "RSS", "ArrayBuffers", "params"], large));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
