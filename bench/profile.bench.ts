// `node --import tsx bench/profile.bench.ts [--backends wasm,cpu,node] [--runs N] [--repeats N] [--no-fuse]
//   [--model resnet50|mobilenet_v2] [--fusion-ab]`:
// the per-layer profiler on ResNet-50 (PyTorch example, 1x3x224x224, batch 1; --model mobilenet_v2:
// the MobileNetV2 example, where 17 of the 52 conv + BN pairs are depthwise) per backend. Each
// backend gets `repeats` full profiles (2 warm-ups, `runs` runs) in one process; every figure is
// printed as min and median over the repeats, with the load average before and after, because the
// machine is shared and timings are noisy. Figures: the whole-model forward median (from the
// profile, and from plain passes without per-layer clocks in a cross-check that also separates the
// machine's own pass-to-pass swings from the method's per-layer noise), the per-layer-sum /
// whole ratio (target 0.95-1.05 on wasm), the run-to-run spread (p90 - p10) / median of layers over
// 1 ms (target under 5%), the wall time of a full profile and its phases (target under 10 s on wasm)
// and the conv layers' achieved GFLOP/s against the measured matmul peak.
// The plain-JS cpu backend is ~30x slower, so it gets 1 warm-up, 2 runs and 1 repeat (said in its line).
// --fusion-ab measures what fusion changes instead: per backend, `repeats` rounds of one fused and one
// unfused profile (which goes first alternates by round), then plain passes (no per-layer clocks)
// alternating between a fused and an unfused plan, so both figures come from the same windows of load.
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { analyze } from "../src/analyze";
import { buildPlan, consumerCounts, disposeOutputs, disposePlan, planFusion, profileModel, runPass, type ProfileProgress, type Tf, type TfTensor, type TimingMethod } from "../src/profile";
import { loadBackend } from "../backends/registry";
import type { BackendName } from "../src/profile/backend-choice";
import { spread, summarise } from "../src/profile/stats";
import { median, minMedian, renderTable } from "./bench-stats";

const root = join(__dirname, "..");
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const backends = (flag("--backends") ?? "wasm,cpu,node").split(",") as BackendName[];
const runs = Number(flag("--runs") ?? 10);
const repeats = Math.max(1, Number(flag("--repeats") ?? 3));
const fuse = !argv.includes("--no-fuse");
const fusionAb = argv.includes("--fusion-ab");

const MODELS: Record<string, { title: string; file: string; entry: string }> = {
  resnet50: { title: "ResNet-50", file: "examples/torch_resnet.py", entry: "resnet50()" },
  mobilenet_v2: { title: "MobileNetV2", file: "examples/torch_mobilenet_v2.py", entry: "mobilenet_v2()" },
};
const modelKey = flag("--model") ?? "resnet50";
const model = MODELS[modelKey];
if (!model) throw new Error(`--model must be one of ${Object.keys(MODELS).join(", ")}; got "${modelKey}".`);
const { file, entry, title } = model;
const ir = analyze({ file, text: readFileSync(join(root, file), "utf8"), entry, input: [[1, 3, 224, 224]] }).ir!;

const load = () => loadavg().map((l) => l.toFixed(2)).join(", ");

/** Busy CPU time of the whole machine (Linux /proc/stat), in ms; null elsewhere. */
function machineBusyMs(): number | null {
  if (!existsSync("/proc/stat")) return null;
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal, in clock ticks (100 per second on Linux).
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * 10;
}

/** Runs `fn` and says how many cores other processes kept busy meanwhile (machine busy time less ours). */
async function withOthersLoad<T>(fn: () => Promise<T>): Promise<{ value: T; othersCores: number | null }> {
  const busy0 = machineBusyMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = performance.now() - t0;
  const busy1 = machineBusyMs();
  const cpu = process.cpuUsage(cpu0);
  const ours = (cpu.user + cpu.system) / 1000;
  return { value, othersCores: busy0 === null || busy1 === null ? null : Math.max(0, (busy1 - busy0 - ours) / wall) };
}

interface Figures {
  /** Cores other processes kept busy during this profile (null: not measurable here). */
  othersCores: number | null;
  wholeMs: number;
  ratio: number;
  spreadPct: number;
  under5: string;
  profileS: number;
  phases: string;
  convGflops: number;
  bestConv: number;
  peak: number | null;
}

