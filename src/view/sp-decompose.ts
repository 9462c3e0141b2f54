// Series-parallel decomposition of a DAG with one virtual source and sink, in topological order.
//
// Between a source s and sink t, a node every s-t path passes through is a cut; in a topological
// order that is exactly a node no edge jumps over, so one sweep finds them all. Consecutive cuts
// bound a segment: its interior splits into weakly connected components (the parallel branches),
// plus an "empty branch" when the two cuts are also joined directly (an identity shortcut). A
// segment whose interior is one component without a direct edge is not series-parallel (a bridge,
// a DenseNet block): it becomes a `layered` region for the general layout. Each node is visited once
// per nesting level, so a chain of thousands of blocks is linear.

export type SPTree =
  | { kind: "item"; item: number }
  | { kind: "series"; parts: SPTree[] }
  | { kind: "parallel"; entry: number; exit: number; branches: SPTree[]; direct: boolean }
  | { kind: "layered"; items: number[]; entry: number; exit: number };

/** Entry/exit of the whole graph (not real items). */
export const SOURCE = -1;
export const SINK = -2;

/**
 * `succ[i]`: successors of item i (0..count-1), with i < j for every edge i -> j (topological
 * numbering). Items without predecessors hang off the virtual source, items without successors
 * feed the virtual sink; `fromSource` / `toSink` add those edges for other items too (an input that
 * enters a group from outside, like the identity shortcut into a block's merge).
 */
export function decomposeSP(
  count: number,
  succ: readonly (readonly number[])[],
  fromSource?: ArrayLike<number>,
  toSink?: ArrayLike<number>,
): SPTree {
  // Internal numbering: source 0, item i -> i + 1, sink count + 1.
  const n = count + 2;
  const out: number[][] = Array.from({ length: n }, () => []);
  const hasPred = new Uint8Array(n);
  for (let i = 0; i < count; i++) {
    for (const j of succ[i]) {
      if (j <= i || j >= count) continue; // not topological: ignored (callers guarantee it)
      if (!out[i + 1].includes(j + 1)) out[i + 1].push(j + 1);
      hasPred[j + 1] = 1;
    }
  }
  for (let i = 1; i <= count; i++) {
    if (!hasPred[i] || fromSource?.[i - 1]) out[0].push(i);
    if (out[i].length === 0 || toSink?.[i - 1]) out[i].push(n - 1);
  }
  const mark = new Int32Array(n);
  const seg = new Int32Array(n);
  const parent = new Int32Array(n);
  let stamp = 0;
  let segStamp = 0;
  const toItem = (v: number): number => (v === 0 ? SOURCE : v === n - 1 ? SINK : v - 1);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  };

  const solve = (s: number, t: number, members: number[]): SPTree => {
    if (members.length === 1) return { kind: "item", item: members[0] - 1 };
    stamp++;
    mark[s] = mark[t] = stamp;
    for (const v of members) mark[v] = stamp;
    const cuts: number[] = [];
    let reach = s;
    for (const w of out[s]) if (mark[w] === stamp && w !== t && w > reach) reach = w;
    for (const v of members) {
      if (reach <= v) cuts.push(v);
      for (const w of out[v]) if (mark[w] === stamp && w > reach) reach = w;
    }

    // Segments between consecutive cuts; their interiors and components, before any recursion
    // (the recursion reuses `mark`).
    const bounds = [s, ...cuts, t];
    const segments: { a: number; b: number; comps: number[][]; direct: boolean }[] = [];
    let k = 0;
    for (let bi = 0; bi + 1 < bounds.length; bi++) {
      const a = bounds[bi];
      const b = bounds[bi + 1];
      const interior: number[] = [];
      while (k < members.length && members[k] < b) {
        if (members[k] > a) interior.push(members[k]);
        k++;
      }
      if (k < members.length && members[k] === b) k++;
      const direct = out[a].includes(b) && !(a === s && b === t);
      if (interior.length === 0) {
        segments.push({ a, b, comps: [], direct });
        continue;
      }
      segStamp++;
      for (const v of interior) {
        seg[v] = segStamp;
        parent[v] = v;
      }
      for (const v of interior) {
        for (const w of out[v]) {
          if (seg[w] !== segStamp) continue;
          const rv = find(v);
          const rw = find(w);
          if (rv !== rw) parent[Math.max(rv, rw)] = Math.min(rv, rw);
        }
      }
      const byRoot = new Map<number, number[]>();
      const comps: number[][] = [];
      for (const v of interior) {
        const r = find(v);
        let c = byRoot.get(r);
        if (!c) {
          c = [];
          byRoot.set(r, c);
          comps.push(c);
        }
        c.push(v);
      }
      segments.push({ a, b, comps, direct });
    }

    const parts: SPTree[] = [];
    segments.forEach((sg, i) => {
      if (sg.comps.length === 1 && !sg.direct) {
        parts.push({ kind: "layered", items: sg.comps[0].map((v) => v - 1), entry: toItem(sg.a), exit: toItem(sg.b) });
      } else if (sg.comps.length > 0) {
        parts.push({
          kind: "parallel",
          entry: toItem(sg.a),
          exit: toItem(sg.b),
          branches: sg.comps.map((c) => solve(sg.a, sg.b, c)),
          direct: sg.direct,
        });
      }
      if (i + 1 < segments.length) parts.push({ kind: "item", item: sg.b - 1 });
    });
    return parts.length === 1 ? parts[0] : { kind: "series", parts };
  };

  const all: number[] = [];
  for (let i = 1; i <= count; i++) all.push(i);
  if (count === 0) return { kind: "series", parts: [] };
  return solve(0, n - 1, all);
}

/** True when no part of the tree needed the general layout. */
export function isSeriesParallel(tree: SPTree): boolean {
  switch (tree.kind) {
    case "item":
      return true;
    case "layered":
      return false;
    case "series":
      return tree.parts.every(isSeriesParallel);
    case "parallel":
      return tree.branches.every(isSeriesParallel);
  }
}
