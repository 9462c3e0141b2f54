// Which part of a fork's tensor each branch of an add reads. He et al.'s residual y = F(x) + x adds
// the block's input x (or a projection of it) to what the block made of x. Res2Net's hierarchical
// adds `conv(split(x)[0]) + split(x)[1]` fork at x too, but the added operand is a sibling piece the
// main branch never reads: that is a split-transform-merge, not a shortcut.

import type { IRNode, JsonValue, Shape } from "../ir/types";
import { sameShapeText } from "./shape-text";

/** Ops that take a piece of their input: torch split/chunk/unbind/indexing, Keras split/get_item. */
const PIECE_OPS = new Set(["split", "chunk", "unbind", "getitem", "get_item", "narrow", "select", "tensor_split", "slice", "strided_slice"]);

/** A read of the fork that cannot be told apart from any other piece; it never rules a shortcut out. */
const UNKNOWN_PIECE = "?";

/** What the branches of one add read of its fork: the whole tensor, or named pieces of it. */
export class ForkReads {
  /** Per branch: reads the whole fork. Sparse: most adds never read a piece. */
  private readonly whole: boolean[] = [];
  /** Per branch: the pieces it reads, created on the first piece. */
  private readonly pieces: (Set<string> | undefined)[] = [];

  constructor(private readonly branches: number, private readonly fork: IRNode) {}

  /** `reader` (a member of branch `branch`, or the add itself) takes the fork as an input. */
  note(branch: number, reader: IRNode): void {
    const piece = pieceOf(reader, this.fork);
    if (piece === null) this.whole[branch] = true;
    else (this.pieces[branch] ??= new Set<string>()).add(piece);
  }

  /**
   * False when the shortcut adds only pieces of the fork that no other branch reads, while the other
   * branches read only pieces too: the sum then joins siblings, and x itself is carried by no branch.
   * A shortcut that subsamples x while the main path reads all of x (option A) stays a shortcut.
   */
  shortcutCarriesInput(shortcut: number): boolean {
    const taken = this.pieces[shortcut];
    if (this.whole[shortcut] || taken === undefined || taken.has(UNKNOWN_PIECE)) return true;
    for (let b = 0; b < this.branches; b++) {
      if (b === shortcut) continue;
      const other = this.pieces[b];
      if (this.whole[b] || other?.has(UNKNOWN_PIECE)) return true;
      if (other) for (const p of other) if (taken.has(p)) return true;
    }
    return false;
  }
}

/**
 * The piece of `fork` that `reader` takes, as a key equal for equal pieces however they were written
 * (`split(x, 4, 1)[1]`, `x[:, 4:8]`, `x[:, 4:8, :, :]`); null when it reads the whole tensor.
 */
export function pieceOf(reader: IRNode, fork: IRNode): string | null {
  if (!PIECE_OPS.has(reader.op)) return null;
  const shape = fork.shape;
  if (shape && reader.shape && sameShapeText(reader.shape, shape)) return null; // x[:] or chunk(x, 1)
  const a = reader.attrs;
  if ((reader.op === "split" || reader.op === "chunk") && typeof a.start === "number" && typeof a.dim === "number" && shape) {
    const size = reader.shape?.[a.dim];
    if (typeof size !== "number") return UNKNOWN_PIECE;
    return rangeKey(shape.length, a.dim, `${a.start}:${a.start + size}:1`);
  }
  if ((reader.op === "getitem" || reader.op === "get_item") && Array.isArray(a.index) && shape) return indexKey(a.index, shape);
  // Other pieces (Keras split by index, unbind) are compared by what the IR records of them.
  const where = a.index ?? null;
  if (where === null || JSON.stringify(where).includes("unknown") || JSON.stringify(where).includes("tensor")) return UNKNOWN_PIECE;
  return `${reader.op} ${JSON.stringify(a.dim ?? a.axis ?? null)} ${JSON.stringify(where)}`;
}

/** One dimension narrowed to `range`, the others whole. */
function rangeKey(rank: number, dim: number, range: string): string {
  const items = new Array<string>(rank).fill(":");
  items[dim < 0 ? dim + rank : dim] = range;
  return trimWhole(items);
}

/** `x[items]` as normalised per-dimension selections (Python's slice.indices), or UNKNOWN_PIECE. */
function indexKey(index: JsonValue[], shape: Shape): string {
  const consumed = index.filter((it) => !isKind(it, "none") && !isKind(it, "ellipsis")).length;
  const items: string[] = [];
  let dim = 0;
  for (const it of index) {
    if (isKind(it, "none")) continue; // adds a dim, takes nothing away
    if (isKind(it, "ellipsis")) {
      for (let skip = shape.length - consumed; skip > 0; skip--, dim++) items.push(":");
      continue;
    }
    const len = shape[dim++];
    const o = it as { kind: string; value?: number; start?: number | null; stop?: number | null; step?: number | null; values?: number[] };
    if (typeof len !== "number") return UNKNOWN_PIECE;
    if (o.kind === "int" && typeof o.value === "number") items.push(String(o.value < 0 ? o.value + len : o.value));
    else if (o.kind === "slice") {
      const [start, stop, step] = sliceIndices(o.start ?? null, o.stop ?? null, o.step ?? null, len);
      items.push(start === 0 && stop === len && step === 1 ? ":" : `${start}:${stop}:${step}`);
    } else if (o.kind === "list" && Array.isArray(o.values)) items.push(`[${o.values.map((v) => (v < 0 ? v + len : v)).join(",")}]`);
    else return UNKNOWN_PIECE;
  }
  return trimWhole(items);
}

function isKind(it: JsonValue, kind: string): boolean {
  return typeof it === "object" && it !== null && !Array.isArray(it) && it.kind === kind;
}

/** Trailing whole dimensions say nothing: `x[:, :4]` and `x[:, :4, :, :]` are one piece. */
function trimWhole(items: string[]): string {
  let end = items.length;
  while (end > 0 && items[end - 1] === ":") end--;
  return items.slice(0, end).join(",");
}

/** CPython's PySlice_AdjustIndices: start, stop and step of a slice over a dimension of `len`. */
function sliceIndices(start: number | null, stop: number | null, step: number | null, len: number): [number, number, number] {
  const s = step ?? 1;
  const lower = s < 0 ? -1 : 0;
  const upper = s < 0 ? len - 1 : len;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const at = v < 0 ? v + len : v;
    return Math.min(Math.max(at, lower), upper);
  };
  return [clamp(start, s < 0 ? upper : lower), clamp(stop, s < 0 ? lower : upper), s];
}