/** One full profile, timed from the call to the result, with the time spent in each phase. */
async function oneProfile(tf: Tf, warmup: number, n: number, method: TimingMethod, device: string): Promise<Figures> {
  const marks: [ProfileProgress["phase"], number][] = [];
  const t0 = performance.now();
  const { value: r, othersCores } = await withOthersLoad(() => profileModel(tf, ir, {
    warmup,
    runs: n,
    method,
    device,
    fuse,
    onProgress: (p) => {
      if (marks.at(-1)?.[0] !== p.phase) marks.push([p.phase, performance.now() - t0]);
    },
  }));
  const profileMs = performance.now() - t0;
  const phases = marks.map(([phase, at], i) => `${phase} ${(((marks[i + 1]?.[1] ?? profileMs) - at) / 1000).toFixed(1)}`).join(", ");
  const big = r.nodes.filter((x) => x.medianMs > 1);
  const spreads = big.map((x) => (x.p90Ms - x.p10Ms) / x.medianMs);
  const convs = r.nodes.filter((x) => /conv/i.test(x.op) && x.gflopsPerSec !== null).map((x) => x.gflopsPerSec!);
  return {
    othersCores,
    wholeMs: r.wholeModel.medianMs,
    ratio: r.ratio,
    spreadPct: 100 * median(spreads),
    under5: `${spreads.filter((s) => s < 0.05).length}/${big.length}`,
    profileS: profileMs / 1000,
    phases,
    convGflops: median(convs),
    bestConv: Math.max(...convs),
    peak: r.peakGflops,
  };
}

interface CrossCheck {
  plainMs: number[];
  clockedMs: number[];
  /** Median over clocked passes of (sum of layer clocks) / (pass wall time). */
  coverage: number;
  /** (p90 - p10) / median of the plain passes: how much the machine itself moves a whole pass. */
  wholeSpread: number;
  /** Median over layers > 1 ms of their (p90 - p10) / median, raw and with each pass's speed divided out. */
  layerSpread: number;
  layerSpreadPassNormalised: number;
  /** (p90 - p10) / median of one fixed conv repeated back to back: the machine's floor for any layer. */
  fixedKernelSpread: number;
  fixedKernelMs: number;
}

/**
 * The same 3x3 conv (ResNet-50's layer3 shape, 14x14x256 -> 256) run `n` times back to back on one
 * cached input: nothing changes between runs, so its spread is what this machine does to a fixed
 * amount of work over a profile's few seconds. No per-layer method can show less than this floor.
 */
function fixedKernelFloor(tf: Tf, n: number): { spread: number; medianMs: number } {
  const api = tf as unknown as {
    randomNormal(shape: number[]): TfTensor;
    conv2d(x: TfTensor, w: TfTensor, strides: number, pad: "same"): TfTensor;
  };
  const x = api.randomNormal([1, 14, 14, 256]);
  const w = api.randomNormal([3, 3, 256, 256]);
  try {
    for (let i = 0; i < 3; i++) api.conv2d(x, w, 1, "same").dispose();
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      api.conv2d(x, w, 1, "same").dispose();
      ms.push(performance.now() - t0);
    }
    const s = summarise(ms);
    return { spread: spread(s), medianMs: s.medianMs };
  } finally {
    x.dispose();
    w.dispose();
  }
}

/**
 * The profile's method checked from outside: plain passes (no per-layer clocks at all) alternate
 * with clocked ones on one plan. Plain vs clocked medians show what the clocks cost; coverage shows
 * how much of a pass the layer clocks account for; the whole-pass spread shows how much the machine
 * moves a pass; and dividing each clocked pass's layer times by that pass's speed factor (its wall
 * time / the median wall time) shows how much of the per-layer spread is the machine (a diagnostic,
 * never a reported latency).
 */
