// What a graph panel needs to come back after a window reload: identity only (which document, which
// entry, what was selected, zoom and open groups) — never the model itself, which is re-analysed.
// The webview persists its own UI state (through VS Code's getState/setState) and VS Code hands
// that state to our WebviewPanelSerializer; it is untrusted input, so it is parsed defensively here.

export interface PanelIdentity {
  /** The analysed document's URI, as `uri.toString()`. */
  documentUri: string;
  entry: string | null;
  selectedNodeId: string | null;
  /** Zoom transform, when the view reported one. */
  zoom: { x: number; y: number; k: number } | null;
  expandedGroups: string[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const str = (x: unknown): string | null => (typeof x === "string" && x.length <= 10_000 ? x : null);

/**
 * Reads a persisted panel state. Two shapes are accepted: ours ({ documentUri, entry, ... }) and the
 * graph view's own saved state ({ modelKey: "<file>::<model>::<entry>", expanded, selected,
 * transform }), whose file is the analyzer path (an absolute path for files on disk).
 */
export function parsePanelState(raw: unknown, pathToUri: (path: string) => string): PanelIdentity | null {
  if (!isRecord(raw)) return null;
  const zoom = parseZoom(raw.zoom ?? raw.transform);
  const expanded = Array.isArray(raw.expandedGroups ?? raw.expanded)
    ? ((raw.expandedGroups ?? raw.expanded) as unknown[]).map(str).filter((s): s is string => s !== null)
    : [];
  const selectedNodeId = str(raw.selectedNodeId ?? raw.selected);
  const documentUri = str(raw.documentUri);
  if (documentUri) return { documentUri, entry: str(raw.entry), selectedNodeId, zoom, expandedGroups: expanded };
  const key = str(raw.modelKey);
  if (!key) return null;
  const parts = key.split("::");
  if (parts.length < 3 || parts[0] === "") return null;
  const entry = parts[parts.length - 1];
  return { documentUri: pathToUri(parts[0]), entry: entry === "" ? null : entry, selectedNodeId, zoom, expandedGroups: expanded };
}

function parseZoom(x: unknown): PanelIdentity["zoom"] {
  if (!isRecord(x)) return null;
  const { x: tx, y: ty, k } = x;
  return typeof tx === "number" && typeof ty === "number" && typeof k === "number" && [tx, ty, k].every(Number.isFinite) && k > 0
    ? { x: tx, y: ty, k }
    : null;
}
