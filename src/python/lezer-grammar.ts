// The one static import of @lezer/python, reached only through lezer.ts's require(): bundles then keep
// the grammar (and the @lezer/common it shares with incremental.ts) as one ES module copy, built late.
export { parser } from "@lezer/python";
