// End-to-end: the packaged extension in real VS Code (code-server 4.100.3 = VS Code 1.100), driven
// by playwright-core in Debian's chromium. Proves the graph opens from the CodeLens, the palette and
// the explorer context menu; node -> source and cursor -> node navigation; an edit that breaks a
// shape shows a diagnostic naming both shapes and the graph updates; "Profile on GPU" profiles in the
// graph panel (falling back from the GPU backends, which --disable-gpu may hide, to one that starts)
// and latencies appear on the graph, also after the panel is closed and opened again.
// Skips itself (with the reason) when code-server (bash test/e2e/setup.sh) or chromium is missing.
// A model built on the bundled torchvision.models opens with its backbone's blocks, and a backbone node
// leads to the user's `models.resnet50(...)` line. Screenshots of each step go to test-results/vscode-*.png.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { spawnSync } from "node:child_process";
import { chromium, type BrowserContext, type FrameLocator, type Page } from "playwright-core";
import { TEST_SETTINGS, codeServerMissing, launchCodeServer } from "./code-server.mjs";
import { resnetOnnx } from "../formats/onnx-writer";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");
const RESULTS = join(ROOT, "test-results");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The README links images relatively; vsce needs a base URL for them when the repository is not on GitHub. */
// The same flags as `npm run package`: README screenshot links stay relative and ship in the .vsix.
const VSCE_PACKAGE_FLAGS = ["--no-rewrite-relative-links"];

