// Turns one raw message from the graph webview into what the host should do, after validating it.
// The webview renders user-derived strings and is treated as untrusted: a message must pass
// `isWebviewToHost`, name a node of the current analysis, and point into a document that was
// analysed (the main file or one it imported) before the host reveals anything.
// Pure (no vscode) so every rule is unit-tested.

import type { IRNode, SourceSite } from "../../src/ir/types";
import { PROTOCOL_VERSION, isWebviewToHost, type WebviewBackend, type WebviewToHost } from "../../src/protocol";
import { acceptedSite } from "../../src/ir/user-site";

/** Profiling replies from the webview runner; the run that asked for them consumes them (see profiling.ts). */
export type ProfileReply = Extract<WebviewToHost, { type: "profileProgress" | "profileResult" | "profileFailed" }>;

/** What the host knows about the panel's current analysis. */
export interface AnalysedModel {
  nodes: ReadonlyMap<string, IRNode>;
  /** Analyzer paths of every document the analysis read (main file and imported workspace files). */
  files: ReadonlySet<string>;
}

export type InboxAction =
  | { kind: "ready"; requestId: number }
  | { kind: "reveal"; nodeId: string; site: SourceSite; node: IRNode }
  | { kind: "select"; nodeId: string | null; site: SourceSite | null }
  | { kind: "webviewError"; message: string }
  | { kind: "saveFile"; fileName: string; data: { text: string } | { base64: string } }
  | { kind: "requestProfile"; backend: WebviewBackend | null }
  | { kind: "profileReply"; message: ProfileReply }
  | { kind: "reject"; reason: string };

/**
 * The site to show for a node: where the layer was created, else where it was applied. With `files`
 * (the analysed files), a layer built in code the user cannot open (the bundled torchvision.models
 * or keras.applications) shows the innermost call in an analysed file that led there, such as the
 * user's `models.resnet50()` line.
 */
export function primarySite(node: IRNode, files?: ReadonlySet<string>): SourceSite | null {
  if (!files) return node.created ?? node.applied ?? null;
  return acceptedSite(node, "created", (file) => files.has(file)) ?? null;
}

export function decideInbox(raw: unknown, model: AnalysedModel | null): InboxAction {
  if (!isWebviewToHost(raw)) return { kind: "reject", reason: "The webview sent a message that is not part of the protocol." };
  switch (raw.type) {
    case "ready":
      if (raw.protocolVersion !== PROTOCOL_VERSION) {
        return { kind: "reject", reason: `The webview speaks protocol ${raw.protocolVersion}, the host ${PROTOCOL_VERSION}; reload the window.` };
      }
      return { kind: "ready", requestId: raw.id };
    case "error":
      return { kind: "webviewError", message: raw.message };
    case "selectNode": {
      if (raw.nodeId === null) return { kind: "select", nodeId: null, site: null };
      // Groups (stages, blocks) are selectable in the view but have no single source site.
      const node = model?.nodes.get(raw.nodeId);
      const site = node ? primarySite(node, model!.files) : null;
      return { kind: "select", nodeId: raw.nodeId, site: site && model!.files.has(site.file) ? site : null };
    }
    case "revealSource": {
      if (!model) return { kind: "reject", reason: `Cannot reveal node ${raw.nodeId}: nothing has been analysed.` };
      const node = model.nodes.get(raw.nodeId);
      if (!node) return { kind: "reject", reason: `Cannot reveal node ${raw.nodeId}: it is not in the current analysis.` };
      const site = primarySite(node, model.files);
      if (!site) return { kind: "reject", reason: `Node ${raw.nodeId} has no known source location.` };
      if (!model.files.has(site.file)) {
        return { kind: "reject", reason: `Node ${raw.nodeId} points into ${site.file}, which was not analysed.` };
      }
      return { kind: "reveal", nodeId: raw.nodeId, site, node };
    }
    case "saveFile": {
      // The protocol already bounds the name and forbids directory parts; the host still asks the user where.
      const data = raw.text !== undefined ? { text: raw.text } : raw.base64 !== undefined ? { base64: raw.base64 } : null;
      if (!data) return { kind: "reject", reason: `The webview asked to save ${raw.fileName} without any content.` };
      return { kind: "saveFile", fileName: raw.fileName, data };
    }
    case "requestProfile":
      return { kind: "requestProfile", backend: raw.backend ?? null };
    case "profileProgress":
    case "profileResult":
    case "profileFailed":
      return { kind: "profileReply", message: raw };
  }
}
