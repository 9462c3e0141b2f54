// The webview's GPU profiling path in headless Chromium with software rendering (SwiftShader):
// a report for PyTorch ResNet-18 at 1x3x32x32 loads the profiler bundle on demand, profiles on webgl
// (and webgpu where it initialises), posts progress and a result the host's validation accepts, and
// the latency overlay, table columns, legend and slowest-block button work on it. Software rendering
// proves the path; its timings mean nothing and are never asserted beyond "positive".

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { CHROMIUM_ARGS, ROOT, launch, makeReport, openReport, skipReason, type Browser } from "./browser";
import { isWebviewToHost, type WebviewToHost } from "../../src/protocol";
import type { ProfileResult } from "../../src/profile/result";
import { irOf, torchExpectedWeights } from "../profile/helpers";

/** SwiftShader for WebGL with timer queries, and for WebGPU; no --disable-gpu (it would hide WebGPU). */
const GPU_ARGS = [
  ...CHROMIUM_ARGS.filter((a) => a !== "--disable-gpu"),
  "--use-angle=swiftshader",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-webgpu-adapter=swiftshader",
];

const launchGpu = (): Promise<Browser> => launch(GPU_ARGS);

const INPUT = "1,3,32,32";
const report = (name: string, extra: string[] = []) => makeReport("torch_resnet.py", name, ["--entry", "resnet18()", "--input", INPUT, ...extra]);

/** Records what the view posts to its host (the standalone host stands in for the extension). */
async function recordPosts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __posted: unknown[]; resgraph: { host: { post(m: unknown): void } } };
    w.__posted = [];
    const host = w.resgraph.host;
    const post = host.post.bind(host);
    host.post = (m) => {
      w.__posted.push(JSON.parse(JSON.stringify(m)));
      post(m);
    };
  });
}

/** Plays the host: sends runProfile and waits for the run's final message. */
async function runProfile(page: Page, request: { id: number; backend: string; warmup: number; runs: number; batch: number }, timeout = 300_000): Promise<WebviewToHost[]> {
  await page.evaluate((r) => window.resgraph!.onMessage({ type: "runProfile", ...r } as never), request);
  await page.waitForFunction(
    (id) => (window as unknown as { __posted: { type: string; inReplyTo?: number }[] }).__posted.some((m) => m.inReplyTo === id && (m.type === "profileResult" || m.type === "profileFailed")),
    request.id,
    { timeout, polling: 250 },
  );
  const posted = await page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
  return posted.filter((m) => m.inReplyTo === request.id);
}

function finalResult(replies: WebviewToHost[]): ProfileResult {
  const last = replies[replies.length - 1];
  if (last.type === "profileFailed") assert.fail(`the profile failed (${last.code}): ${last.message}`);
  assert.equal(last.type, "profileResult");
  return (last as Extract<WebviewToHost, { type: "profileResult" }>).result;
}

