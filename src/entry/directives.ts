// `# resgraph: input=1,3,32,32` and `# resgraph: entry=build_model()` comments in a model file.

export interface Directives {
  input?: number[][];
  entry?: string;
}

export function parseDirectives(text: string): Directives {
  const out: Directives = {};
  // Most files have none: one plain search is far cheaper than the line-anchored pattern.
  if (!text.includes("resgraph:")) return out;
  const re = /^[ \t]*#[ \t]*resgraph:[ \t]*(.*)$/gm;
  for (const m of text.matchAll(re)) {
    for (const part of m[1].split(/[ \t]+(?=\w+=)/)) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (key === "input") {
        const shapes = parseShapes(value);
        if (shapes) out.input = shapes;
      } else if (key === "entry" && value) out.entry = value;
    }
  }
  return out;
}

/** "1,3,224,224" or "1,3,224,224;1,10" (several inputs); undefined when malformed. */
export function parseShapes(text: string): number[][] | undefined {
  const shapes = text.split(";").map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/^[([]|[)\]]$/g, "").split(/[,x\u00d7]/).map((d) => d.trim()));
  if (!shapes.length) return undefined;
  const out: number[][] = [];
  for (const dims of shapes) {
    if (!dims.length || dims.some((d) => !/^\d+$/.test(d) || Number(d) <= 0)) return undefined;
    out.push(dims.map(Number));
  }
  return out;
}
