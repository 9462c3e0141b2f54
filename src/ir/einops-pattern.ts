// einops patterns ('b c (h p1) (w p2) -> b (h w) (p1 p2 c)') solved for shapes: which size each
// axis has given the input's shape and the sizes passed by name, and the output shape that follows.
// Pure: errors come back as sentences, for the caller to raise at the user's line.

import type { Shape } from "./types";

/** One axis of a pattern: a name, a literal size (`1`, `3`), or `...`. */
type Axis = { name: string } | { size: number } | { ellipsis: true };
/**
 * A top-level position: one axis, or a parenthesised composition of axes (`(h w)`, `()`, `(...)`).
 * `composed` keeps the parentheses: `...` stands for all the dimensions it covers, `(...)` for one
 * dimension of their product.
 */
interface Group {
  axes: Axis[];
  composed: boolean;
}

export type EinopsKind = "rearrange" | "repeat" | "reduce";

export function parseSide(side: string): Group[] | string {
  const groups: Group[] = [];
  let open: Group | undefined;
  const seen = new Set<string>();
  // "…" is written \u2026 so that the CLI bundle stays ASCII (see bin/code-cache.js).
  const tokens = side.match(/\.\.\.|\u2026|[A-Za-z_][A-Za-z0-9_]*|\d+|[()]|\S/g) ?? [];
  for (const tok of tokens) {
    if (tok === "(") {
      if (open) return "nested parentheses are not allowed";
      open = { axes: [], composed: true };
    } else if (tok === ")") {
      if (!open) return "a ')' has no '('";
      groups.push(open);
      open = undefined;
    } else {
      const axis: Axis | undefined =
        tok === "..." || tok === "\u2026" ? { ellipsis: true } : /^\d+$/.test(tok) ? { size: Number(tok) } : /^[A-Za-z_]/.test(tok) ? { name: tok } : undefined;
      if (!axis) return `'${tok}' is not an axis name`;
      // einops names each axis once per side (its ParsedExpression), the ellipsis included.
      const key = "name" in axis ? axis.name : "ellipsis" in axis ? "..." : undefined;
      if (key !== undefined) {
        if (seen.has(key)) return `'${key}' appears twice on one side`;
        seen.add(key);
      }
      if (open) open.axes.push(axis);
      else groups.push({ axes: [axis], composed: false });
    }
  }
  return open ? "a '(' is not closed" : groups;
}

const names = (groups: Group[]) => groups.flatMap((g) => g.axes.flatMap((a) => ("name" in a ? [a.name] : [])));
const hasEllipsis = (g: Group) => g.axes.some((a) => "ellipsis" in a);
const numberAxes = (groups: Group[]) => groups.flatMap((g) => g.axes.flatMap((a) => ("size" in a && a.size !== 1 ? [a.size] : [])));

/**
 * The output shape of `kind` with `pattern` on an input of `shape`; `given` holds the axis sizes
 * passed by name (`h=8`). A string is the reason the pattern does not apply.
 */
export function einopsShape(kind: EinopsKind, pattern: string, shape: Shape, given: ReadonlyMap<string, number>): Shape | string {
  const s = solve(kind, pattern, shape, given);
  return typeof s === "string" ? s : s.shape;
}

interface Solved {
  left: Group[];
  right: Group[];
  sizes: Map<string, number | null>;
  ellipsisDims: Shape;
  shape: Shape;
}

/** What einops itself rejects in a pattern before looking at a tensor (_prepare_transformation_recipe). */
function patternProblem(kind: EinopsKind, pattern: string, left: Group[], right: Group[], given: ReadonlyMap<string, number>): string | undefined {
  const leftEllipsis = left.find(hasEllipsis);
  const rightEllipsis = right.some(hasEllipsis);
  if (rightEllipsis && !leftEllipsis) return `'...' is on the right of '${pattern}' but not on the left`;
  if (leftEllipsis?.composed) return `'...' inside parentheses is allowed on the right only, not on the left of '${pattern}'`;
  if (kind === "rearrange") {
    const numbers = [...numberAxes(left), ...numberAxes(right)];
    if (numbers.length) return `rearrange takes no number axes other than 1, got ${numbers.map((n) => `'${n}'`).join(", ")} in '${pattern}'`;
  }
  if (leftEllipsis && !rightEllipsis && kind === "rearrange") return `rearrange keeps every axis: '...' is only on the left of '${pattern}'`;
  if (leftEllipsis && !rightEllipsis && kind === "repeat") return `repeat keeps every axis of the input: '...' is missing on the right of '${pattern}'`;
  const used = new Set([...names(left), ...names(right)]);
  const unused = [...given.keys()].filter((n) => !used.has(n));
  if (unused.length) return `${unused.map((n) => `'${n}'`).join(", ")} ${unused.length === 1 ? "is" : "are"} given by name but not used in '${pattern}'`;
  return undefined;
}

