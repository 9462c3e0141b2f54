// Keys of local edges between layout items. U+0001 never occurs in node or group ids, unlike "->"
// or "/", so a key always splits back into its two ends.

export function edgeKey(from: string, to: string): string {
  return `${from}\u0001${to}`;
}

export function splitEdgeKey(key: string): [string, string] {
  const at = key.indexOf("\u0001");
  return [key.slice(0, at), key.slice(at + 1)];
}