function crossCheck(tf: Tf, n: number): CrossCheck {
  const plan = buildPlan(tf, ir, { batch: 1, fusion: fuse ? undefined : false });
  try {
    const counts = consumerCounts(plan);
    for (let i = 0; i < 2; i++) disposeOutputs(plan, runPass(plan, counts));
    const plainMs: number[] = [];
    const clockedMs: number[] = [];
    const perStep: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      let outs = runPass(plan, counts);
      plainMs.push(performance.now() - t0);
      disposeOutputs(plan, outs);
      const times = new Float64Array(plan.steps.length);
      t0 = performance.now();
      outs = runPass(plan, counts, { times });
      clockedMs.push(performance.now() - t0);
      disposeOutputs(plan, outs);
      perStep.push(times);
    }
    const floor = fixedKernelFloor(tf, 100);
    const spreadOf = (xs: number[]) => spread(summarise(xs));
    const typical = median(clockedMs);
    const big = plan.steps.map((_, j) => j).filter((j) => median(perStep.map((t) => t[j])) > 1);
    return {
      plainMs,
      clockedMs,
      coverage: median(perStep.map((t, i) => t.reduce((a, b) => a + b, 0) / clockedMs[i])),
      wholeSpread: spreadOf(plainMs),
      layerSpread: median(big.map((j) => spreadOf(perStep.map((t) => t[j])))),
      layerSpreadPassNormalised: median(big.map((j) => spreadOf(perStep.map((t, i) => (t[j] * typical) / clockedMs[i])))),
      fixedKernelSpread: floor.spread,
      fixedKernelMs: floor.medianMs,
    };
  } finally {
    disposePlan(plan);
  }
}

const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const both = (xs: number[], f: (x: number) => string) => {
  const m = minMedian(xs);
  return `min ${f(m.min)}, median ${f(m.median)}`;
};

/** Whole-model figures with and without fusion, measured alternately in the same windows. */
async function fusionComparison(tf: Tf, warmup: number, n: number, reps: number, method: TimingMethod, device: string): Promise<void> {
  const profiled: Record<"fused" | "unfused", number[]> = { fused: [], unfused: [] };
  const ratios: Record<"fused" | "unfused", number[]> = { fused: [], unfused: [] };
  const { othersCores } = await withOthersLoad(async () => {
    for (let i = 0; i < reps; i++) {
      for (const fused of i % 2 === 0 ? [true, false] : [false, true]) {
        const r = await profileModel(tf, ir, { warmup, runs: n, method, device, fuse: fused, peak: false });
        const key = fused ? "fused" : "unfused";
        profiled[key].push(r.wholeModel.medianMs);
        ratios[key].push(r.ratio);
      }
    }
  });
  // The third plan fuses regular convs only, as the profiler did before depthwise fusion.
  const regularOnly = new Map([...planFusion(ir)].filter(([, g]) => g.kind === "conv2d"));
  const plans = [buildPlan(tf, ir, { batch: 1 }), buildPlan(tf, ir, { batch: 1, fusion: false }), buildPlan(tf, ir, { batch: 1, fusion: regularOnly })];
  const plain: number[][] = plans.map(() => []);
  try {
    const counts = plans.map(consumerCounts);
    const pass = (j: number) => {
      const t0 = performance.now();
      const outs = runPass(plans[j], counts[j]);
      const ms = performance.now() - t0;
      disposeOutputs(plans[j], outs);
      return ms;
    };
    for (let i = 0; i < 2; i++) for (let j = 0; j < plans.length; j++) pass(j);
    // Rotate which plan goes first, so none always follows the same one.
    for (let i = 0; i < n; i++) for (let k = 0; k < plans.length; k++) plain[(i + k) % plans.length].push(pass((i + k) % plans.length));
    const steps = plans.map((p) => `${p.steps.length} steps (${p.fused.length} nodes fused)`);
    console.log(`  plans           fused ${steps[0]}, unfused ${steps[1]}, regular convs only ${steps[2]}; weights ${plans.map((p) => p.weightCount).join(" / ")}`);
  } finally {
    for (const p of plans) disposePlan(p);
  }
  const ms = (xs: number[]) => both(xs, f1);
  console.log(`  others' load    ${othersCores === null ? "n/a" : othersCores.toFixed(2)} cores during the profiles`);
  console.log(`  whole model     fused ${ms(profiled.fused)} ms; unfused ${ms(profiled.unfused)} ms (each a profile's median of ${n} runs, ${reps} profiles each)`);
  console.log(`  layer sum/whole fused ${both(ratios.fused, f3)}; unfused ${both(ratios.unfused, f3)}`);
  console.log(`  plain passes    fused ${ms(plain[0])} ms; unfused ${ms(plain[1])} ms; regular convs only ${ms(plain[2])} ms (${n} each, rotating, no clocks)`);
  console.log(`  unfused/fused   ${f3(median(profiled.unfused) / median(profiled.fused))} (profile medians), ${f3(median(plain[1]) / median(plain[0]))} (plain-pass medians); regular-only/fused ${f3(median(plain[2]) / median(plain[0]))}`);
}

