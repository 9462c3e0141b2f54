// The ONE message protocol between the VS Code host (extension/) and the webview (webview/).
// Both sides import only this file for messaging, so a renamed field is a compile error on both
// ends instead of a silent runtime mismatch. Pure TypeScript: no vscode, no DOM.
//
// Flow: the webview sends `ready` first; the host answers with a full `snapshot` (inReplyTo = the
// ready's id) and sends a fresh unsolicited snapshot whenever the analysis changes. Snapshots are
// always complete (never diffs) so a reloaded webview can rebuild itself from the last one.
//
// The webview is untrusted input from the host's point of view (it renders user-derived strings),
// so the host runs every incoming message through `isWebviewToHost` before acting on it.

import type { Diagnostic, GraphIR } from "./ir/types";
import type { ModelSummary } from "./analysis/summary";
import type { ProfileResult } from "./profile/result";
import { isProfileResult } from "./profile/serialize";

/** Bumped on any incompatible change to the messages below. */
export const PROTOCOL_VERSION = 1;

/** Upper bounds that keep a misbehaving webview from making the host do unbounded work. */
export const MAX_NODE_ID_LENGTH = 1_000;
export const MAX_ERROR_MESSAGE_LENGTH = 10_000;
export const MAX_FILE_NAME_LENGTH = 255;
/** An exported SVG of a 20,000-layer graph is tens of MB; anything beyond this is refused. */
export const MAX_SAVE_FILE_LENGTH = 200_000_000;

/**
 * Every message carries an `id` unique per sender (increasing integers). A reply names the
 * request it answers in `inReplyTo`; unsolicited messages leave it out.
 */
export interface Envelope {
  id: number;
  inReplyTo?: number;
}

/** UI state the host keeps across webview reloads (the webview reports changes via selectNode). */
export interface ViewState {
  selectedNodeId: string | null;
  /** Module scopes (e.g. "layer1/0") the user collapsed in the graph. */
  collapsedScopes: string[];
}

/** A model entry the user can pick (a factory call, a class, a module-level assignment). */
export interface EntryOption {
  /** The Python expression analysed, e.g. `resnet50()`. */
  expr: string;
  label: string;
}

/** Everything the webview needs to draw, in one plain-JSON object. */
export interface Snapshot {
  /** Document the analysis came from (as given to the analyzer). */
  file: string;
  /** Document version the analysis ran on, so the webview can drop stale snapshots. */
  documentVersion: number;
  /** Null when nothing could be analysed; `diagnostics` then says why. */
  ir: GraphIR | null;
  summary: ModelSummary | null;
  diagnostics: Diagnostic[];
  entries: EntryOption[];
  entry: string | null;
  view: ViewState;
  /**
   * Optional: the last profile result for this model (an overlay keyed by node id, never merged into
   * the IR), so a reloaded webview shows latency again. Absent or null: none.
   */
  profile?: ProfileResult | null;
}

// ---- Webview -> host -------------------------------------------------------------------------

/** First message from a (re)loaded webview; the host answers with a snapshot. */
export interface ReadyMessage {
  type: "ready";
  protocolVersion: number;
}

/** The user asked to jump to the source of a node (where its layer was applied/created). */
export interface RevealSourceMessage {
  type: "revealSource";
  nodeId: string;
}

/** The selection changed in the webview (null = cleared). Sent in both directions. */
export interface SelectNodeMessage {
  type: "selectNode";
  nodeId: string | null;
}

/** Something failed; the receiver logs it (host) or shows it (webview). Sent in both directions. */
export interface ErrorMessage {
  type: "error";
  message: string;
}

/**
 * Save an exported file (SVG/PNG of the graph). A VS Code webview cannot download through
 * `<a download>`, so it asks the host, which shows a save dialog with `fileName` as the default.
 * Exactly one of `text` (UTF-8 text, e.g. SVG) or `base64` (binary, e.g. PNG) is present.
 */
export interface SaveFileMessage {
  type: "saveFile";
  /** A bare file name ("ResNet.svg"): no directory part. */
  fileName: string;
  mimeType: string;
  text?: string;
  base64?: string;
}

