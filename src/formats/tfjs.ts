// TF.js layers model (`model.json`): `modelTopology` holds the Keras config (either directly, as
// tfjs-layers writes it, or under `model_config`, as the tensorflowjs converter writes it) and
// `weightsManifest` lists every weight with its shape. Shard files (.bin) are never read: the
// manifest's shapes are enough for params.

import type { JsonValue } from "../ir/types";
import { type Obj, isFailure, isObj, parseJsonText, replayConfig, utf8 } from "./keras-json";
import { type FormatResult, type ModelFormat, type OpenInput, bytesOf, failed } from "./types";

const LABEL = "TF.js model.json";

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b; // '{'
}

/** Weight shapes by layer name ("conv1/kernel" belongs to layer "conv1"). */
export function manifestWeights(manifest: JsonValue | undefined): Map<string, { name: string; shape: number[] }[]> | undefined {
  if (!Array.isArray(manifest)) return undefined;
  const out = new Map<string, { name: string; shape: number[] }[]>();
  for (const group of manifest) {
    if (!isObj(group) || !Array.isArray(group.weights)) continue;
    for (const w of group.weights) {
      if (!isObj(w) || typeof w.name !== "string" || !Array.isArray(w.shape)) continue;
      const shape = w.shape.filter((d): d is number => typeof d === "number");
      const cut = w.name.lastIndexOf("/");
      const layer = cut > 0 ? w.name.slice(0, cut) : w.name;
      const list = out.get(layer) ?? [];
      list.push({ name: w.name, shape });
      out.set(layer, list);
    }
  }
  return out;
}

export const tfjsFormat: ModelFormat = {
  id: "tfjs",
  label: LABEL,
  match(name, bytes) {
    if (!/\.json$/i.test(name) || !looksLikeJson(bytes)) return false;
    if (/(^|[\\/])model\.json$/i.test(name)) return true;
    const head = utf8(bytes.subarray(0, 1 << 16));
    return head.includes('"modelTopology"');
  },
  async open(name: string, input: OpenInput | Uint8Array): Promise<FormatResult> {
    try {
      const located = parseJsonText(name, utf8(bytesOf(input)), `${LABEL} '${name}'`);
      if (isFailure(located)) return located;
      const root = located.value;
      if (!isObj(root)) return failed(name, `${LABEL} '${name}' should hold a JSON object at the top level.`, "bad-config");
      if (root.format === "graph-model") {
        return failed(name, `'${name}' is a TF.js graph model (format "graph-model"): it holds a TensorFlow graph, not a layers topology, and is not supported; convert the Keras model as a layers model instead.`, "unsupported");
      }
      const topo = root.modelTopology;
      if (!isObj(topo)) return failed(name, `${LABEL} '${name}' has no "modelTopology" object.`, "bad-config");
      const nested = isObj(topo.model_config);
      const model: Obj | undefined = nested ? (topo.model_config as Obj) : topo;
      return replayConfig(name, located, model, nested ? "modelTopology.model_config" : "modelTopology", manifestWeights(root.weightsManifest));
    } catch (e) {
      return failed(name, `${LABEL} '${name}' could not be read: ${e instanceof Error ? e.message : String(e)}`, "internal");
    }
  },
};
