// Where in the user's own code a layer came from when its sites lie in code they cannot open (the
// bundled torchvision.models / keras.applications): the innermost call, in an accepted file, on the
// way to the site, e.g. the user's `models.resnet50()` line.

import type { SourceSite } from "./types";
import { isBundledFile } from "../frameworks/zoo";

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
  return isBundledFile(site.file) ? innermostCallIn(site, (f) => !isBundledFile(f)) ?? site : site;
}