function solve(kind: EinopsKind, pattern: string, shape: Shape, given: ReadonlyMap<string, number>): Solved | string {
  const arrow = pattern.split("->");
  if (arrow.length !== 2) return `the pattern '${pattern}' needs exactly one '->'`;
  const left = parseSide(arrow[0]);
  const right = parseSide(arrow[1]);
  if (typeof left === "string") return `${left} in '${pattern}'`;
  if (typeof right === "string") return `${right} in '${pattern}'`;
  const problem = patternProblem(kind, pattern.trim(), left, right, given);
  if (problem) return problem;
  const sizes = new Map<string, number | null>(given);
  let ellipsisDims: Shape = [];

  // Left: each group takes one input dimension (the ellipsis all the rest); one unknown axis each.
  const ellipsisAt = left.findIndex(hasEllipsis);
  const fixed = left.length - (ellipsisAt >= 0 ? 1 : 0);
  if (ellipsisAt < 0 ? shape.length !== left.length : shape.length < fixed) {
    return `'${arrow[0].trim()}' describes ${ellipsisAt < 0 ? "" : "at least "}${fixed} dimensions, but the input has ${shape.length} (${formatDims(shape)})`;
  }
  let dim = 0;
  for (const [g, group] of left.entries()) {
    if (g === ellipsisAt) {
      ellipsisDims = shape.slice(dim, dim + shape.length - fixed);
      dim += ellipsisDims.length;
      continue;
    }
    const d = shape[dim++];
    let product = 1;
    const unknownAxes: string[] = [];
    for (const a of group.axes) {
      if ("size" in a) product *= a.size;
      else if ("name" in a) {
        const s = sizes.get(a.name);
        if (s === undefined) unknownAxes.push(a.name);
        else if (s === null) product = NaN;
        else product *= s;
      }
    }
    if (unknownAxes.length > 1) return `the sizes of ${unknownAxes.map((n) => `'${n}'`).join(" and ")} cannot both be inferred from one dimension; pass one of them (e.g. ${unknownAxes[0]}=...)`;
    if (d === null || Number.isNaN(product)) {
      for (const n of unknownAxes) sizes.set(n, null);
      continue;
    }
    if (unknownAxes.length === 1) {
      if (product === 0 || d % product !== 0) return `dimension ${dim - 1} of size ${d} cannot be split into ${describe(group)} with ${product} left for '${unknownAxes[0]}'`;
      sizes.set(unknownAxes[0], d / product);
    } else if (product !== d) {
      return `dimension ${dim - 1} has size ${d}, but ${describe(group)} makes ${product}`;
    }
  }

  // Right: what the kind allows, then each group's size as the product of its axes.
  const leftNames = new Set(names(left));
  const rightNames = names(right);
  const missing = [...leftNames].filter((n) => !rightNames.includes(n));
  const added = rightNames.filter((n) => !leftNames.has(n));
  if (kind === "rearrange" && (missing.length || added.length)) {
    return `rearrange keeps every axis: ${[...missing.map((n) => `'${n}' is only on the left`), ...added.map((n) => `'${n}' is only on the right`)].join(", ")}`;
  }
  if (kind === "reduce" && added.length) return `reduce cannot make new axes (${added.map((n) => `'${n}'`).join(", ")})`;
  if (kind === "repeat" && missing.length) return `repeat keeps every axis of the input (${missing.map((n) => `'${n}'`).join(", ")} is missing on the right)`;
  for (const n of added) if (!sizes.has(n)) return `the size of the new axis '${n}' is not given (pass ${n}=...)`;

  const ellipsisProduct = ellipsisDims.reduce<number | null>((p, e) => (p === null || e === null ? null : p * e), 1);
  const out: Shape = [];
  for (const group of right) {
    if (!group.composed && hasEllipsis(group)) {
      out.push(...ellipsisDims);
      continue;
    }
    let product: number | null = 1;
    for (const a of group.axes) {
      const s = "size" in a ? a.size : "name" in a ? sizes.get(a.name) ?? null : ellipsisProduct;
      product = product === null || s === null ? null : product * s;
    }
    out.push(product);
  }
  return { left, right, sizes, ellipsisDims, shape: out };
}

/**
 * How to compute an einops operation with reshape, reduce, transpose and broadcast, for an input
 * whose dimensions are all known (the profiler's): the input split into its elementary axes
 * (`inAxes`), the axes reduced away, the order the kept ones take (`perm`, over the kept axes in
 * input order), the elementary axes of the result with new axes (repeat) of size 1 (`beforeRepeat`)
 * and at full size (`outAxes`), and the output shape.
 */
export interface EinopsPlan {
  inAxes: number[];
  reduceAxes: number[];
  keptAxes: number[];
  perm: number[];
  beforeRepeat: number[];
  outAxes: number[];
  shape: number[];
}

