// Keras HDF5 (`model.save("x.h5")`, Keras 2 and Keras 3's legacy format): the root attribute
// `model_config` holds the model config as JSON. Only root attributes are read; weight datasets
// are never touched. HDF5 needs random access, so the bytes go into h5wasm's in-memory file system
// for the duration of the read and are unlinked right after.

import { isFailure, parseJsonText, replayConfig } from "./keras-json";
import { type FormatResult, type ModelFormat, type OpenInput, bytesOf, failed, messageOf } from "./types";

const LABEL = "Keras HDF5 file";
const MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 allows a user block: the signature may sit at 0, 512, 1024, 2048, ... */
export function hdf5SignatureOffset(bytes: Uint8Array): number | undefined {
  for (let at = 0; at + 8 <= bytes.length && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    if (MAGIC.every((b, i) => bytes[at + i] === b)) return at;
  }
  return undefined;
}

type H5 = typeof import("h5wasm");
let h5: Promise<H5> | undefined;
async function loadH5(): Promise<H5> {
  h5 ??= import("h5wasm").then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}

/** HDF5 prints its error stack to stderr on every failed call; a bad file is not worth that noise. */
function quietly<T>(f: () => T): T {
  if (typeof process === "undefined" || !process.stderr) return f();
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return f();
  } finally {
    process.stderr.write = write;
  }
}

let counter = 0;

interface RootAttrs {
  names: string[];
  modelConfig?: string;
  kerasVersion?: string;
}

function readRootAttrs(m: H5, bytes: Uint8Array): RootAttrs | string {
  const FS = m.FS as unknown as { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
  const path = `/resgraph-${++counter}.h5`;
  FS.writeFile(path, bytes);
  try {
    return quietly(() => {
      let f: InstanceType<H5["File"]>;
      try {
        f = new m.File(path, "r");
      } catch (e) {
        return messageOf(e);
      }
      if (typeof f.file_id === "bigint" && f.file_id < 0n) return "the HDF5 library could not open it";
      try {
        const attrs = f.attrs;
        const text = (name: string): string | undefined => {
          const a = attrs[name];
          if (!a) return undefined;
          const v = a.value;
          if (typeof v === "string") return v;
          if (v instanceof Uint8Array) return new TextDecoder().decode(v);
          if (Array.isArray(v) && typeof v[0] === "string") return v.join("");
          return undefined;
        };
        return { names: Object.keys(attrs), modelConfig: text("model_config"), kerasVersion: text("keras_version") };
      } finally {
        f.close();
      }
    });
  } finally {
    FS.unlink(path);
  }
}

export const kerasH5Format: ModelFormat = {
  id: "h5",
  label: LABEL,
  match(name, bytes) {
    return hdf5SignatureOffset(bytes) !== undefined || /\.(h5|hdf5)$/i.test(name);
  },
  async open(name: string, input: OpenInput | Uint8Array): Promise<FormatResult> {
    const bytes = bytesOf(input);
    try {
      if (hdf5SignatureOffset(bytes) === undefined) {
        const found = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ") || "nothing";
        return failed(name, `'${name}' is not an HDF5 file: the HDF5 signature (89 48 44 46 0d 0a 1a 0a) is not at byte 0 or any user-block offset (found ${found} at byte 0).`, "bad-magic");
      }
      const attrs = readRootAttrs(await loadH5(), bytes);
      if (typeof attrs === "string") {
        return failed(name, `${LABEL} '${name}' (${bytes.length} bytes) is truncated or corrupt: ${attrs.replace(/^Error: /, "").replace(/\.$/, "")}.`, "bad-hdf5");
      }
      if (attrs.modelConfig === undefined) {
        const has = attrs.names.length ? `it has only ${attrs.names.map((n) => `'${n}'`).join(", ")}` : "it has no root attributes";
        return failed(name, `${LABEL} '${name}' has no 'model_config' attribute at its root (${has}): it holds weights only, not a model graph.`, "no-model");
      }
      const located = parseJsonText(name, attrs.modelConfig, `The 'model_config' attribute of '${name}'`);
      if (isFailure(located)) return located;
      // Positions index the attribute's JSON, not the HDF5 file: sites keep line 0, attrs keep the key path.
      located.rangeOf = () => undefined;
      return replayConfig(name, located, located.value, "model_config");
    } catch (e) {
      return failed(name, `${LABEL} '${name}' could not be read: ${messageOf(e)}`, "internal");
    }
  },
};