// ---- Profiling (both directions) -----------------------------------------------------------------

/** Backends the webview runner can use: the user's GPU (webgpu, webgl) or the page's CPU. */
export const WEBVIEW_BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type WebviewBackend = (typeof WEBVIEW_BACKENDS)[number];

export const PROFILE_PHASES = ["load", "build", "check", "warmup", "run", "peak"] as const;
export type ProfilePhase = (typeof PROFILE_PHASES)[number];

/** Host -> webview: profile the snapshot's IR in the webview (webgpu/webgl reach the user's GPU). */
export interface RunProfileMessage {
  type: "runProfile";
  backend: WebviewBackend;
  warmup: number;
  runs: number;
  batch: number;
}

/** Host -> webview: stop the running profile; the webview answers with profileFailed (code "cancelled"). */
export interface CancelProfileMessage {
  type: "cancelProfile";
}

/** Webview -> host, replying to a runProfile (inReplyTo): how far it got. */
export interface ProfileProgressMessage {
  type: "profileProgress";
  done: number;
  total: number;
  phase: ProfilePhase;
}

/**
 * Webview -> host: the finished result (inReplyTo = the runProfile), to persist and compare.
 * Host -> webview: a result to show (from a Node backend, or the last saved one).
 */
export interface ProfileResultMessage {
  type: "profileResult";
  result: ProfileResult;
}

/** Webview -> host: a runProfile that ended without a result, and why. */
export interface ProfileFailedMessage {
  type: "profileFailed";
  /** cancelled: cancelProfile or the user; unavailable: the backend does not start in this webview. */
  code: "cancelled" | "unavailable" | "memory" | "input" | "failed";
  message: string;
}

/** Webview -> host: the user pressed the webview's Profile button; the host decides how (runProfile or a Node backend). */
export interface RequestProfileMessage {
  type: "requestProfile";
  /** The backend the user picked, or absent for the host's preference (resgraph.profiling.backendOrder). */
  backend?: WebviewBackend;
}

export type WebviewToHostBody =
  | ReadyMessage
  | RevealSourceMessage
  | SelectNodeMessage
  | ErrorMessage
  | SaveFileMessage
  | ProfileProgressMessage
  | ProfileResultMessage
  | ProfileFailedMessage
  | RequestProfileMessage;
export type WebviewToHost = WebviewToHostBody & Envelope;

// ---- Host -> webview -------------------------------------------------------------------------

export interface SnapshotMessage {
  type: "snapshot";
  snapshot: Snapshot;
}

export type HostToWebviewBody = SnapshotMessage | SelectNodeMessage | ErrorMessage | RunProfileMessage | CancelProfileMessage | ProfileResultMessage;
export type HostToWebview = HostToWebviewBody & Envelope;

// ---- Runtime validation ----------------------------------------------------------------------

type Fields = Record<string, unknown>;

function isRecord(x: unknown): x is Fields {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isMessageId(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isBoundedString(x: unknown, max: number): x is string {
  return typeof x === "string" && x.length <= max;
}

/** True when `x` has no keys beyond the envelope's and `allowed`: unknown fields mean a protocol mismatch. */
function hasOnlyKeys(x: Fields, allowed: readonly string[]): boolean {
  return Object.keys(x).every((k) => k === "type" || k === "id" || k === "inReplyTo" || allowed.includes(k));
}

function isEnvelope(x: Fields): boolean {
  return isMessageId(x.id) && (x.inReplyTo === undefined || isMessageId(x.inReplyTo));
}

/** Validates one message from the webview. Anything that fails is dropped by the host. */
export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isRecord(x) || !isEnvelope(x)) return false;
  switch (x.type) {
    case "ready":
      return hasOnlyKeys(x, ["protocolVersion"]) && isMessageId(x.protocolVersion);
    case "revealSource":
      return hasOnlyKeys(x, ["nodeId"]) && isBoundedString(x.nodeId, MAX_NODE_ID_LENGTH) && x.nodeId !== "";
    case "selectNode":
      return (
        hasOnlyKeys(x, ["nodeId"]) &&
        (x.nodeId === null || (isBoundedString(x.nodeId, MAX_NODE_ID_LENGTH) && x.nodeId !== ""))
      );
    case "error":
      return hasOnlyKeys(x, ["message"]) && isBoundedString(x.message, MAX_ERROR_MESSAGE_LENGTH);
    case "saveFile":
      return hasOnlyKeys(x, ["fileName", "mimeType", "text", "base64"]) && isSaveFile(x);
    case "profileProgress":
      return (
        hasOnlyKeys(x, ["done", "total", "phase"]) &&
        isMessageId(x.done) &&
        isMessageId(x.total) &&
        x.done <= x.total &&
        (PROFILE_PHASES as readonly unknown[]).includes(x.phase)
      );
    case "profileResult":
      return hasOnlyKeys(x, ["result"]) && isProfileResult(x.result);
    case "profileFailed":
      return hasOnlyKeys(x, ["code", "message"]) && PROFILE_FAILURES.includes(x.code as string) && isBoundedString(x.message, MAX_ERROR_MESSAGE_LENGTH);
    case "requestProfile":
      return hasOnlyKeys(x, ["backend"]) && (x.backend === undefined || isWebviewBackend(x.backend));
    default:
      return false;
  }
}

