// Which layers each source line made: the index behind hovers ("what does this line build?") and
// cursor -> node selection. A node is listed on the line of its `applied` site and on the line of its
// `created` site (PyTorch: forward vs __init__; Keras: usually the same line, listed once).
// Pure (no vscode): built from the IR once per analysis and unit-tested.

import type { IRNode, Shape, SourceSite } from "../../src/ir/types";
import { userFacingSite } from "../../src/ir/user-site";

export type SiteRole = "applied" | "created";

/** One call site on a line and everything the analysis made through it (all loop iterations). */
export interface SiteGroup {
  role: SiteRole;
  op: string;
  /** Start/end character of the call expression on its line (distinguishes `f(g(x))` calls). */
  startCharacter: number;
  endCharacter: number;
  /** How many nodes this site produced: loop iterations, repeated helper calls, ... */
  count: number;
  nodeIds: string[];
  /** Distinct output shapes in first-seen order, each with how many nodes had it. */
  shapes: { shape: Shape | null; count: number }[];
  params: number;
  macs: number;
}

export interface LineIndex {
  /** Site groups on a 0-based line of `file`, in source order (then applied before created). */
  at(file: string, line: number): SiteGroup[];
  /** Node ids whose site is on that line, applied sites first, in execution order. */
  nodesAt(file: string, line: number): string[];
  /** Every file that has at least one site. */
  files(): string[];
}

function sameShape(a: Shape | null, b: Shape | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function add(group: SiteGroup, node: IRNode): void {
  group.count++;
  group.nodeIds.push(node.id);
  group.params += node.params;
  group.macs += node.macs;
  const seen = group.shapes.find((s) => sameShape(s.shape, node.shape));
  if (seen) seen.count++;
  else group.shapes.push({ shape: node.shape, count: 1 });
}

export function buildLineIndex(nodes: readonly IRNode[]): LineIndex {
  // file -> line -> key -> group
  const byFile = new Map<string, Map<number, Map<string, SiteGroup>>>();
  const place = (node: IRNode, role: SiteRole, site: SourceSite): void => {
    const line = site.range.start.line;
    let lines = byFile.get(site.file);
    if (!lines) byFile.set(site.file, (lines = new Map()));
    let groups = lines.get(line);
    if (!groups) lines.set(line, (groups = new Map()));
    const endCharacter = site.range.end.line === line ? site.range.end.character : Number.MAX_SAFE_INTEGER;
    const key = `${role}:${site.range.start.character}:${endCharacter}:${node.op}`;
    let group = groups.get(key);
    if (!group) {
      group = { role, op: node.op, startCharacter: site.range.start.character, endCharacter, count: 0, nodeIds: [], shapes: [], params: 0, macs: 0 };
      groups.set(key, group);
    }
    add(group, node);
  };
  for (const node of nodes) {
    // A layer of a bundled zoo model (torchvision.models, keras.applications) is listed on the
    // user's line that called into the zoo: hovering `models.resnet50()` tells what it builds.
    const site = node.created ?? node.applied;
    const shown = site && userFacingSite(site);
    if (shown && shown !== site) {
      place(node, "created", shown);
      continue;
    }
    if (node.applied) place(node, "applied", node.applied);
    // A node created and applied by the same expression (Keras `Conv2D(...)(x)`) is listed once.
    if (node.created && !(node.applied && sameSite(node.created, node.applied))) place(node, "created", node.created);
  }
  const groupsAt = (file: string, line: number): SiteGroup[] => {
    const groups = [...(byFile.get(file)?.get(line)?.values() ?? [])];
    return groups.sort((a, b) => a.startCharacter - b.startCharacter || (a.role === b.role ? 0 : a.role === "applied" ? -1 : 1));
  };
  return {
    at: groupsAt,
    nodesAt(file, line) {
      const groups = groupsAt(file, line);
      const ordered = [...groups.filter((g) => g.role === "applied"), ...groups.filter((g) => g.role === "created")];
      return [...new Set(ordered.flatMap((g) => g.nodeIds))];
    },
    files: () => [...byFile.keys()],
  };
}

function sameSite(a: SourceSite, b: SourceSite): boolean {
  return (
    a.file === b.file &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}
