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

export type WebviewToHostBody = ReadyMessage | RevealSourceMessage | SelectNodeMessage | ErrorMessage | SaveFileMessage;
export type WebviewToHost = WebviewToHostBody & Envelope;

// ---- Host -> webview -------------------------------------------------------------------------

export interface SnapshotMessage {
  type: "snapshot";
  snapshot: Snapshot;
}

export type HostToWebviewBody = SnapshotMessage | SelectNodeMessage | ErrorMessage;
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
    default:
      return false;
  }
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
