// Where in the user's own code a layer came from when its sites lie in code they cannot open (the
// bundled torchvision.models / keras.applications, or a file outside the analysed ones): the innermost
// call, in an accepted file, on the way to the site, e.g. the user's `models.resnet50()` line.

import type { SourceSite } from "./types";

/** File names of the bundled zoo's modules start with this, so diagnostics say where the code came from. */
export const BUNDLED_ROOT = "<resgraph>/";

export function isBundledFile(file: string): boolean {
  return file.startsWith(BUNDLED_ROOT);
}

const notBundled = (file: string) => !isBundledFile(file);

export function innermostCallIn(site: SourceSite, accept: (file: string) => boolean): SourceSite | undefined {
  const stack = site.stack ?? [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i];
    if (accept(f.file)) return { file: f.file, range: f.range, stack: stack.slice(0, i) };
  }
  return undefined;
}

/** The site itself, or for one inside the bundled zoo the user's call that led there. */
export function userFacingSite(site: SourceSite): SourceSite {
  return isBundledFile(site.file) ? innermostCallIn(site, notBundled) ?? site : site;
}

/**
 * The site to show for a node: its `preferred` site when that lies in an accepted file, else its other
 * site if that does, else the innermost accepted call on the way to either; the preferred site when
 * none is accepted. By default every file but the bundled zoo's is accepted.
 */
export function acceptedSite(
  node: { created?: SourceSite; applied?: SourceSite },
  preferred: "created" | "applied",
  accept: (file: string) => boolean = notBundled,
): SourceSite | undefined {
  const first = node[preferred];
  const other = preferred === "created" ? node.applied : node.created;
  for (const s of [first, other]) if (s && accept(s.file)) return s;
  for (const s of [node.created, node.applied]) {
    const call = s && innermostCallIn(s, accept);
    if (call) return call;
  }
  return first ?? other;
}
