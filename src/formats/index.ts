// Model files in, graph IR out: picks the loader by name and magic, and `analyzeFile` puts Python
// source and model files behind one call for the CLI and the extension.

import { analyze, type AnalysisResult, type AnalyzeOptions } from "../analyze";
import { kerasH5Format } from "./keras-h5";
import { kerasV3Format } from "./keras-v3";
import { onnxFormat } from "./onnx";
import { tfjsFormat } from "./tfjs";
import { type FormatResult, type ModelFormat, type OpenInput, failed } from "./types";

export type { FormatResult, ModelFormat, OpenInput } from "./types";

/** In order of preference: magic-number checks come before extension-only ones. */
export const MODEL_FORMATS: ModelFormat[] = [kerasV3Format, kerasH5Format, tfjsFormat, onnxFormat];

/** File name patterns the loaders open (for the extension's menus and file pickers). */
export { MODEL_FILE_GLOBS, isModelFileName } from "./names";
import { isModelFileName } from "./names";

/** True when `name` looks like a model file by its name alone (no bytes needed). */

export function detectFormat(name: string, bytes: Uint8Array): ModelFormat | undefined {
  // A .keras that is really HDF5 (Keras 2 allowed it) goes to the HDF5 loader.
  if (/\.keras$/i.test(name) && bytes[0] === 0x89 && bytes[1] === 0x48) return kerasH5Format;
  return MODEL_FORMATS.find((f) => f.match(name, bytes));
}

/** Opens a model file of any supported format. Never throws. */
export async function openModelFile(name: string, input: OpenInput | Uint8Array): Promise<FormatResult & { format?: string }> {
  const bytes = input instanceof Uint8Array ? input : input.bytes;
  const format = detectFormat(name, bytes);
  if (!format) {
    return failed(name, `'${name}' is not a model file ResGraph can open: expected a TF.js model.json, a Keras .keras or .h5 file, or an .onnx file.`, "unknown-format");
  }
  try {
    return { ...(await format.open(name, input)), format: format.id };
  } catch (e) {
    return { ...failed(name, `${format.label} '${name}' could not be opened: ${e instanceof Error ? e.message : String(e)}`, "internal"), format: format.id };
  }
}

export interface AnalyzeFileOptions extends Partial<Omit<AnalyzeOptions, "file">> {
  file: string;
  /** The file's bytes (model files); for Python, `text` is enough. */
  bytes?: Uint8Array;
  readSibling?: OpenInput["readSibling"];
}

export type AnalyzeFileResult = AnalysisResult & { format: "python" | string };

/**
 * Python source goes to `analyze`; model files to their loader. Model files have no entries
 * (`entries: []`) and ignore `entry`/`input`: their input shape is the one saved in the file.
 */
export async function analyzeFile(opts: AnalyzeFileOptions): Promise<AnalyzeFileResult> {
  const bytes = opts.bytes;
  const isModel = bytes ? detectFormat(opts.file, bytes) !== undefined && !/\.py$/i.test(opts.file) : isModelFileName(opts.file);
  if (!isModel) {
    const text = opts.text ?? (bytes ? new TextDecoder().decode(bytes) : "");
    return { ...analyze({ ...opts, file: opts.file, text }), format: "python" };
  }
  if (!bytes) {
    return { ir: null, diagnostics: failed(opts.file, `'${opts.file}' is a model file: pass its bytes, not text.`, "bad-input").diagnostics, entries: [], format: "unknown" };
  }
  const r = await openModelFile(opts.file, { bytes, readSibling: opts.readSibling });
  const result: AnalyzeFileResult = { ir: r.ir, diagnostics: r.diagnostics, entries: [], format: r.format ?? "unknown" };
  if (r.ir) {
    result.entry = r.ir.entry;
    result.inputSource = "model";
  }
  return result;
}
