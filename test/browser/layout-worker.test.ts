// Big layouts run in a Web Worker, in each host: the standalone report (file://, inline bundle, its
// own CSP) and a page under the VS Code panel's CSP. A report of a generated 5,000-layer residual
// network opens in its default view (blocks collapsed: laid out on the page); "Expand all" sends the
// 4,995-box layout to the worker, shows "Laying out … nodes…" meanwhile and draws the result. Where
// the page's CSP forbids blob: workers, the page lays out the same graph itself, identically, and
// says so on the console.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { buildReportHtml } from "../../src/cli/report-html";
import type { Layout } from "../../src/view/types";
import { renderWebviewHtml } from "../../extension/model/webview-html";
import { ROOT, launch, openReport, screenshot, skipReason, type Browser } from "./browser";
import { snapshotOf, syntheticBlocks, syntheticResNet } from "./synthetic-resnet";

const LAYERS = 5000;
const BLOCKS = syntheticBlocks(LAYERS); // 713 basic blocks
const NODES = 7 * BLOCKS + 4; // 4,995

interface Drawn {
  place: string | null;
  boxes: number;
  frames: number;
  blockFrames: number;
  identity: number;
  drawnNodes: number;
  noteHidden: boolean;
}

function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const layout = window.resgraph!.debugInfo().layout!;
    return {
      place: document.querySelector(".rg-app")!.getAttribute("data-layout"),
      boxes: layout.nodes.length,
      frames: layout.groups.length,
      blockFrames: layout.groups.filter((g) => g.id.startsWith("block:")).length,
      identity: layout.edges.filter((e) => e.shortcut === "identity").length,
      drawnNodes: document.querySelectorAll("svg.rg-svg [data-node-id]").length,
      noteHidden: (document.querySelector('[data-role="layout-pending"]') as HTMLElement).hidden,
    };
  });
}

/** Records the pending note's text each time it is shown (it is shown before the worker can answer). */
async function watchNote(page: Page): Promise<void> {
  await page.evaluate(() => {
    const note = document.querySelector('[data-role="layout-pending"]') as HTMLElement;
    const seen: string[] = ((window as unknown as { __notes: string[] }).__notes = []);
    new MutationObserver(() => {
      if (!note.hidden) seen.push(note.textContent ?? "");
    }).observe(note, { attributes: true, attributeFilter: ["hidden"] });
  });
}

async function expandAll(page: Page): Promise<void> {
  await page.click('button[data-action="expand-all"]');
  await page.evaluate(() => window.resgraph!.whenLaidOut());
}

function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => window.resgraph!.debugInfo().layout!);
}

