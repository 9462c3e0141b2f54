// Re-rendering after the IR changes (the user edited the model and the host sent a new snapshot of
// the same model) keeps the user's zoom, selection and open groups, and shows the new numbers: the
// renderer joins by stable ids and rebuilds only boxes whose content changed.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { summarize } from "../../src/analysis/summary";
import type { GraphIR } from "../../src/ir/types";
import type { Snapshot } from "../../src/protocol";
import { launch, makeReport, openReport, skipReason, type Browser } from "./browser";

describe("re-render of a changed ResNet-50 keeps zoom, selection and open groups", { skip: skipReason }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launch();
    page = await openReport(browser, makeReport("torch_resnet.py", "resnet50-rerender", ["--entry", "resnet50()"]));
  });
  after(async () => {
    await browser?.close();
  });

  test("a new snapshot with one layer's params changed and one node added", async () => {
    // Open the third residual block, select its first conv, zoom and pan somewhere.
    const picked = await page.evaluate(() => {
      const app = window.resgraph!;
      const model = app.debugInfo().model!;
      const block = model.groups.filter((g) => g.kind === "block")[2];
      app.toggleGroup(block.id);
      const conv = block.nodes.find((id) => model.nodes.find((n) => n.id === id)!.op === "Conv2d")!;
      app.select(conv);
      return { block: block.id, conv };
    });
    const zoom = { x: 123.5, y: -456.25, k: 0.8125 };
    await page.evaluate((t) => window.resgraph!.setTransform(t), zoom);
    const before = await page.evaluate(() => JSON.stringify(window.resgraph!.currentSnapshot()));
    const snap = JSON.parse(before) as Snapshot;
    const ir = snap.ir as GraphIR;
    const conv = ir.nodes.find((n) => n.id === picked.conv)!;
    const oldParams = conv.params;
    conv.params += 1_000_000;
    conv.trainableParams += 1_000_000;
    const last = ir.nodes[ir.nodes.length - 1];
    ir.nodes.push({ ...structuredClone(last), id: "extra_softmax", name: "softmax", op: "Softmax", category: "activation", inputs: [last.id], params: 0, trainableParams: 0, macs: 0, scope: "softmax" });
    ir.outputs = ["extra_softmax"];
    ir.paramTotals = { ...ir.paramTotals, params: ir.paramTotals.params + 1_000_000, trainableParams: ir.paramTotals.trainableParams + 1_000_000 };
    const next: Snapshot = { ...snap, documentVersion: snap.documentVersion + 1, summary: summarize(ir, snap.diagnostics) };

    await page.evaluate((text) => window.resgraph!.showSnapshot(JSON.parse(text) as Snapshot), JSON.stringify(next));
    await page.waitForTimeout(50);

    const after = await page.evaluate((ids) => {
      const app = window.resgraph!;
      const box = document.querySelector(`svg.rg-svg [data-node-id="${CSS.escape(ids.conv)}"]`);
      return {
        transform: app.getTransform(),
        expanded: app.debugInfo().expanded,
        selectedBoxes: Array.from(document.querySelectorAll("svg.rg-svg .rg-selected")).map((e) => e.getAttribute("data-node-id") ?? e.getAttribute("data-group-id")),
        tooltip: box?.querySelector("title")?.textContent ?? "",
        row: document.querySelector(`tr[data-row-id="${CSS.escape(ids.conv)}"]`)?.textContent ?? "",
        added: document.querySelectorAll('svg.rg-svg [data-node-id="extra_softmax"]').length,
        totals: document.querySelector('[data-role="totals"]')?.textContent ?? "",
      };
    }, picked);
    assert.deepEqual(after.transform, zoom, "the zoom transform survives");
    assert.ok(after.expanded.includes(picked.block), `${picked.block} stays open`);
    assert.deepEqual(after.selectedBoxes, [picked.conv], "the selection survives");
    const shown = (oldParams + 1_000_000).toLocaleString("en-US");
    assert.ok(after.tooltip.includes(`params ${shown}`), `the box shows the new params: ${after.tooltip}`);
    assert.ok(after.row.includes(shown), `the table row shows the new params: ${after.row}`);
    assert.equal(after.added, 1, "the added node is drawn");
    assert.ok(after.totals.includes("(177 layers)"), after.totals);
    assert.ok(after.totals.includes((next.summary!.totals.params).toLocaleString("en-US")), after.totals);
  });
});
