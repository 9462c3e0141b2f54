// Finding the workspace file behind `import x.y` / `from ..x import y`, without touching the file system
// directly (the host supplies `readFile`).

import type { ModuleSource } from "../interp/interpreter";

export function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : p.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  const out: string[] = [];
  const abs = parts[0]?.startsWith("/");
  for (const part of parts.join("/").split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(part);
  }
  return (abs ? "/" : "") + (out.join("/") || (abs ? "" : "."));
}

export function resolveImport(readFile: (path: string) => string | undefined, fromFile: string, dotted: string, level: number): ModuleSource | undefined {
  const rel = dotted ? dotted.split(".").join("/") : "";
  const bases: string[] = [];
  if (level > 0) {
    let base = dirname(fromFile);
    // joinPath, not dirname: a relative "." climbs to "..", as Python's package parent does.
    for (let i = 1; i < level; i++) base = joinPath(base, "..");
    bases.push(base);
  } else {
    // Absolute imports of workspace modules: the file's folder, then its parents (a project root).
    let base = dirname(fromFile);
    for (let i = 0; i < 4; i++) {
      bases.push(base);
      const up = dirname(base);
      if (up === base) break;
      base = up;
    }
  }
  for (const base of bases) {
    const stem = rel ? joinPath(base, rel) : base;
    for (const candidate of rel ? [`${stem}.py`, `${stem}/__init__.py`] : [`${stem}/__init__.py`]) {
      const text = readFile(candidate);
      if (text !== undefined) return { file: candidate, text };
    }
  }
  return undefined;
}