describe("profiling in the webview (headless Chromium, SwiftShader)", { skip: skipReason }, () => {
  let browser: Browser;
  let page: Page;
  let webglResult: ProfileResult | null = null;
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 32, 32]]);

  before(async () => {
    browser = await launchGpu();
    page = await openReport(browser, report("resnet18-profile"));
    await recordPosts(page);
  });
  after(async () => {
    await browser?.close();
  });

  test("the profiler is not loaded at startup, and latency is unavailable before a profile", async () => {
    const state = await page.evaluate(() => ({
      loaded: "resgraphProfiler" in window,
      carried: document.getElementById("resgraph-profiler") !== null,
      latencyDisabled: document.querySelector<HTMLOptionElement>('select[data-action="heat"] option[value="latency"]')!.disabled,
      slowestDisabled: document.querySelector<HTMLButtonElement>('button[data-action="slowest-block"]')!.disabled,
      msColumn: document.querySelector('th[data-sort="ms"]') !== null,
    }));
    assert.deepEqual(state, { loaded: false, carried: true, latencyDisabled: true, slowestDisabled: true, msColumn: false });
  });

  test("webgl (runs 2, warmup 1): progress, then a valid result with every layer measured", async () => {
    const replies = await runProfile(page, { id: 9001, backend: "webgl", warmup: 1, runs: 2, batch: 1 });
    for (const m of replies) assert.ok(isWebviewToHost(m), `the host accepts ${m.type}`);
    const progress = replies.filter((m): m is Extract<WebviewToHost, { type: "profileProgress" }> => m.type === "profileProgress");
    const phases = new Set(progress.map((p) => p.phase));
    for (const phase of ["load", "build", "check", "run"] as const) assert.ok(phases.has(phase), `progress reports the ${phase} phase`);
    assert.ok(progress.some((p) => p.phase === "run" && p.done === 2 && p.total === 2), "the last run is reported");
    const r = finalResult(replies);
    webglResult = r;
    assert.equal(r.backend, "webgl");
    assert.equal(r.method, "kernel-profile");
    assert.match(r.device, /^WebGL 2 on .*SwiftShader.*\(GPU timer queries\)$/);
    assert.equal(r.runs, 2);
    assert.equal(r.warmup, 1);
    assert.equal(r.batch, 1);
    assert.deepEqual(r.input, [[1, 3, 32, 32]]);
    assert.equal(r.layout, "NHWC (converted from NCHW)");
    assert.deepEqual(r.skipped, []);
    // Every node but the input has a row, or runs fused into a conv's (20 BNs, 9 ReLUs after a BN).
    assert.equal(r.fused?.length, 29);
    assert.equal(r.nodes.length + r.fused!.length, ir.nodes.length - 1, "every node but the input is profiled or fused");
    for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} (${n.op}) has median ${n.medianMs} ms`);
    assert.equal(r.weightCount, torchExpectedWeights(ir));
    assert.equal(r.weightCount, 11_699_112); // 11,689,512 params + BN running mean/var (2 x 4,800)
    assert.deepEqual(r.outputShapes, [[1, 1000]]);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.blocks.length, 8);
  });

  test("the latency overlay paints, the table shows ms, % time and GFLOP/s, the legend says how", async () => {
    assert.ok(webglResult, "needs the webgl result");
    const ui = await page.evaluate(() => ({
      heat: document.querySelector<HTMLSelectElement>('select[data-action="heat"]')!.value,
      heated: document.querySelectorAll("svg.rg-svg [data-heat]").length,
      heatClasses: document.querySelectorAll('svg.rg-svg [class*="heat-"]').length,
      headers: Array.from(document.querySelectorAll(".rg-layer-table th"), (th) => th.textContent),
      msCells: document.querySelectorAll(".rg-layer-table td.rg-ms").length,
      totals: document.querySelector('[data-role="profile-totals"]')?.textContent ?? "",
      legend: document.querySelector('[data-role="heat-legend"]')?.textContent ?? "",
      fusedCell: document.querySelector('tr[data-row-id="bn1"] td.rg-fused-cell')?.textContent ?? null,
    }));
    assert.equal(ui.heat, "latency");
    assert.ok(ui.heated >= 10, `${ui.heated} boxes carry a latency heat class`);
    assert.equal(ui.heatClasses, ui.heated);
    assert.deepEqual(ui.headers, ["#", "Layer", "Op", "ms", "% time", "GFLOP/s", "Output", "Params", "MACs", "% MACs"]);
    assert.ok(ui.msCells > 0, "profiled rows show their median");
    assert.equal(ui.fusedCell, "in conv1", "a BN folded into its conv says so instead of showing a time");
    assert.match(ui.totals, /^Whole model [\d.]+ ms \(median of 2\) · layer sum [\d.]+ ms · ratio [\d.]+$/);
    assert.match(ui.legend, /webgl: WebGL 2 on /);
    assert.match(ui.legend, /batch 1 · input \[1, 3, 32, 32\] · NHWC \(converted from NCHW\)/);
    assert.match(ui.legend, /Latency = median of 2 runs after 1 warm-up \(per-kernel times from tf\.profile\)/);
    // The layer sum in the totals row is the sum of the per-layer medians.
    const sum = await page.evaluate(() => document.querySelector('[data-role="ms-sum"]')!.getAttribute("title"));
    const expected = webglResult!.nodes.reduce((p, n) => p + n.medianMs, 0);
    assert.match(sum!, new RegExp(`: ${expected.toFixed(4).replace(".", "\\.")} ms$`));
  });

  test("sorting by ms puts the slowest layer first", async () => {
    await page.click('th[data-sort="ms"]');
    const first = await page.locator("tr[data-row-id]").first().getAttribute("data-row-id");
    const slowest = [...webglResult!.nodes].sort((a, b) => b.medianMs - a.medianMs)[0];
    assert.equal(webglResult!.nodes.find((n) => n.id === first)!.medianMs, slowest.medianMs);
    await page.click('th[data-sort="order"]');
  });

  test("the slowest-block button selects and centres the slowest residual block", async () => {
    await page.click('button[data-action="collapse-all"]');
    await page.click('button[data-action="slowest-block"]');
    const slowest = [...webglResult!.blocks].sort((a, b) => b.medianMs - a.medianMs)[0];
    const selected = await page.locator(".rg-collapsed.rg-selected[data-block-id]").getAttribute("data-block-id");
    assert.equal(selected, `block:${slowest.id}`);
    const centred = await page.evaluate((id) => {
      const r = document.querySelector(`[data-group-id="${CSS.escape(id)}"]`)!.getBoundingClientRect();
      // The drawing area: in a pane under 900px wide the legend is a strip below it.
      const v = document.querySelector("svg.rg-svg")!.getBoundingClientRect();
      return Math.abs(r.left + r.width / 2 - (v.left + v.width / 2)) < 4 && Math.abs(r.top + r.height / 2 - (v.top + v.height / 2)) < 4;
    }, selected!);
    assert.ok(centred, "the block is in the middle of the drawing");
    assert.match((await page.textContent('[data-role="status"]'))!, /^Slowest block: /);
  });

  // A review artefact, never compared: tests write under test-results/ (ignored), not into docs/.
  test("screenshot of the latency heat map (test-results/latency.png)", async () => {
    await page.evaluate(() => window.resgraph!.reset("default"));
    await page.waitForTimeout(100);
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "test-results", "latency.png") });
  });

  test("cancelProfile stops a long run with profileFailed (cancelled)", async () => {
    await page.evaluate(() => window.resgraph!.onMessage({ type: "runProfile", id: 9002, backend: "webgl", warmup: 1, runs: 10_000, batch: 1 }));
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string; inReplyTo?: number; phase?: string }[] }).__posted.some((m) => m.inReplyTo === 9002 && m.phase === "run"), null, { timeout: 120_000 });
    await page.evaluate(() => window.resgraph!.onMessage({ type: "cancelProfile", id: 9003 }));
    const replies = await runWait(page, 9002);
    const last = replies[replies.length - 1];
    assert.deepEqual({ type: last.type, code: (last as { code?: string }).code }, { type: "profileFailed", code: "cancelled" });
    assert.ok(isWebviewToHost(last));
  });

  test("webgpu, where it initialises (runs 1, warmup 1)", async (t) => {
    const gpu = await page.evaluate(async () => {
      const nav = navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } };
      if (!nav.gpu) return "navigator.gpu is missing";
      return (await nav.gpu.requestAdapter()) ? "" : "navigator.gpu.requestAdapter() returned null";
    });
    if (gpu) return t.skip(`WebGPU does not initialise in this Chromium: ${gpu}`);
    const replies = await runProfile(page, { id: 9004, backend: "webgpu", warmup: 1, runs: 1, batch: 1 });
    const last = replies[replies.length - 1];
    if (last.type === "profileFailed" && last.code === "unavailable") return t.skip(`WebGPU did not start: ${last.message}`);
    const r = finalResult(replies);
    assert.equal(r.backend, "webgpu");
    assert.match(r.device, /^WebGPU on /);
    assert.deepEqual(r.skipped, []);
    assert.equal(r.weightCount, 11_699_112);
    assert.deepEqual(r.outputShapes, [[1, 1000]]);
    for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} (${n.op}) has median ${n.medianMs} ms on webgpu`);
  });

  test("a report made with --profile shows the saved result at once", async () => {
    assert.ok(webglResult, "needs the webgl result");
    const dir = mkdtempSync(join(tmpdir(), "resgraph-profile-json-"));
    const file = join(dir, "resnet18.profile.json");
    writeFileSync(file, JSON.stringify(webglResult));
    try {
      const withProfile = await openReport(browser, report("resnet18-with-profile", ["--profile", file]));
      const ui = await withProfile.evaluate(() => ({
        latencyEnabled: !document.querySelector<HTMLOptionElement>('select[data-action="heat"] option[value="latency"]')!.disabled,
        msColumn: document.querySelector('th[data-sort="ms"]') !== null,
        timestamp: window.resgraph!.currentProfile()?.timestamp,
      }));
      assert.deepEqual(ui, { latencyEnabled: true, msColumn: true, timestamp: webglResult.timestamp });
      await withProfile.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function runWait(page: Page, id: number): Promise<WebviewToHost[]> {
  await page.waitForFunction(
    (rid) => (window as unknown as { __posted: { type: string; inReplyTo?: number }[] }).__posted.some((m) => m.inReplyTo === rid && (m.type === "profileResult" || m.type === "profileFailed")),
    id,
    { timeout: 120_000, polling: 100 },
  );
  const posted = await page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
  return posted.filter((m) => m.inReplyTo === id);
}
