// The layout worker's bundled code as text, provided at build time by scripts/build.mjs.
declare module "resgraph:layout-worker" {
  const source: string;
  export default source;
}
