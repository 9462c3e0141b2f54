// The analyzer's `readFile` for imports, as the editor sees the workspace: open documents' unsaved
// text first ("overlays"), then the disk — and only inside the workspace root, so a crafted import
// can never read files elsewhere. It records every file it served so the host can watch exactly
// the imported files. Pure: the disk is a callback. Plain data so it can cross to a worker thread.

export interface ReaderInput {
  /** Absolute root (analyzer path form, "/" separators) files must lie under. */
  root: string;
  /** Analyzer path -> unsaved text of open documents. */
  overlays: Record<string, string>;
}

/** True when `path` is `root` itself or inside it (after normalising "." and ".."). */
export function isInside(root: string, path: string): boolean {
  const norm = normalise(path);
  const r = normalise(root).replace(/\/$/, "");
  return norm === r || norm.startsWith(r + "/");
}

/** Resolves "." and ".." segments of a "/"-separated path. */
export function normalise(path: string): string {
  const abs = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return (abs ? "/" : "") + out.join("/");
}

export interface RecordingReader {
  readFile(path: string): string | undefined;
  /** Files that existed and were served (normalised analyzer paths), in first-read order. */
  served(): string[];
}

export function makeWorkspaceReader(input: ReaderInput, readDisk: (path: string) => string | undefined): RecordingReader {
  const served = new Set<string>();
  return {
    readFile(path) {
      const norm = normalise(path);
      if (!isInside(input.root, norm)) return undefined;
      const text = input.overlays[norm] ?? readDisk(norm);
      if (text !== undefined) served.add(norm);
      return text;
    },
    served: () => [...served],
  };
}
