// The lezer Python parser, built on first use. Building it decodes the grammar's tables (about 10 ms
// in a cold process); a CLI run that finds its parse in the store never needs it. esbuild leaves a
// module reached only through require() unevaluated until that call, which an import would not:
// hence lezer-grammar.ts, required here and imported nowhere.

type GrammarModule = typeof import("./lezer-grammar");
type LRParser = GrammarModule["parser"];

let parser: LRParser | undefined;

export function pythonParser(): LRParser {
  return (parser ??= (require("./lezer-grammar") as GrammarModule).parser);
}
