// The shape every model-file loader shares (Netron-style): `match` looks at a name and the first
// bytes, `open` turns the whole file into the same graph IR the Python analyzer produces.
// `open` never throws: problems become diagnostics (sentences naming the byte or key).

import type { Diagnostic, GraphIR, Severity } from "../ir/types";
import type { Range } from "../python/source";

export interface FormatResult {
  ir: GraphIR | null;
  diagnostics: Diagnostic[];
}

export interface OpenInput {
  bytes: Uint8Array;
  /** Reads a file next to the model (TF.js shard, ...). Loaders never need weight payloads, so none call it today. */
  readSibling?: (name: string) => Promise<Uint8Array | undefined>;
}

export interface ModelFormat {
  /** Short id: "tfjs", "keras", "h5", "onnx". */
  id: string;
  /** Human name for messages: "TF.js model.json". */
  label: string;
  match(name: string, bytes: Uint8Array): boolean;
  open(name: string, input: OpenInput | Uint8Array): Promise<FormatResult>;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function diag(file: string, message: string, code: string, severity: Severity = "error", range: Range = ZERO_RANGE): Diagnostic {
  return { severity, message, file, range, code };
}

export function bytesOf(input: OpenInput | Uint8Array): Uint8Array {
  return input instanceof Uint8Array ? input : input.bytes;
}

/** A failure result: no graph, one sentence. */
export function failed(file: string, message: string, code = "bad-file"): FormatResult {
  return { ir: null, diagnostics: [diag(file, message, code)] };
}

/** Text of an unexpected exception as a sentence, without a stack. */
export function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const t = m.trim() || "unknown error";
  return /[.!?]$/.test(t) ? t : t + ".";
}

export function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, "");
}
