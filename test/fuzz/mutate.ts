// Seeded source mutations for fuzzing the analyzer: truncations, deletions, duplications, token swaps.

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ["(", ")", "[", "]", ":", ",", "=", "+", "*", "**", "self", "x", "0", "-1", "None", "while True:", "return", "def f(", "class C(", "lambda", "yield", "import", "\n", "\n    ", "'", '"', "#", "\\", "super()", "nn.Conv2d(", "for i in range(10**9):", "f(f(f(", "x = x + x", "256", "in_planes", "stride=2"];

export function mutate(src: string, r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const at = Math.floor(r() * (src.length + 1));
  switch (Math.floor(r() * 7)) {
    case 0: // truncate (half-typed file)
      return src.slice(0, at);
    case 1: {
      const len = 1 + Math.floor(r() * 40);
      return src.slice(0, at) + src.slice(at + len);
    }
    case 2:
      return src.slice(0, at) + pick(TOKENS) + src.slice(at);
    case 3: {
      const lines = src.split("\n");
      const i = Math.floor(r() * lines.length);
      const j = Math.floor(r() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join("\n");
    }
    case 4: {
      const lines = src.split("\n");
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[Math.floor(r() * lines.length)]);
      return lines.join("\n");
    }
    case 5: // change a number
      return src.replace(/\d+/g, (m) => (r() < 0.15 ? String(Math.floor(r() * 600)) : m));
    default: {
      const lines = src.split("\n");
      const i = Math.floor(r() * lines.length);
      lines[i] = lines[i].replace(/^\s+/, r() < 0.5 ? "" : "        ");
      return lines.join("\n");
    }
  }
}
