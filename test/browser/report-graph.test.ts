// The standalone report in headless Chromium: residual blocks and their shortcut kinds are in the
// DOM, groups open, search selects, the table follows the graph, export yields a valid SVG.
// Screenshots go to test-results/ (for people to look at; nothing compares them).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { launch, makeReport, openReport, screenshot, skipReason, type Browser } from "./browser";

interface Counts {
  blocks: number;
  identity: number;
  projection: number;
  nodes: number;
}

function counts(page: Page): Promise<Counts> {
  return page.evaluate(() => ({
    blocks: document.querySelectorAll("svg.rg-svg [data-block-id]").length,
    identity: document.querySelectorAll('svg.rg-svg [data-shortcut="identity"]').length,
    projection: document.querySelectorAll('svg.rg-svg [data-shortcut="projection"]').length,
    nodes: document.querySelectorAll("svg.rg-svg [data-node-id]").length,
  }));
}

/** Pans the graph so the box `id` is on screen (Playwright clicks only what is in the viewport). */
async function centre(page: Page, id: string): Promise<void> {
  await page.evaluate((boxId) => window.resgraph!.centerOn(boxId), id);
  await page.waitForTimeout(30);
}

async function clickAction(page: Page, action: string): Promise<void> {
  await page.click(`button[data-action="${action}"]`);
  await page.waitForTimeout(50);
}

/** Shared checks for a ResNet report with `blocks` residual blocks of which `projection` project. */
function residualSuite(title: string, make: () => string, expected: { blocks: number; projection: number; shot?: string }): void {
  describe(title, { skip: skipReason }, () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launch();
      page = await openReport(browser, make());
    });
    after(async () => {
      await browser?.close();
    });

    test("the default view shows every residual block as a box with its shortcut", async () => {
      const c = await counts(page);
      assert.equal(c.blocks, expected.blocks);
      assert.equal(c.projection, expected.projection);
      assert.equal(c.identity, expected.blocks - expected.projection);
      const collapsed = await page.locator(".rg-collapsed[data-block-id]").count();
      assert.equal(collapsed, expected.blocks, "every block is a collapsed box in the default view");
      if (expected.shot) await screenshot(page, `${expected.shot}-default`);
    });

    test("with everything collapsed, each block still shows its shortcut", async () => {
      await clickAction(page, "collapse-all");
      const c = await counts(page);
      assert.equal(c.blocks, expected.blocks);
      assert.equal(c.projection, expected.projection);
      assert.equal(c.identity, expected.blocks - expected.projection);
      await clickAction(page, "expand-all");
      const open = await counts(page);
      assert.equal(await page.locator(".rg-frame[data-block-id]").count(), expected.blocks, "every block is an open frame");
      assert.equal(open.blocks, expected.blocks);
      assert.equal(await page.locator('.rg-edge[data-shortcut="projection"]').count(), expected.projection);
      assert.equal(await page.locator('.rg-edge[data-shortcut="identity"]').count(), expected.blocks - expected.projection);
      if (expected.shot) await screenshot(page, `${expected.shot}-expanded`);
      await page.evaluate(() => window.resgraph!.reset("default"));
    });

    test("expanding a block reveals its layers inside its frame", async () => {
      await page.evaluate(() => window.resgraph!.reset("default"));
      const block = page.locator(".rg-collapsed[data-block-id]").first();
      const id = (await block.getAttribute("data-block-id"))!;
      const before = await counts(page);
      await centre(page, id);
      await block.locator(".rg-frame-header").click();
      const frame = page.locator(`.rg-frame[data-block-id="${id}"]`);
      assert.equal(await frame.count(), 1, `block ${id} is now an open frame`);
      const after = await counts(page);
      assert.ok(after.nodes > before.nodes, `more layers are drawn (${before.nodes} -> ${after.nodes})`);
      // Layers of the block: the nodes the view model puts in it, each drawn inside the frame.
      const inside = await page.evaluate((blockId) => {
        const info = window.resgraph!.debugInfo();
        const group = info.model!.groups.find((g) => g.id === blockId)!;
        const f = document.querySelector(`.rg-frame[data-block-id="${CSS.escape(blockId)}"] rect.rg-frame-box`)!.getBoundingClientRect();
        return group.nodes.map((nid) => {
          const el = document.querySelector(`[data-node-id="${CSS.escape(nid)}"]`);
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.left >= f.left - 1 && r.right <= f.right + 1 && r.top >= f.top - 1 && r.bottom <= f.bottom + 1;
        });
      }, id);
      assert.ok(inside.length >= 3, "a residual block has at least three layers of its own");
      assert.deepEqual(inside, inside.map(() => true), "every layer of the block is drawn inside its frame");
      // Clicking the frame's header closes it again.
      await page.evaluate((fid) => {
        const r = window.resgraph!.debugInfo().layout!.groups.find((g) => g.id === fid)!;
        window.resgraph!.centerOnPoint(r.x + r.width / 2, r.y + 40);
      }, id);
      await frame.locator(".rg-frame-header").first().click();
      assert.equal(await page.locator(`.rg-collapsed[data-block-id="${id}"]`).count(), 1);
    });

    test("clicking a node selects its table row", async () => {
      const node = page.locator(".rg-node[data-node-id]").nth(1);
      const id = (await node.getAttribute("data-node-id"))!;
      await centre(page, id);
      await node.click();
      assert.equal(await page.locator(`.rg-node.rg-selected[data-node-id="${id}"]`).count(), 1);
      const rows = page.locator("tr.rg-row-selected");
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.first().getAttribute("data-row-id"), id);
      // And the other way round: a row click selects the node in the graph.
      const row = page.locator("tr[data-row-id]").nth(2);
      const rowId = (await row.getAttribute("data-row-id"))!;
      await row.click();
      assert.equal(await page.locator(`svg [data-node-id="${rowId}"].rg-selected`).count(), 1);
    });

    test("export SVG downloads a valid SVG with every drawn layer", async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-action="export-svg"]')]);
      assert.match(download.suggestedFilename(), /\.svg$/);
      const text = readFileSync((await download.path())!, "utf8");
      const drawn = (await counts(page)).nodes;
      const parsed = await page.evaluate((svgText) => {
        const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
        return {
          root: doc.documentElement.nodeName,
          ns: doc.documentElement.namespaceURI,
          errors: doc.getElementsByTagName("parsererror").length,
          nodes: doc.querySelectorAll("[data-node-id]").length,
          blocks: doc.querySelectorAll("[data-block-id]").length,
          style: doc.querySelector("style")?.textContent?.includes("--graph-cat-conv") ?? false,
        };
      }, text);
      assert.deepEqual(parsed, { root: "svg", ns: "http://www.w3.org/2000/svg", errors: 0, nodes: drawn, blocks: expected.blocks, style: true });
      assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(text), "the SVG names no outside resource");
    });
  });
}