async function main() {
  const what = fusionAb ? "fused vs unfused (--fusion-ab)" : fuse ? "conv + BN + activation fused" : "no fusion (--no-fuse)";
  console.log(`${title} (${file}, ${entry}, 1x3x224x224), ${ir.nodes.length} nodes; ${what}`);
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
    const reps = slow ? 1 : repeats;
    const before = load();
    if (fusionAb) {
      console.log(`\n${name}: ${loaded.choice.device}; ${warmup} warm-up, ${n} runs, ${reps} profiles fused and ${reps} unfused`);
      await fusionComparison(loaded.tf, warmup, n, reps, loaded.choice.method, loaded.choice.device);
      console.log(`  load avg ${before} before; ${load()} after (1, 5, 15 min; 2 cores)`);
      continue;
    }
    const all: Figures[] = [];
    for (let i = 0; i < reps; i++) all.push(await oneProfile(loaded.tf, warmup, n, loaded.choice.method, loaded.choice.device));
    const check = slow ? null : crossCheck(loaded.tf, n);
    const after = load();
    const pick = <K extends keyof Figures>(k: K) => all.map((f) => f[k] as number);
    console.log(`\n${name}: ${loaded.choice.device}; ${warmup} warm-up, ${n} runs, ${reps} profile${reps > 1 ? "s" : ""}${slow ? " (reduced: plain JS is slow)" : ""}`);
    console.log(`  load avg ${before} before; ${after} after (1, 5, 15 min; 2 cores)`);
    const rows = all.map((f, i) => [
      String(i + 1),
      f.othersCores === null ? "n/a" : f.othersCores.toFixed(2),
      f1(f.wholeMs),
      f3(f.ratio),
      f1(f.spreadPct),
      f.under5,
      f1(f.profileS),
      f1(f.convGflops),
      f.peak?.toFixed(1) ?? "n/a",
      f.phases,
    ]);
    const table = renderTable(["profile", "others (cores)", "whole ms", "sum/whole", "spread %", "<5%", "profile s", "conv GF/s", "peak GF/s", "phases (s)"], rows);
    console.log(table.replace(/^/gm, "  "));
    console.log(`  whole model     ${both(pick("wholeMs"), f1)} ms (each a median of ${n} runs)`);
    if (check) {
      const c = check;
      console.log(`  cross-check     ${n} plain passes (no clocks) alternating with ${n} clocked ones, outside the profiler:`);
      console.log(`    plain         min ${f1(Math.min(...c.plainMs))}, median ${f1(median(c.plainMs))} ms; clocked min ${f1(Math.min(...c.clockedMs))}, median ${f1(median(c.clockedMs))} ms`);
      console.log(`    coverage      ${f3(c.coverage)} of each clocked pass is inside a layer clock`);
      console.log(`    spread        whole pass ${f1(100 * c.wholeSpread)}%; layers >1 ms ${f1(100 * c.layerSpread)}%, ${f1(100 * c.layerSpreadPassNormalised)}% with each pass's speed divided out`);
      console.log(`    floor         one fixed conv (${f1(c.fixedKernelMs)} ms) repeated 100 times back to back: spread ${f1(100 * c.fixedKernelSpread)}%`);
    }
    console.log(`  layer sum/whole ${both(pick("ratio"), f3)} (target 0.95-1.05)`);
    console.log(`  spread >1 ms    ${both(pick("spreadPct"), f1)}% (median over layers of (p90-p10)/median; target under 5%)`);
    console.log(`  full profile    ${both(pick("profileS"), f1)} s (build + ${warmup} warm-up + ${n} runs + peak; target under 10 s on wasm)`);
    console.log(`  conv GFLOP/s    median ${both(pick("convGflops"), f1)}; best layer ${f1(Math.max(...pick("bestConv")))}; matmul peak max ${f1(Math.max(...all.map((f) => f.peak ?? 0)))}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
