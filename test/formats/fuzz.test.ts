// Truncation and mutation fuzzing of every loader, seeded: `open` must always resolve (no throw
// escapes), return a graph or a diagnostic, finish quickly, and never answer with a stack trace.

import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../fuzz/mutate";
import { buildTfjsSequential, modelJson } from "./tfjs-models";
import { kerasH5, kerasZip, toKeras3Sequential, asKeras2 } from "./keras-fixtures";
import { resnetOnnx } from "./onnx-writer";
import { openModelFile } from "../../src/formats/index";
import type { FormatResult } from "../../src/formats/types";

const CASES = 300;

interface Subject {
  name: string;
  bytes: Uint8Array;
}

const subjects = (async (): Promise<Subject[]> => {
  const seq = await buildTfjsSequential();
  const json = await modelJson(seq);
  const topo = JSON.parse(json).modelTopology;
  return [
    { name: "model.json", bytes: new TextEncoder().encode(JSON.stringify(JSON.parse(json), null, 1)) },
    { name: "model.keras", bytes: kerasZip(toKeras3Sequential(topo), new Uint8Array(64)) },
    { name: "model.h5", bytes: await kerasH5(asKeras2(topo), 16) },
    { name: "model.onnx", bytes: resnetOnnx([1, 1, 1, 1], false) },
  ];
})();

function check(r: FormatResult, what: string): void {
  assert.ok(Array.isArray(r.diagnostics), what);
  if (!r.ir) assert.ok(r.diagnostics.some((d) => d.severity === "error"), `${what}: no graph and no error`);
  for (const d of r.diagnostics) {
    assert.doesNotMatch(d.message, /\n\s+at /, `${what}: stack trace in "${d.message}"`);
    assert.ok(d.message.length > 0 && d.message.length < 2000, what);
  }
}

async function fuzz(s: Subject, seed: number): Promise<{ graphs: number; failures: number }> {
  const r = rng(seed);
  let graphs = 0;
  let failures = 0;
  for (let i = 0; i < CASES; i++) {
    let bytes: Uint8Array;
    let what: string;
    if (i < CASES / 3) {
      const cut = Math.floor(r() * s.bytes.length);
      bytes = s.bytes.slice(0, cut);
      what = `${s.name} truncated to ${cut} bytes`;
    } else {
      bytes = s.bytes.slice();
      const flips = 1 + Math.floor(r() * 8);
      for (let k = 0; k < flips; k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      what = `${s.name} case ${i} (${flips} bytes changed, seed ${seed})`;
    }
    const t0 = performance.now();
    const res = await openModelFile(s.name, bytes);
    assert.ok(performance.now() - t0 < 5000, `${what}: took too long`);
    check(res, what);
    if (res.ir) graphs++;
    else failures++;
  }
  return { graphs, failures };
}

for (const [i, name] of ["model.json", "model.keras", "model.h5", "model.onnx"].entries()) {
  test(`fuzz ${name}: ${CASES} truncations and mutations, no throw, no hang`, async () => {
    const s = (await subjects)[i];
    const base = await openModelFile(s.name, s.bytes);
    assert.ok(base.ir, `${name} opens before fuzzing`);
    const { graphs, failures } = await fuzz(s, 1234 + i);
    assert.equal(graphs + failures, CASES);
    // Truncations alone (a third of the cases) must fail, except a cut inside trailing bytes.
    assert.ok(failures >= CASES / 4, `${name}: only ${failures} failures`);
  });
}

test("structural fuzz of a Keras config: wrong types and missing keys anywhere", async () => {
  const s = (await subjects)[0];
  const base = JSON.parse(new TextDecoder().decode(s.bytes));
  const r = rng(99);
  const junk = [null, 0, -1, 1.5, "", "x", [], {}, [1, 2], { class_name: 1 }, true];
  for (let i = 0; i < CASES; i++) {
    const doc = structuredClone(base);
    const holders: { o: Record<string, unknown> | unknown[]; k: string | number }[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach((x, k) => (holders.push({ o: v, k }), walk(x)));
      else if (v && typeof v === "object") for (const k of Object.keys(v)) holders.push({ o: v as Record<string, unknown>, k }), walk((v as Record<string, unknown>)[k]);
    };
    walk(doc);
    for (let m = 0; m < 3; m++) {
      const h = holders[Math.floor(r() * holders.length)];
      if (r() < 0.3 && !Array.isArray(h.o)) delete (h.o as Record<string, unknown>)[h.k as string];
      else (h.o as Record<string | number, unknown>)[h.k] = junk[Math.floor(r() * junk.length)];
    }
    const res = await openModelFile("model.json", new TextEncoder().encode(JSON.stringify(doc)));
    check(res, `structural case ${i}`);
  }
});

test("bad files are sentences naming the problem and where", async () => {
  const [json, keras, h5, onnx] = await subjects;
  const msg = async (name: string, bytes: Uint8Array) => (await openModelFile(name, bytes)).diagnostics.map((d) => d.message);
  assert.deepEqual(await msg("model.keras", new TextEncoder().encode("hello")), [
    "'model.keras' is not a Keras v3 archive: a .keras file is a zip, which starts with the bytes 'PK\\x03\\x04' (found 68 65 6c 6c at byte 0).",
  ]);
  assert.match((await msg("model.keras", keras.bytes.slice(0, 100)))[0], /^Keras v3 archive 'model\.keras' is truncated or corrupt \(100 bytes\)/);
  assert.deepEqual(await msg("w.h5", new Uint8Array(16)), [
    "'w.h5' is not an HDF5 file: the HDF5 signature (89 48 44 46 0d 0a 1a 0a) is not at byte 0 or any user-block offset (found 00 00 00 00 00 00 00 00 at byte 0).",
  ]);
  assert.match((await msg("w.h5", h5.bytes.slice(0, 600)))[0], /^Keras HDF5 file 'w\.h5' \(600 bytes\) is truncated or corrupt: /);
  assert.deepEqual(await msg("model.json", json.bytes.slice(0, 40)), [
    "TF.js model.json 'model.json' is not valid JSON: Invalid JSON at character 40: expected the closing quote of a string, found the end of the text.",
  ]);
  const cut = onnx.bytes.length - 10;
  assert.match((await msg("m.onnx", onnx.bytes.slice(0, cut)))[0], /^ONNX model 'm\.onnx' is truncated or corrupt: a field that starts before byte \d+ runs past the end of the data \(file size \d+ bytes\)\.$/);
  assert.deepEqual(await msg("m.onnx", new Uint8Array([0x08, 0x07])), ["ONNX model 'm.onnx' has no graph (ModelProto field 7 is missing)."]);
  assert.deepEqual(await msg("notes.txt", new Uint8Array(3)), [
    "'notes.txt' is not a model file ResGraph can open: expected a TF.js model.json, a Keras .keras or .h5 file, or an .onnx file.",
  ]);
});