const torchReport = (entry: string, name: string) => () =>
  makeReport("torch_resnet.py", name, ["--entry", entry, "--input", "1,3,224,224"]);

residualSuite("PyTorch ResNet-50 report", torchReport("resnet50()", "resnet50"), { blocks: 16, projection: 4, shot: "torch-resnet50" });
residualSuite("PyTorch ResNet-18 report", torchReport("resnet18()", "resnet18"), { blocks: 8, projection: 3 });
residualSuite("Keras applications ResNet50 report", () => makeReport("keras_applications_resnet.py", "keras-resnet50", ["--entry", "ResNet50()"]), {
  blocks: 16,
  projection: 4,
  shot: "keras-resnet50",
});

describe("search, keyboard and heat map on ResNet-50", { skip: skipReason }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launch();
    page = await openReport(browser, torchReport("resnet50()", "resnet50-search")());
  });
  after(async () => {
    await browser?.close();
  });

  test("search finds layer3.2.conv2 inside a collapsed block, opens it and selects it", async () => {
    await page.fill('input[data-action="search"]', "layer3.2.conv2");
    await page.press('input[data-action="search"]', "Enter");
    const selected = page.locator(".rg-node.rg-selected");
    assert.equal(await selected.count(), 1);
    const id = (await selected.getAttribute("data-node-id"))!;
    const label = await page.evaluate((nid) => window.resgraph!.debugInfo().model!.nodes.find((n) => n.id === nid)!.scope, id);
    assert.equal(label, "layer3/2/conv2");
    assert.equal(await page.locator("tr.rg-row-selected").getAttribute("data-row-id"), id);
    assert.equal(await page.textContent('[data-role="search-count"]'), "1 / 1");
  });

  test("search by op steps through every match with next and previous", async () => {
    await page.fill('input[data-action="search"]', "AdaptiveAvgPool2d");
    await page.press('input[data-action="search"]', "Enter");
    assert.equal(await page.textContent('[data-role="search-count"]'), "1 / 1");
    await page.fill('input[data-action="search"]', "downsample");
    await page.click('button[data-action="search-next"]');
    assert.equal(await page.textContent('[data-role="search-count"]'), "1 / 8");
    await page.click('button[data-action="search-prev"]');
    assert.equal(await page.textContent('[data-role="search-count"]'), "8 / 8");
    const id = await page.locator(".rg-node.rg-selected").getAttribute("data-node-id");
    const scope = await page.evaluate((nid) => window.resgraph!.debugInfo().model!.nodes.find((n) => n.id === nid)!.scope, id!);
    assert.equal(scope, "layer4/0/downsample/1");
  });

  test("arrow keys walk the main path", async () => {
    const first = page.locator(".rg-node[data-node-id]").first();
    const start = await first.getAttribute("data-node-id");
    await centre(page, start!);
    await first.click();
    await page.focus("svg.rg-svg");
    await page.keyboard.press("ArrowDown");
    const next = await page.locator(".rg-selected").getAttribute("data-node-id");
    const expectedNext = await page.evaluate((s) => window.resgraph!.debugInfo().layout!.edges.find((e) => e.source === s)!.target, start!);
    assert.equal(next, expectedNext);
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.locator(".rg-selected").getAttribute("data-node-id"), start);
  });

  test("the MACs heat map colours boxes and states the convention", async () => {
    await page.selectOption('select[data-action="heat"]', "macs");
    const legend = await page.textContent('[data-role="heat-legend"]');
    assert.ok(legend!.includes("MACs (multiply-accumulates); FLOPs = 2 × MACs"), legend!);
    const hot = await page.locator("svg [data-heat]").count();
    assert.ok(hot > 10, `${hot} boxes carry a heat class`);
    await screenshot(page, "torch-resnet50-heat");
  });
});
