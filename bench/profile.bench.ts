// `node --import tsx bench/profile.bench.ts [--backends wasm,cpu,node] [--runs N]`: the per-layer
// profiler on ResNet-50 (PyTorch example, 1x3x224x224, batch 1) per backend. Reports the whole-model
// forward median, the per-layer-sum / whole ratio (target 0.95-1.05 on wasm), the run-to-run spread
// of layers over 1 ms (target under 5%), the wall time of a full profile with 2 warm-ups and 10 runs
// (target under 10 s on wasm) and the conv layers' achieved GFLOP/s against the measured matmul peak.
// The plain-JS cpu backend is ~30x slower, so it gets 1 warm-up and 2 runs (said in its line).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../src/analyze";
import { profileModel } from "../src/profile";
import { loadBackend } from "../backends/registry";
import type { BackendName } from "../src/profile/backend-choice";

const root = join(__dirname, "..");
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const backends = (flag("--backends") ?? "wasm,cpu,node").split(",") as BackendName[];
const runs = Number(flag("--runs") ?? 10);

const file = "examples/torch_resnet.py";
const ir = analyze({ file, text: readFileSync(join(root, file), "utf8"), entry: "resnet50()", input: [[1, 3, 224, 224]] }).ir!;

const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function main() {
  console.log(`ResNet-50 (${file}, resnet50(), 1x3x224x224), ${ir.nodes.length} nodes`);
  for (const name of backends) {
    let loaded;
    try {
      loaded = await loadBackend(name);
    } catch (e) {
      console.log(`${name}: not available (${e instanceof Error ? e.message.split(". ")[0] : e}).`);
      continue;
    }
    const slow = name === "cpu";
    const warmup = slow ? 1 : 2;
    const n = slow ? 2 : runs;
    const t0 = performance.now();
    const r = await profileModel(loaded.tf, ir, { warmup, runs: n, method: loaded.choice.method, device: loaded.choice.device });
    const profileS = (performance.now() - t0) / 1000;
    const big = r.nodes.filter((x) => x.medianMs > 1);
    const spreads = big.map((x) => (x.p90Ms - x.p10Ms) / x.medianMs);
    const convs = r.nodes.filter((x) => /conv/i.test(x.op) && x.gflopsPerSec !== null).map((x) => x.gflopsPerSec!);
    console.log(`\n${name}: ${r.device}; ${warmup} warm-up, ${n} runs${slow ? " (reduced: plain JS is slow)" : ""}`);
    console.log(`  whole model     median ${r.wholeModel.medianMs.toFixed(1)} ms (p10 ${r.wholeModel.p10Ms.toFixed(1)}, p90 ${r.wholeModel.p90Ms.toFixed(1)})`);
    console.log(`  layer sum/whole ${r.ratio.toFixed(3)} (${r.layerSumMs.toFixed(1)} ms; target 0.95-1.05)`);
    console.log(
      `  spread >1 ms    ${big.length} layers: median (p90-p10)/median ${(100 * med(spreads)).toFixed(1)}%, ` +
        `${spreads.filter((s) => s < 0.05).length}/${big.length} under 5%`,
    );
    console.log(`  full profile    ${profileS.toFixed(1)} s (build + ${warmup} warm-up + ${n}x(whole + per-layer) passes + peak)`);
    console.log(
      `  conv GFLOP/s    median ${med(convs).toFixed(1)}, best ${Math.max(...convs).toFixed(1)} vs matmul peak ${r.peakGflops?.toFixed(1) ?? "n/a"}`,
    );
    console.log(`  skipped ${r.skipped.length}, weights ${r.weightCount}, warnings ${r.warnings.length}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
