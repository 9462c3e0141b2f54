// Shared by the Keras-config formats (TF.js model.json, .keras config.json, .h5 model_config):
// JSON text -> located JSON -> replayed IR, with JSON syntax errors as sentences.

import type { JsonValue } from "../ir/types";
import { JsonSyntaxError, parseLocatedJson, type LocatedJson } from "./json-located";
import { replayKerasModel } from "./keras-replay";
import { type FormatResult, failed, messageOf } from "./types";

export type Obj = { [k: string]: JsonValue };
export const isObj = (v: JsonValue | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses JSON text; a failure is a sentence naming `what` and the character offset. */
export function parseJsonText(file: string, text: string, what: string): LocatedJson | FormatResult {
  try {
    return parseLocatedJson(text);
  } catch (e) {
    const m = e instanceof JsonSyntaxError ? e.message : messageOf(e);
    return failed(file, `${what} is not valid JSON: ${m}`, "bad-json");
  }
}

export function isFailure(x: LocatedJson | FormatResult): x is FormatResult {
  return "diagnostics" in x;
}

/** UTF-8 bytes -> text, tolerating invalid sequences (they become U+FFFD and then fail JSON parsing). */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

/** Replays `model` (found at `keyPath`) from a parsed Keras config. */
export function replayConfig(
  file: string,
  located: LocatedJson,
  model: JsonValue | undefined,
  keyPath: string,
  weightShapes?: Map<string, { name: string; shape: number[] }[]>,
): FormatResult {
  if (!isObj(model)) return failed(file, `The file has no Keras model config at ${keyPath}.`, "bad-config");
  return replayKerasModel({ file, located, model, keyPath, weightShapes });
}
