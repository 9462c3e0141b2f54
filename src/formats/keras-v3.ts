// Keras v3 `.keras` archive: a zip holding `config.json` (the model config, Keras 3 dialect),
// `metadata.json` and `model.weights.h5`. Only config.json is inflated; the weights entry is never
// decompressed (fflate's filter skips it), so a large archive costs its bytes and nothing more.

import { unzipSync } from "fflate";
import { isFailure, isObj, parseJsonText, replayConfig, utf8 } from "./keras-json";
import { type FormatResult, type ModelFormat, type OpenInput, bytesOf, failed, messageOf } from "./types";

const LABEL = "Keras v3 archive";

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Finds config.json; a sentence when the archive is unreadable or lacks it. */
function readConfig(name: string, bytes: Uint8Array): string | FormatResult {
  if (!isZip(bytes)) {
    const hdf5 = bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46;
    return failed(
      name,
      hdf5
        ? `'${name}' is an HDF5 file, not a zip archive: it was saved in the legacy Keras 2 format; open it as .h5.`
        : `'${name}' is not a Keras v3 archive: a .keras file is a zip, which starts with the bytes 'PK\\x03\\x04' (found ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ") || "nothing"} at byte 0).`,
      "bad-magic",
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === "config.json" });
  } catch (e) {
    return failed(name, `${LABEL} '${name}' is truncated or corrupt (${bytes.length} bytes): the zip reader says "${messageOf(e).replace(/\.$/, "")}".`, "bad-zip");
  }
  const cfg = files["config.json"];
  if (!cfg) return failed(name, `${LABEL} '${name}' has no config.json entry; it cannot be a model saved by Keras 3.`, "bad-config");
  return utf8(cfg);
}

export const kerasV3Format: ModelFormat = {
  id: "keras",
  label: LABEL,
  match(name, bytes) {
    return /\.keras$/i.test(name) || (isZip(bytes) && /\.zip$/i.test(name));
  },
  async open(name: string, input: OpenInput | Uint8Array): Promise<FormatResult> {
    try {
      const text = readConfig(name, bytesOf(input));
      if (typeof text !== "string") return text;
      const located = parseJsonText(name, text, `config.json in '${name}'`);
      if (isFailure(located)) return located;
      const root = located.value;
      if (!isObj(root)) return failed(name, `config.json in '${name}' should hold a JSON object.`, "bad-config");
      const result = replayConfig(name, located, root, "config.json");
      // Ranges point into config.json, not the zip: keep them, and say which file they index.
      for (const n of result.ir?.nodes ?? []) n.attrs = { ...n.attrs, configFile: "config.json" };
      return result;
    } catch (e) {
      return failed(name, `${LABEL} '${name}' could not be read: ${messageOf(e)}`, "internal");
    }
  },
};