describe("layout of a 5,000-layer network off the UI thread", { skip: skipReason }, () => {
  let browser: Browser;
  let dir: string;
  let reportFile: string;
  const snapshot = snapshotOf(syntheticResNet(LAYERS));
  const bundle = readFileSync(join(ROOT, "dist", "webview.js"), "utf8");
  const css = readFileSync(join(ROOT, "media", "webview.css"), "utf8");
  let workerLayout: Layout;

  before(async () => {
    browser = await launch();
    dir = mkdtempSync(join(tmpdir(), "resgraph-worker-"));
    reportFile = join(dir, "resnet-5000.html");
    writeFileSync(reportFile, buildReportHtml({ snapshot, bundle, css }));
  });
  after(async () => {
    await browser?.close();
  });

  test("the report lays out 4,995 boxes in the worker after Expand all, with a note meanwhile", async () => {
    const page = await openReport(browser, reportFile);
    const warnings: string[] = [];
    page.on("console", (m) => warnings.push(m.text()));
    // Default view of a big model: stages open, blocks collapsed, small enough for the page.
    const first = await drawn(page);
    assert.deepEqual([first.place, first.boxes, first.blockFrames, first.identity, first.noteHidden], ["page", BLOCKS + 4, 0, BLOCKS, true]);
    await watchNote(page);
    await expandAll(page);
    const d = await drawn(page);
    assert.equal(d.place, "worker");
    assert.equal(d.boxes, NODES);
    assert.equal(d.blockFrames, BLOCKS);
    assert.equal(d.identity, BLOCKS, "one identity shortcut per block");
    assert.ok(d.drawnNodes > 0 && d.drawnNodes < NODES, `culled to what is near the viewport (${d.drawnNodes} drawn)`);
    assert.equal(d.noteHidden, true);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __notes: string[] }).__notes), ["Laying out 4,995 nodes…"]);
    assert.deepEqual(warnings.filter((w) => w.includes("Web Worker")), []);
    // Opening one block again goes through the worker (its per-group cache) and keeps the counts right.
    await page.evaluate(() => window.resgraph!.toggleGroup("block:layer/3"));
    await page.evaluate(() => window.resgraph!.whenLaidOut());
    assert.deepEqual([(await drawn(page)).boxes, (await drawn(page)).place], [NODES - 7 + 1, "worker"]);
    await page.evaluate(() => window.resgraph!.toggleGroup("block:layer/3"));
    await page.evaluate(() => window.resgraph!.whenLaidOut());
    workerLayout = await layoutOf(page);
    await screenshot(page, "worker-5000-expanded");
    await page.close();
  });

  test("where the CSP forbids blob: workers, the page lays out the identical graph and says why", async () => {
    const html = readFileSync(reportFile, "utf8").replace("; worker-src blob:", "");
    assert.ok(!html.includes("worker-src"), "the stricter page has no worker-src");
    const strict = join(dir, "resnet-5000-no-worker.html");
    writeFileSync(strict, html);
    // Listening from the start: the worker is first tried shortly after the first picture.
    const page = await browser.context.newPage();
    const console: string[] = [];
    page.on("console", (m) => console.push(m.text()));
    await page.goto(pathToFileURL(strict).href);
    await page.waitForSelector("svg.rg-svg [data-group-id]");
    await expandAll(page);
    const d = await drawn(page);
    assert.deepEqual([d.place, d.boxes, d.blockFrames], ["page", NODES, BLOCKS]);
    assert.ok(
      console.some((m) => m.startsWith("ResGraph: big graphs are laid out on the page, not in a Web Worker")),
      `the console says why: ${console.join(" | ")}`,
    );
    assert.ok(workerLayout, "the worker test ran first");
    assert.deepStrictEqual(await layoutOf(page), workerLayout, "same boxes, frames and edges at the same coordinates");
    await page.close();
  });

  test("under the VS Code panel's CSP (scripts by nonce, worker-src blob:) the worker runs too", async () => {
    const panel = join(dir, "panel.html");
    writeFileSync(
      panel,
      renderWebviewHtml({
        cspSource: "file:",
        nonce: "n0nce0123456789abcdefABCDEF01234",
        scriptUri: pathToFileURL(join(ROOT, "dist", "webview.js")).href,
        styleUri: pathToFileURL(join(ROOT, "media", "webview.css")).href,
        title: "panel",
      }),
    );
    const page = await browser.context.newPage();
    const console: string[] = [];
    page.on("console", (m) => console.push(m.text()));
    await page.goto(pathToFileURL(panel).href);
    await page.waitForFunction(() => window.resgraph !== undefined);
    // Play the extension host: the panel's data only ever arrives as a snapshot message.
    await page.evaluate((text) => window.resgraph!.showSnapshot(JSON.parse(text), "expanded"), JSON.stringify(snapshot));
    await page.evaluate(() => window.resgraph!.whenLaidOut());
    const d = await drawn(page);
    assert.deepEqual([d.place, d.boxes, d.blockFrames], ["worker", NODES, BLOCKS]);
    assert.deepEqual(console.filter((m) => m.includes("Web Worker") || m.includes("Content Security Policy")), []);
    await page.close();
  });
});
