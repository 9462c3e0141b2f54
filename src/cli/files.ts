// Reading other modules for imports: only `.py` files inside the analysed file's import root.

import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * A reader for the paths the analyzer asks for. They are built from `file` as given on the command
 * line, so they are relative to the working directory `cwd` just as `file` is (or absolute).
 * Only files inside the import root (see `importRoot`) are served, so a model file cannot make the
 * CLI read arbitrary files.
 */
export function importReader(
  file: string,
  readText: (absolutePath: string) => string | undefined,
  cwd: string = process.cwd(),
): (path: string) => string | undefined {
  const root = importRoot(resolve(cwd, file), readText, cwd);
  return (path) => {
    const full = resolve(cwd, path);
    return isInside(root, full) && full.endsWith(".py") ? readText(full) : undefined;
  };
}

/**
 * The folder imports may reach: the folder above the outermost package holding the file (each
 * folder up that has an `__init__.py`, which is what `from ..ops import x` climbs), widened to the
 * working directory when the file lies inside it (absolute imports of the user's own project).
 */
export function importRoot(absoluteFile: string, readText: (absolutePath: string) => string | undefined, cwd: string): string {
  let root = dirname(absoluteFile);
  for (;;) {
    const up = dirname(root);
    if (up === root || readText(join(root, "__init__.py")) === undefined) break;
    root = up;
  }
  const base = resolve(cwd);
  return isInside(base, root) ? base : root;
}

function isInside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
