// Module scope paths ("layer1/0/conv1"): common prefixes and display labels.

import type { IRNode } from "../ir/types";

export function scopeSegments(scope: string): string[] {
  return scope === "" ? [] : scope.split("/").filter((s) => s !== "");
}

/**
 * Longest common prefix, segment-wise: ["layer1/0/conv1", "layer1/0"] -> "layer1/0". Compares
 * characters instead of splitting, because it runs once per residual block over all its members.
 */
export function commonScope(scopes: string[]): string {
  if (scopes.length === 0) return "";
  let prefix = scopes[0];
  for (let i = 1; i < scopes.length && prefix !== ""; i++) {
    const s = scopes[i];
    if (s === prefix || (s.startsWith(prefix) && s.charCodeAt(prefix.length) === SLASH)) continue;
    const limit = Math.min(prefix.length, s.length);
    let k = 0;
    while (k < limit && prefix.charCodeAt(k) === s.charCodeAt(k)) k++;
    if (k === s.length && prefix.charCodeAt(k) === SLASH) prefix = s; // s is an enclosing scope
    else {
      const cut = k > 0 ? prefix.lastIndexOf("/", k - 1) : -1;
      prefix = cut > 0 ? prefix.slice(0, cut) : "";
    }
  }
  return prefix;
}

const SLASH = 47;

/**
 * What a person calls the node: its scope path, with the node's name appended when the scope does
 * not already end with it (an `add` inside `layer1/0` reads "layer1/0/add").
 */
export function nodeLabel(n: Pick<IRNode, "scope" | "name">): string {
  const segs = scopeSegments(n.scope);
  if (segs.length === 0) return n.name;
  if (n.name === "" || segs[segs.length - 1] === n.name) return segs.join("/");
  return [...segs, n.name].join("/");
}
