// Reading sibling modules for relative imports: only files inside the analysed file's folder tree.

import { dirname, isAbsolute, relative, resolve } from "node:path";

/**
 * A reader for paths relative to `file`'s folder. Paths that resolve outside that folder tree are
 * refused (undefined) so a model file cannot make the CLI read arbitrary files.
 */
export function siblingReader(
  file: string,
  readText: (absolutePath: string) => string | undefined,
): (path: string) => string | undefined {
  const root = dirname(resolve(file));
  return (path) => {
    const full = resolve(root, path);
    const rel = relative(root, full);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    return readText(full);
  };
}