export function einopsPlan(kind: EinopsKind, pattern: string, shape: number[], given: ReadonlyMap<string, number>): EinopsPlan | string {
  const s = solve(kind, pattern, shape, given);
  if (typeof s === "string") return s;
  const keysOf = (groups: Group[], side: string) =>
    groups.flatMap((g, gi) =>
      g.axes.flatMap((a, ai) => {
        if ("ellipsis" in a) return s.ellipsisDims.map((d, j) => ({ key: `...${j}`, size: d as number }));
        if ("name" in a) return [{ key: a.name, size: s.sizes.get(a.name) as number }];
        return [{ key: `${side}${gi}.${ai}`, size: a.size }];
      }),
    );
  const inKeys = keysOf(s.left, "<");
  const outKeys = keysOf(s.right, ">");
  const onRight = new Set(outKeys.map((k) => k.key));
  const kept = inKeys.filter((k) => onRight.has(k.key));
  const keptIndex = new Map(kept.map((k, i) => [k.key, i]));
  return {
    inAxes: inKeys.map((k) => k.size),
    reduceAxes: inKeys.flatMap((k, i) => (onRight.has(k.key) || k.size === 1 ? [] : [i])),
    keptAxes: kept.map((k) => k.size),
    perm: outKeys.flatMap((k) => (keptIndex.has(k.key) ? [keptIndex.get(k.key)!] : [])),
    beforeRepeat: outKeys.map((k) => (keptIndex.has(k.key) ? k.size : 1)),
    outAxes: outKeys.map((k) => k.size),
    shape: s.shape as number[],
  };
}

function describe(group: Group): string {
  const text = group.axes.map((a) => ("name" in a ? a.name : "size" in a ? String(a.size) : "...")).join(" ");
  return group.composed ? `'(${text})'` : `'${text}'`;
}

const formatDims = (shape: Shape) => `[${shape.map((d) => (d === null ? "?" : d)).join(", ")}]`;

/** torch.einsum's output shape and multiply-accumulates ('bhid,bhjd->bhij'). */
export function einsumShape(equation: string, shapes: Shape[]): { shape: Shape; macs: number } | string {
  const eq = equation.replace(/\s+/g, "");
  const [lhs, rhs] = eq.split("->");
  const inputs = lhs.split(",");
  if (inputs.length !== shapes.length) return `'${equation}' names ${inputs.length} operands, got ${shapes.length}`;
  const sizes = new Map<string, number | null>();
  let ellipsis: Shape = [];
  for (const [k, spec] of inputs.entries()) {
    const shape = shapes[k];
    const [before, after] = spec.includes("...") ? spec.split("...") : [spec, undefined];
    const named = before.length + (after?.length ?? 0);
    if (after === undefined ? shape.length !== named : shape.length < named) {
      return `operand ${k} ('${spec}') needs ${after === undefined ? "" : "at least "}${named} dimensions, got ${shape.length}`;
    }
    const letters = [...before, ...(after ?? "")];
    const dims = [...shape.slice(0, before.length), ...(after === undefined ? [] : shape.slice(shape.length - after.length))];
    if (after !== undefined) {
      const middle = shape.slice(before.length, shape.length - after.length);
      if (middle.length > ellipsis.length) ellipsis = middle;
    }
    for (const [i, c] of letters.entries()) {
      const d = dims[i];
      const s = sizes.get(c);
      if (s !== undefined && s !== null && d !== null && s !== d && s !== 1 && d !== 1) {
        return `index '${c}' has size ${s} in one operand and ${d} in operand ${k}`;
      }
      sizes.set(c, s === undefined || s === 1 || s === null ? d : s);
    }
  }
  const all = [...sizes.keys()];
  const outLetters = rhs !== undefined ? [...rhs.replace("...", "")] : all.filter((c) => inputs.join("").split(c).length === 2).sort();
  for (const c of outLetters) if (!sizes.has(c)) return `output index '${c}' appears in no operand`;
  const outShape: Shape = rhs !== undefined && rhs.includes("...")
    ? [...[...rhs.slice(0, rhs.indexOf("..."))].map((c) => sizes.get(c) ?? null), ...ellipsis, ...[...rhs.slice(rhs.indexOf("...") + 3)].map((c) => sizes.get(c) ?? null)]
    : [...(rhs === undefined ? ellipsis : []), ...outLetters.map((c) => sizes.get(c) ?? null)];
  // Two or more operands: every combination of index values is one multiply-accumulate, as matmul.
  let macs = 0;
  if (shapes.length >= 2) {
    const dims = [...all.map((c) => sizes.get(c) ?? null), ...ellipsis];
    macs = dims.every((d) => d !== null) ? (dims as number[]).reduce((p, d) => p * d, 1) : 0;
  }
  return { shape: outShape, macs };
}
