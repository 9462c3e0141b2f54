// The hover over a line that creates or applies layers: per call site, the op, how many times it ran
// (loop iterations, repeated helper calls), the output shape(s), params and MACs summed over them.
// Returns Markdown lines; pure so it is unit-tested without VS Code.

import type { SiteGroup } from "./line-index";
import { compactUnit, shapeText, thousands } from "./numbers";

const MAX_SHAPES = 4;

function shapesText(group: SiteGroup): string {
  const shown = group.shapes.slice(0, MAX_SHAPES).map((s) => {
    const text = shapeText(s.shape);
    return group.shapes.length > 1 || s.count > 1 ? `${text} ×${s.count}` : text;
  });
  const more = group.shapes.length - shown.length;
  return more > 0 ? `${shown.join(", ")}, and ${more} more` : shown.join(", ");
}

/** "applied 16×" / "applied once" / "created 3×". */
function countText(group: SiteGroup): string {
  return group.count === 1 ? `${group.role} once` : `${group.role} ${group.count}×`;
}

/** One Markdown paragraph per site group; empty when the line made nothing. */
export function hoverMarkdown(groups: readonly SiteGroup[]): string[] {
  return groups.map((g) => {
    const macs = g.macs > 0 ? ` · MACs ${thousands(g.macs)} (${compactUnit(g.macs, "MACs")})` : " · MACs 0";
    const noun = g.count === 1 ? "output" : "outputs";
    return `**${g.op}** ${countText(g)} here · ${noun} \`${shapesText(g)}\` · params ${thousands(g.params)}${macs}`;
  });
}

/** The hover's full Markdown: a title line and one paragraph per site; null when nothing to show. */
export function hoverDocument(groups: readonly SiteGroup[]): string | null {
  const lines = hoverMarkdown(groups);
  if (lines.length === 0) return null;
  return ["ResGraph", ...lines].join("\n\n");
}
