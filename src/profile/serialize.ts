// Saving and loading profile results (the host keeps the last one per model; `resgraph report
// --profile` reads one back), and the structural check the host runs on a result a webview sends:
// the webview is untrusted, and a result from disk may be from another ResGraph version.

import { PROFILE_RESULT_VERSION, type NodeProfile, type ProfileResult } from "./result";

export type ParsedResult = { ok: true; result: ProfileResult } | { ok: false; message: string };

/** Upper bound on nodes in one result: far above any real model, low enough to bound the host's work. */
export const MAX_PROFILED_NODES = 200_000;
const MAX_TEXT = 1_000;

/** Pretty JSON, stable across runs of the same result. */
export function serializeResult(result: ProfileResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/** Reads a saved result back, with a sentence saying why when it is not one this build understands. */
export function parseResult(text: string, source = "The profile result"): ParsedResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${source} is not JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (isRecord(value) && value.resultVersion !== PROFILE_RESULT_VERSION) {
    const v = value.resultVersion;
    return {
      ok: false,
      message: `${source} has result version ${typeof v === "number" ? v : JSON.stringify(v ?? null)}; this ResGraph reads version ${PROFILE_RESULT_VERSION}. Profile the model again.`,
    };
  }
  const problem = profileResultProblem(value);
  return problem === null ? { ok: true, result: withoutLegacyFields(value as ProfileResult) } : { ok: false, message: `${source} is not a ResGraph profile result: ${problem}` };
}

/**
 * Drops `nodes[].fused`, which results saved by earlier versions carry: a per-row copy of what
 * `fused` records (both were written from the start of fusion). Rows' lists now derive from `fused`
 * (`fusedByLayer`), so a loaded result holds one record.
 */
function withoutLegacyFields(result: ProfileResult): ProfileResult {
  const rows = result.nodes as (NodeProfile & { fused?: unknown })[];
  if (rows.every((n) => n.fused === undefined)) return result;
  return { ...result, nodes: rows.map(({ fused: _legacy, ...row }) => row) };
}

export function isProfileResult(x: unknown): x is ProfileResult {
  return profileResultProblem(x) === null;
}

type Fields = Record<string, unknown>;

function isRecord(x: unknown): x is Fields {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const isText = (x: unknown): x is string => typeof x === "string" && x.length <= MAX_TEXT;
const isMs = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
const isCount = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
const isNumberOrNull = (x: unknown): boolean => x === null || (typeof x === "number" && Number.isFinite(x));
const isShapeList = (x: unknown): boolean => Array.isArray(x) && x.length <= 64 && x.every((s) => Array.isArray(s) && s.length <= 16 && s.every(isCount));

function isLatency(x: unknown): boolean {
  return isRecord(x) && isMs(x.medianMs) && isMs(x.p10Ms) && isMs(x.p90Ms);
}

const isTextList = (x: unknown): boolean => Array.isArray(x) && x.length <= MAX_PROFILED_NODES && x.every(isText);

function isNode(x: unknown): boolean {
  return (
    isRecord(x) &&
    isText(x.id) &&
    isText(x.op) &&
    isLatency(x) &&
    isCount(x.runs) &&
    isNumberOrNull(x.gflopsPerSec) &&
    isCount(x.macs) &&
    isMs(x.percent) &&
    // Written by earlier versions (a per-row copy of `fused`); checked, then dropped by parseResult.
    (x.fused === undefined || isTextList(x.fused))
  );
}

const GROUP_KINDS = ["identity", "projection", "stem", "stage", "head"];

function isGroup(x: unknown): boolean {
  return (
    isRecord(x) &&
    isText(x.id) &&
    isText(x.name) &&
    GROUP_KINDS.includes(x.kind as string) &&
    isMs(x.medianMs) &&
    isMs(x.percent) &&
    isCount(x.macs) &&
    isNumberOrNull(x.gflopsPerSec) &&
    isCount(x.profiledNodes) &&
    isCount(x.skippedNodes)
  );
}

function listProblem(x: unknown, name: string, ok: (v: unknown) => boolean): string | null {
  if (!Array.isArray(x)) return `${name} is not a list.`;
  if (x.length > MAX_PROFILED_NODES) return `${name} has ${x.length} entries, more than the ${MAX_PROFILED_NODES} allowed.`;
  const bad = x.findIndex((v) => !ok(v));
  return bad >= 0 ? `${name}[${bad}] is malformed.` : null;
}

/** The first thing wrong with `x` as a ProfileResult, as a sentence, or null when it is one. */
export function profileResultProblem(x: unknown): string | null {
  if (!isRecord(x)) return "it is not an object.";
  if (x.resultVersion !== PROFILE_RESULT_VERSION) return `resultVersion is ${JSON.stringify(x.resultVersion ?? null)}, expected ${PROFILE_RESULT_VERSION}.`;
  for (const k of ["file", "entry", "modelName", "backend", "device", "tfjsVersion", "layout", "method", "timestamp"]) {
    if (!isText(x[k])) return `${k} is not a short string.`;
  }
  if (x.layout !== "NHWC" && x.layout !== "NHWC (converted from NCHW)") return `layout ${JSON.stringify(x.layout)} is unknown.`;
  if (!["in-pass", "in-pass-readback", "kernel-profile"].includes(x.method as string)) return `method ${JSON.stringify(x.method)} is unknown.`;
  if (!isCount(x.batch) || x.batch < 1) return "batch is not a positive integer.";
  for (const k of ["warmup", "runs", "weightCount"]) if (!isCount(x[k])) return `${k} is not a non-negative integer.`;
  if (!isShapeList(x.input)) return "input is not a list of shapes.";
  if (!isShapeList(x.outputShapes)) return "outputShapes is not a list of shapes.";
  if (!isLatency(x.wholeModel)) return "wholeModel lacks medianMs/p10Ms/p90Ms.";
  if (!isMs(x.layerSumMs) || !isMs(x.ratio)) return "layerSumMs or ratio is not a non-negative number.";
  if (!isNumberOrNull(x.peakGflops)) return "peakGflops is neither a number nor null.";
  return (
    listProblem(x.nodes, "nodes", isNode) ??
    listProblem(x.skipped, "skipped", (s) => isRecord(s) && isText(s.id) && isText(s.reason)) ??
    // Absent in results saved before fusion existed.
    (x.fused === undefined ? null : listProblem(x.fused, "fused", (f) => isRecord(f) && isText(f.id) && isText(f.op) && isText(f.into))) ??
    listProblem(x.blocks, "blocks", isGroup) ??
    listProblem(x.stages, "stages", isGroup) ??
    listProblem(x.warnings, "warnings", isText)
  );
}
