// Labels for the path that led to a node: "block 3 of stage 2 ← _make_layer line 180" for a layer
// built in a nested loop inside a helper, and one quick-pick entry per step for navigation.
// Frames in the IR go outermost first; the outermost one is the analyzer's own call of the entry
// expression (or of forward), whose range is not in the user's text, so it is dropped.
// Pure: the loop variable's name is read through a callback giving a source line's text.

import type { SourceSite, StackFrame } from "../../src/ir/types";
import type { Range } from "../../src/python/source";

/** The text of a 0-based line of a file, or undefined when unknown. */
export type LineText = (file: string, line: number) => string | undefined;

/** Loop variables that say nothing ("_", "i") are shown as "iteration". */
const ANONYMOUS_LOOP_VARIABLE = /^(_+|[a-z]|idx|index|n|it|iter)$/;

/** "block" for `for block in ...:` / `for block_idx, cfg in ...`; "iteration" otherwise. */
export function loopNoun(frame: StackFrame, lineText: LineText): string {
  if (frame.label !== "for") return "iteration";
  const text = lineText(frame.file, frame.range.start.line) ?? "";
  const m = /^\s*(?:async\s+)?for\s+\(?\s*([A-Za-z_]\w*)/.exec(text);
  if (!m) return "iteration";
  const name = m[1].replace(/_(idx|index|id|num|no|i)$/, "").replace(/(idx|index)$/, "");
  return name === "" || ANONYMOUS_LOOP_VARIABLE.test(name) ? "iteration" : name.replace(/_/g, " ");
}

/** The frames the user wrote: the analyzer's synthetic outermost call removed. */
export function userFrames(frames: readonly StackFrame[]): StackFrame[] {
  return frames.slice(1);
}

/** "_make_layer line 180" (1-based line of the call). */
function callText(frame: StackFrame): string {
  return `${frame.label} line ${frame.range.start.line + 1}`;
}

/**
 * One line naming where in the program a node was made: the innermost run of loops ("block 3 of
 * stage 2") and the call that contains them, or, without loops, the two innermost calls.
 */
export function stackSummary(frames: readonly StackFrame[], lineText: LineText): string {
  const user = userFrames(frames);
  let inner = -1;
  for (let i = user.length - 1; i >= 0; i--) {
    if (user[i].kind === "loop") {
      inner = i;
      break;
    }
  }
  if (inner >= 0) {
    let outer = inner;
    while (outer > 0 && user[outer - 1].kind === "loop") outer--;
    const loops = user
      .slice(outer, inner + 1)
      .reverse()
      .map((f) => `${loopNoun(f, lineText)} ${(f.iteration ?? 0) + 1}`);
    const call = outer > 0 ? user[outer - 1] : undefined;
    return call ? `${loops.join(" of ")} ← ${callText(call)}` : loops.join(" of ");
  }
  return user
    .slice(-2)
    .reverse()
    .map(callText)
    .join(" ← ");
}

/** A place the user can jump to from a node: a site or one frame of its stack. */
export interface StackStop {
  label: string;
  detail: string;
  file: string;
  range: Range;
}

/** Everything to offer for a node, innermost first: where it was created, each frame, where applied. */
export function stackStops(
  node: { id: string; op: string; created?: SourceSite; applied?: SourceSite },
  lineText: LineText,
): StackStop[] {
  const stops: StackStop[] = [];
  const site = node.created ?? node.applied;
  if (node.created) stops.push({ label: `Created: ${node.op}`, detail: `line ${node.created.range.start.line + 1}`, file: node.created.file, range: node.created.range });
  const frames = site ? userFrames(site.stack) : [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    const label =
      f.kind === "loop" ? `${loopNoun(f, lineText)} ${(f.iteration ?? 0) + 1} of the ${f.label} loop` : `called ${f.label}()`;
    stops.push({ label, detail: `line ${f.range.start.line + 1}`, file: f.file, range: f.range });
  }
  if (node.applied && node.applied !== node.created) {
    stops.push({ label: `Applied: ${node.op}`, detail: `line ${node.applied.range.start.line + 1}`, file: node.applied.file, range: node.applied.range });
  }
  return stops;
}
