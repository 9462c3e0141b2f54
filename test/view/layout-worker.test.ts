// The layout worker's message handler, run directly (no Worker): every layout it sends back, once
// unpacked on the page's side, equals the layout the page computes itself, coordinate for coordinate.
// Messages go through structuredClone both ways, as postMessage would carry them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { buildViewModel } from "../../src/view/view-model";
import { collapseAll, defaultCollapse, expandAll, toggle } from "../../src/view/collapse";
import type { CollapseState, ViewModel } from "../../src/view/types";
import {
  createLayoutJobState,
  handleLayoutMessage,
  indexModel,
  packLayout,
  unpackLayout,
  viewLayout,
  type FromLayoutWorker,
  type LayoutJobState,
  type ToLayoutWorker,
} from "../../webview/layout-job";
import { IRBuilder, tinyResNet } from "../analysis/ir-fixtures";
import { inceptionWithBridge, residualChain } from "./fixtures";

function resnet50(): ViewModel {
  const text = readFileSync("examples/torch_resnet.py", "utf8");
  const r = analyze({ file: "examples/torch_resnet.py", text, entry: "resnet50()", input: [[1, 3, 224, 224]] });
  assert.ok(r.ir, "resnet50() analyses");
  return buildViewModel(r.ir);
}

/** One message there and its reply back, cloned as postMessage clones them (the packed buffer moves). */
function send(state: LayoutJobState, msg: ToLayoutWorker): FromLayoutWorker | null {
  const reply = handleLayoutMessage(state, structuredClone(msg));
  if (!reply) return null;
  return structuredClone(reply, reply.type === "layout" ? { transfer: [reply.packed.data.buffer] } : undefined);
}

/** The worker's layout of `state`, unpacked against the page's model. */
function workerLayout(job: LayoutJobState, model: ViewModel, modelId: number, state: CollapseState, requestId = 1) {
  const reply = send(job, { type: "layout", requestId, modelId, expanded: [...state.expanded] });
  assert.ok(reply && reply.type === "layout", `the worker lays out (${reply?.type === "error" ? reply.message : "no reply"})`);
  assert.equal(reply.requestId, requestId);
  return unpackLayout(reply.packed, model);
}

test("the worker's layouts equal the page's for ResNet-50, a layered region and 5,000 layers, in every collapse mode", () => {
  const models: [string, ViewModel][] = [
    ["tiny ResNet", buildViewModel(tinyResNet())],
    ["ResNet-50", resnet50()],
    ["Inception-like bridge", buildViewModel(inceptionWithBridge())],
    ["5,000-layer chain", buildViewModel(residualChain(2500))],
  ];
  for (const [name, model] of models) {
    const job = createLayoutJobState();
    assert.equal(send(job, { type: "model", modelId: 7, model }), null, "setting the model has no reply");
    for (const [mode, state] of [["expanded", expandAll(model)], ["default", defaultCollapse(model)], ["collapsed", collapseAll(model)]] as const) {
      const page = viewLayout(model, state);
      assert.deepStrictEqual(workerLayout(job, model, 7, state), page, `${name}, ${mode}`);
    }
  }
});

test("the worker's per-group cache gives the same layout as a fresh one when a group opens and closes", () => {
  const model = buildViewModel(residualChain(200));
  const job = createLayoutJobState();
  send(job, { type: "model", modelId: 1, model });
  let state = defaultCollapse(model);
  workerLayout(job, model, 1, state, 1);
  for (const [i, block] of ["block:blocks/7", "block:blocks/150", "block:blocks/7"].entries()) {
    state = toggle(state, block);
    assert.deepStrictEqual(workerLayout(job, model, 1, state, i + 2), viewLayout(model, state), `after toggling ${block}`);
  }
  assert.ok(job.cache.hits > 0, "the worker reused per-group layouts");
});

test("the ResNet-50 expanded layout keeps its exact numbers through packing: shortcut kinds, blocks, frames", () => {
  const model = resnet50();
  const state = expandAll(model);
  const page = viewLayout(model, state);
  const packed = packLayout(page, indexModel(model));
  assert.equal(packed.nodes, 176);
  assert.equal(packed.groups, 20);
  const back = unpackLayout(packed, model);
  assert.deepStrictEqual(back, page);
  assert.deepEqual(
    [back.edges.filter((e) => e.shortcut === "identity").length, back.edges.filter((e) => e.shortcut === "projection").length],
    [12, 4],
  );
});

test("a request for a model the worker does not hold, or a layout naming an unknown id, is an error reply", () => {
  const job = createLayoutJobState();
  const early = handleLayoutMessage(job, { type: "layout", requestId: 3, modelId: 1, expanded: [] });
  assert.deepEqual(early, {
    type: "error",
    requestId: 3,
    message: "The layout worker has no model 1 (it holds -1); the page must send the model before asking for its layout.",
  });
  const model = buildViewModel(tinyResNet());
  const layout = viewLayout(model, collapseAll(model));
  const broken = { ...layout, nodes: [...layout.nodes, { ...layout.nodes[0], id: "ghost" }] };
  assert.throws(() => packLayout(broken, indexModel(model)), { message: 'The layout names the box "ghost", which is not in the model.' });
});