const PROFILE_FAILURES = ["cancelled", "unavailable", "memory", "input", "failed"];

export function isWebviewBackend(x: unknown): x is WebviewBackend {
  return (WEBVIEW_BACKENDS as readonly unknown[]).includes(x);
}

/** Bounds of runProfile's numbers: enough for any real measurement, never an endless loop. */
export const MAX_PROFILE_RUNS = 10_000;
export const MAX_PROFILE_BATCH = 4_096;

/** Full check of a runProfile (the webview validates it before allocating anything on the GPU). */
export function isRunProfile(x: unknown): x is RunProfileMessage & Envelope {
  if (!isRecord(x) || !isEnvelope(x) || x.type !== "runProfile" || !hasOnlyKeys(x, ["backend", "warmup", "runs", "batch"])) return false;
  const inRange = (v: unknown, min: number, max: number): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;
  return isWebviewBackend(x.backend) && inRange(x.warmup, 0, MAX_PROFILE_RUNS) && inRange(x.runs, 1, MAX_PROFILE_RUNS) && inRange(x.batch, 1, MAX_PROFILE_BATCH);
}

function isSaveFile(x: Fields): boolean {
  const name = x.fileName;
  if (!isBoundedString(name, MAX_FILE_NAME_LENGTH) || name === "" || name === "." || name === ".." || /[/\\\u0000-\u001f]/.test(name)) return false;
  if (typeof x.mimeType !== "string" || !/^[a-z]+\/[a-z0-9.+-]+$/.test(x.mimeType) || x.mimeType.length > 100) return false;
  const hasText = x.text !== undefined;
  const hasBase64 = x.base64 !== undefined;
  if (hasText === hasBase64) return false;
  if (hasText) return isBoundedString(x.text, MAX_SAVE_FILE_LENGTH);
  return isBoundedString(x.base64, MAX_SAVE_FILE_LENGTH) && /^[A-Za-z0-9+/]*={0,2}$/.test(x.base64) && x.base64.length % 4 === 0;
}

/**
 * Shallow check of a host message on the webview side: the host is trusted, so this only guards
 * against a stale webview build talking to a newer host (unknown `type`s are ignored).
 */
export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isRecord(x) || !isEnvelope(x)) return false;
  switch (x.type) {
    case "snapshot":
      return isRecord(x.snapshot);
    case "selectNode":
      return x.nodeId === null || typeof x.nodeId === "string";
    case "error":
      return typeof x.message === "string";
    case "runProfile":
      return isRunProfile(x);
    case "cancelProfile":
      return true;
    case "profileResult":
      return isRecord(x.result) && Array.isArray(x.result.nodes);
    default:
      return false;
  }
}

/** Hands out increasing message ids for one sender. */
export function createIdSource(start = 1): () => number {
  let next = start;
  return () => next++;
}

/** An empty view state, used before the webview has reported anything. */
export function initialViewState(): ViewState {
  return { selectedNodeId: null, collapsedScopes: [] };
}