const skip: string | false = codeServerMissing() || (existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`) || (existsSync(join(ROOT, "dist", "extension.js")) ? false : "dist/ is not built (npm run build)");

describe("VS Code (code-server) end to end", { skip, timeout: 600_000 }, () => {
  let server: Awaited<ReturnType<typeof launchCodeServer>>;
  let context: BrowserContext;
  let page: Page;
  let work: string;
  let profile: string;

  const shot = async (name: string) => {
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, `vscode-${name}.png`) });
  };
  /** The visible graph webview's document: VS Code nests it in two iframes (hidden panels stay in the DOM). */
  const graph = (): FrameLocator =>
    page.locator("iframe.webview.ready").filter({ visible: true }).last().contentFrame().locator("iframe#active-frame").contentFrame();
  /** The code editor (left group): the graph panel opens beside it. */
  const codeGroup = () => page.locator(".editor-group-container").first();
  /** Boxes (layers and collapsed groups) drawn by the graph panel whose title names `model`. */
  const nodesOf = async (model: string): Promise<number> => {
    for (const frame of page.frames()) {
      const title = await frame.locator(".rg-title").first().textContent({ timeout: 500 }).catch(() => null);
      if (title?.startsWith(model)) return frame.locator("[data-node-id], [data-group-id], [data-block-id]").count();
    }
    return 0;
  };
  /**
   * The cursor's line: the editor's highlighted line number (the graph keeps the focus after a click, and
   * the status bar's "Ln 7, Col 5" item is hidden then), else that status item.
   */
  const cursorLine = async (): Promise<number> => {
    const highlighted = await codeGroup().evaluate((group) => {
      const el = group.querySelector(".monaco-editor .margin .active-line-number");
      return el?.textContent?.trim() ?? "";
    });
    if (/^\d+$/.test(highlighted)) return Number(highlighted);
    const status = page.locator('[id="status.editor.selection"]');
    const text = (await status.isVisible()) ? ((await status.textContent()) ?? "") : "";
    return Number(/Ln (\d+)/.exec(text)?.[1] ?? NaN);
  };
  const waitFor = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check().catch(() => false)) return;
      await page.waitForTimeout(250);
    }
    await shot(`timeout-${what.replace(/\W+/g, "-")}`);
    assert.fail(`Timed out waiting for ${what}.`);
  };
  const explorerRow = (name: string) => page.locator(".explorer-folders-view .monaco-list-row", { hasText: name }).first();
  const editorText = () => codeGroup().locator(".monaco-editor .view-lines").first();
  const runCommand = async (title: string) => {
    await editorText().click();
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`>${title}`);
    await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor();
    await page.keyboard.press("Enter");
  };
  const goToLine = async (line: number) => {
    await editorText().click();
    await page.keyboard.press("Control+G");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`:${line}`);
    await page.keyboard.press("Enter");
    await waitFor(`the cursor on line ${line}`, async () => (await cursorLine()) === line);
  };

  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "resgraph-vsix-"));
    const vsix = join(out, "resgraph.vsix");
    const packed = spawnSync(join(ROOT, "node_modules", ".bin", "vsce"), ["package", "--no-dependencies", ...VSCE_PACKAGE_FLAGS, "-o", vsix], { cwd: ROOT, encoding: "utf8" });
    assert.equal(packed.status, 0, `vsce package failed:\n${packed.stdout}\n${packed.stderr}`);
    work = mkdtempSync(join(tmpdir(), "resgraph-ws-"));
    cpSync(join(ROOT, "examples"), join(work, "examples"), { recursive: true });
    // A saved model (ResNet-18 as ONNX, shapes only) for the model-file step.
    writeFileSync(join(work, "examples", "resnet18.onnx"), resnetOnnx([2, 2, 2, 2], false));
    // Two timed runs after one warm-up keep the profile short on the CPU backends.
    const settings = { ...TEST_SETTINGS, "resgraph.profiling.repetitions": 2, "resgraph.profiling.warmup": 1 };
    server = await launchCodeServer({ vsix, folder: join(work, "examples"), settings });
    profile = mkdtempSync(join(tmpdir(), "resgraph-e2e-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1600, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(join(work, "examples"))}`);
    await explorerRow("torch_resnet.py").waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await context?.close();
    server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the CodeLens above the model shows its summary and 'Show graph' opens the graph", async () => {
    await explorerRow("torch_resnet.py").dblclick();
    // The candidates are the factories at the end of the file (ResNet itself needs arguments).
    await goToLine(258);
    const lens = page.locator(".codelens-decoration a", { hasText: "Show graph" }).first();
    await lens.waitFor({ timeout: 60_000 });
    await page.locator(".codelens-decoration a", { hasText: "11.7 M params · 1.81 GMACs · depth 18" }).first().waitFor();
    await shot("1-codelens");
    await lens.click();
    await waitFor("graph nodes in the webview", async () => (await graph().locator("[data-node-id]").count()) >= 4, 60_000);
    await page.waitForTimeout(500);
    await shot("2-graph");
  });

  test("clicking a conv node moves the editor to the line that created it", async () => {
    const conv = graph().locator('[data-node-id="conv1"]');
    await conv.click();
    // `self.conv1 = nn.Conv2d(3, self.inplanes, ...)` in ResNet.__init__, 1-based line 167.
    await waitFor("the cursor on line 167", async () => (await cursorLine()) === 167);
    await shot("3-node-to-source");
  });

  test("moving the cursor to a line selects the node it applies", async () => {
    // `out = self.conv1(x)` in BasicBlock.forward (line 70) applies layer1/0/conv1 first.
    await goToLine(70);
    await waitFor("layer1/0/conv1 selected in the graph", async () => (await graph().locator('.rg-selected[data-node-id="layer1/0/conv1"]').count()) === 1);
    await shot("4-cursor-to-node");
  });

  test("an edit that breaks a shape shows a diagnostic naming both shapes, and the graph updates", async () => {
    const before = (await graph().locator(".rg-sub").textContent()) ?? "";
    assert.match(before, /11\.69 M params/);
    await goToLine(62);
    await page.keyboard.press("Home");
    await page.keyboard.press("Shift+End");
    await page.keyboard.type("self.conv2 = conv3x3(planes * 2, planes)");
    await page.keyboard.press("Control+Shift+M");
    const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "expects 128 input channels, got 64" }).first();
    await problem.waitFor({ timeout: 30_000 });
    // The graph updates in place: conv2 now has 128 input channels, so the headline's params change.
    const headline = graph().locator(".rg-sub");
    await waitFor("the graph headline to change", async () => !((await headline.textContent()) ?? "").includes(before));
    await shot("5-diagnostic");
    // Undo: the problem disappears again (diagnostics are cleared when fixed). Typing makes several
    // undo stops, so undo until the model is the original one again (later steps profile it).
    await editorText().click();
    await waitFor("the original model back after undo", async () => {
      if (((await headline.textContent()) ?? "").includes(before)) return true;
      await page.keyboard.press("Control+Z");
      await page.waitForTimeout(500);
      return false;
    });
    await waitFor("the problem to clear", async () => (await page.locator(".markers-panel .monaco-list-row", { hasText: "expects 128 input channels" }).count()) === 0);
  });

  /** What the graph panel shows of a profile: heat metric, latency-coloured boxes, the ms column, the legend. */
  const latencyView = () =>
    graph()
      .locator("body")
      .evaluate(() => ({
        heat: document.querySelector<HTMLSelectElement>('select[data-action="heat"]')?.value ?? "",
        heatClasses: document.querySelectorAll('svg.rg-svg [class*="heat-"]').length,
        msHeader: Array.from(document.querySelectorAll(".rg-layer-table th"), (th) => th.textContent).includes("ms"),
        msCells: Array.from(document.querySelectorAll(".rg-layer-table td.rg-ms"), (td) => td.textContent ?? ""),
        legend: document.querySelector('[data-role="heat-legend"]')?.textContent ?? "",
        latencyEnabled: document.querySelector<HTMLOptionElement>('select[data-action="heat"] option[value="latency"]')?.disabled === false,
      }));

  test("'Profile on GPU' from the palette profiles in the graph panel and latencies appear on the graph", async () => {
    await runCommand("View: Hide Panel");
    await runCommand("ResGraph: Profile on GPU");
    // The notification names the backend that ran and why each one before it in the order did not.
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "ResGraph: profiled ResNet on" }).first();
    await toast.waitFor({ timeout: 300_000 });
    const text = (await toast.textContent()) ?? "";
    const backend = /profiled ResNet on (webgpu|webgl|wasm|cpu) \(/.exec(text)?.[1];
    assert.ok(backend, `the notification names the backend: ${text}`);
    assert.match(text, /: \d+\.\d{3} ms per run \(median of 2\)\./);
    const order = ["webgpu", "webgl", "wasm", "cpu"];
    for (const skipped of order.slice(0, order.indexOf(backend))) assert.match(text, new RegExp(`Not used: .*${skipped}: `), `the notification says why ${skipped} was not used: ${text}`);
    await waitFor("latency on the graph", async () => {
      const ui = await latencyView();
      return ui.heat === "latency" && ui.heatClasses >= 10 && ui.msHeader && ui.msCells.some((c) => /\d/.test(c));
    });
    const ui = await latencyView();
    assert.ok(ui.legend.includes(`${backend}: `), `the legend names ${backend}: ${ui.legend}`);
    // A wider graph for the screenshot (docs/screenshots/vscode-profile.png comes from it).
    await runCommand("View: Toggle Primary Side Bar Visibility");
    await page.waitForTimeout(800);
    await shot("6-profile");
    await runCommand("View: Toggle Primary Side Bar Visibility");
    await explorerRow("torch_resnet.py").waitFor();

    // The result is saved with the workspace: a new panel for the same model shows it again.
    const tab = page.locator(".tab", { hasText: "Graph: torch_resnet.py" }).first();
    await tab.hover();
    await tab.locator(".codicon-close").click();
    await page.locator(".tab", { hasText: "Graph: torch_resnet.py" }).waitFor({ state: "detached" });
    await runCommand("ResGraph: Show Model Graph");
    await waitFor("the saved latencies in the reopened panel", async () => {
      const again = await latencyView();
      return again.latencyEnabled && again.msHeader && again.msCells.some((c) => /\d/.test(c));
    }, 60_000);
    await shot("6b-profile-reopened");
  });

  test("the graph opens from the command palette and from the explorer context menu", async () => {
    await explorerRow("keras_vgg16.py").dblclick();
    await page.locator(".tab", { hasText: "keras_vgg16.py" }).first().waitFor();
    await runCommand("ResGraph: Show Model Graph");
    await page.locator(".tab", { hasText: "Graph: keras_vgg16.py" }).first().waitFor({ timeout: 30_000 });
    await explorerRow("torch_mobilenet_v2.py").click({ button: "right" });
    const item = page.locator(".context-view .action-item", { hasText: "Show Model Graph" }).first();
    await item.hover();
    await item.click();
    await page.locator(".tab", { hasText: "Graph: torch_mobilenet_v2.py" }).first().waitFor({ timeout: 30_000 });
    await waitFor("graph nodes of MobileNetV2", async () => (await nodesOf("MobileNetV2")) >= 4, 60_000);
    await shot("7-context-menu");
  });

  test("a model built on torchvision.models: graph with the backbone's blocks, a backbone node reveals the user's call", async () => {
    await explorerRow("torch_finetune_resnet50.py").dblclick();
    await page.locator(".tab", { hasText: "torch_finetune_resnet50.py" }).first().waitFor();
    await runCommand("ResGraph: Show Model Graph");
    await page.locator(".tab", { hasText: "Graph: torch_finetune_resnet50.py" }).first().waitFor({ timeout: 30_000 });
    const body = async () => (await graph().locator("body").textContent()) ?? "";
    await waitFor("the 16 residual blocks of the torchvision ResNet-50", async () => (await body()).includes("179 nodes, 16 residual blocks"), 60_000);
    const text = await body();
    assert.ok(text.includes("24.04 M"), `the totals show 24.04 M params: ${text.slice(0, 400)}`);
    // The stem conv is built inside the bundled torchvision: its source is the user's models.resnet50(...) line.
    await graph().locator('[data-node-id="conv1"]').click();
    await waitFor("the cursor on line 15", async () => (await cursorLine()) === 15);
    await shot("9-torchvision-zoo");
  });

  test("a saved ONNX model opens from the explorer context menu with its blocks and totals", async () => {
    await explorerRow("resnet18.onnx").click({ button: "right" });
    const item = page.locator(".context-view .action-item", { hasText: "Show Model Graph" }).first();
    await item.hover();
    await item.click();
    await page.locator(".tab", { hasText: "Graph: resnet18.onnx" }).first().waitFor({ timeout: 30_000 });
    const blocks = () => graph().locator("[data-block-id]").count();
    await waitFor("the 8 residual blocks of the ONNX ResNet-18", async () => (await blocks()) === 8, 60_000);
    assert.equal(await blocks(), 8);
    const text = (await graph().locator("body").textContent()) ?? "";
    assert.ok(text.includes("11.69 M"), `the totals show 11.69 M params: ${text.slice(0, 400)}`);
    await shot("8-onnx-model-file");
  });
});
