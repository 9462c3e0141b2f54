// Cheap text checks made before any analysis: which framework a file uses (to pick the per-framework
// input-shape setting) and whether it defines the configured default entry. Pure.

/** The framework a file most likely uses, before any analysis (for the per-framework input setting). */
export function guessFramework(text: string): "pytorch" | "keras" | null {
  if (/^\s*(?:import|from)\s+torch\b/m.test(text)) return "pytorch";
  if (/^\s*(?:import|from)\s+(?:keras|tensorflow)\b/m.test(text)) return "keras";
  return null;
}

/** True when the file defines the entry's name: `resnet50()` -> `def resnet50`, `class resnet50`, `resnet50 =`. */
export function defines(text: string, entry: string): boolean {
  const name = /^[A-Za-z_]\w*/.exec(entry.trim())?.[0];
  if (!name) return false;
  return new RegExp(`^(?:def|class)\\s+${name}\\b|^${name}\\s*(?::[^=]*)?=`, "m").test(text);
}
