// Node -> source for saved model files (pure, no vscode): a TF.js model.json is text, so its layer
// entry can be selected; .keras (a zip), .h5 and .onnx are binary, so the host shows where the node
// sits in the file instead. And the Python that may have built the layer: a class or an assignment
// whose name is the node's layer name or class, found by a bounded text search.

import type { IRNode } from "../../src/ir/types";
import type { Range } from "../../src/python/source";

export type ModelSourceTarget =
  | { kind: "json"; range: Range }
  | { kind: "message"; text: string };

/** True for a TF.js `model.json` (the only model file that is plain text we can open). */
export function isJsonModelFile(path: string): boolean {
  return /(^|[\\/])model\.json$/i.test(path);
}

/** Where a model file's node should take the user: the JSON entry, or a sentence naming its place. */
export function modelSourceTarget(node: IRNode, path: string): ModelSourceTarget {
  const fileName = path.split(/[\\/]/).pop() ?? path;
  if (isJsonModelFile(path) && node.created) return { kind: "json", range: node.created.range };
  const configPath = node.attrs.configPath;
  const onnxIndex = node.attrs.onnxNodeIndex;
  const label = `${node.name} (${node.op})`;
  if (typeof configPath === "string") return { kind: "message", text: `${label} is the layer at ${configPath} in the config of ${fileName}.` };
  if (typeof onnxIndex === "number") return { kind: "message", text: `${label} is node #${onnxIndex} of the graph in ${fileName}.` };
  return { kind: "message", text: `${label} comes from ${fileName}, which has no source text to open.` };
}

/** The names a Python definition of this node's layer may use: its layer name and its class, deduplicated. */
export function layerNamesOf(node: IRNode): string[] {
  const names = [node.name, node.op].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
  return [...new Set(names)];
}

export interface PythonDefinition {
  name: string;
  /** 0-based line. */
  line: number;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The first line of `text` that defines one of `names`: `class Name`, `name = ...` (also
 * `self.name = ...`), or a Keras `name="name"` argument. Classes win over assignments.
 */
export function findPythonDefinition(text: string, names: string[]): PythonDefinition | undefined {
  if (names.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  const patterns: [RegExp, string][] = [];
  for (const name of names) {
    const n = escape(name);
    patterns.push([new RegExp(`^\\s*class\\s+${n}\\b`), name]);
  }
  for (const name of names) {
    const n = escape(name);
    patterns.push([new RegExp(`^\\s*(?:self\\.)?${n}\\s*(?::[^=]*)?=(?!=)`), name]);
    patterns.push([new RegExp(`\\bname\\s*=\\s*["']${n}["']`), name]);
  }
  for (const [re, name] of patterns) {
    const line = lines.findIndex((l) => re.test(l));
    if (line >= 0) return { name, line };
  }
  return undefined;
}
