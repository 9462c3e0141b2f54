// Bundles the entry points with esbuild: the VS Code host, the webview UI (with its layout worker
// inside it as text), the webview profiler, the CLI and its siblings.
// Usage: node scripts/build.mjs [--watch]
// The CLI entry is written by another engineer; until it exists we skip it with a warning
// so the rest of the build (and `npm test`) keeps working.
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { writeZoo } from "./gen-zoo.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const watch = process.argv.includes("--watch");

// The bundled Python model zoo (src/frameworks/zoo/python) is compiled into a TypeScript module first.
writeZoo();

/** Options shared by every bundle. */
const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  logLevel: "warning",
  legalComments: "none",
};

/**
 * The layout Web Worker (webview/layout-worker.ts), bundled on its own and handed to the webview
 * bundle as the text of the module "resgraph:layout-worker": the page starts it from a blob: URL, so
 * dist/webview.js stays the one file a report inlines and a panel loads. Rebuilt with the webview
 * bundle, and watched through its own inputs, so page and worker always run the same layout code.
 * @type {import("esbuild").Plugin}
 */
const layoutWorkerSource = {
  name: "layout-worker-source",
  setup(build) {
    build.onResolve({ filter: /^resgraph:layout-worker$/ }, (args) => ({ path: args.path, namespace: "resgraph-worker" }));
    build.onLoad({ filter: /.*/, namespace: "resgraph-worker" }, async () => {
      const r = await esbuild.build({
        ...common,
        entryPoints: ["webview/layout-worker.ts"],
        write: false,
        sourcemap: false,
        metafile: true,
        platform: "browser",
        format: "iife",
        target: "es2022",
        minify: true,
      });
      return { contents: r.outputFiles[0].text, loader: "text", watchFiles: Object.keys(r.metafile.inputs).map((f) => join(root, f)) };
    });
  },
};

/** @type {{ name: string, entry: string, options: import("esbuild").BuildOptions }[]} */
const targets = [
  {
    name: "extension",
    entry: "extension/main.ts",
    options: {
      outfile: "dist/extension.js",
      platform: "node",
      format: "cjs",
      target: "node20",
      // Provided by VS Code at runtime; never bundled.
      external: ["vscode"],
    },
  },
  {
    name: "webview",
    entry: "webview/main.ts",
    options: {
      outfile: "dist/webview.js",
      platform: "browser",
      format: "iife",
      target: "es2022",
      plugins: [layoutWorkerSource],
    },
  },
  {
    // TensorFlow.js and its browser backends for profiling in the webview (~1.3 MB minified): kept
    // out of webview.js and loaded only when a profile is asked for (webview/profiler-loader.ts).
    name: "webview-profiler",
    entry: "webview/profile-runner.ts",
    options: {
      outfile: "dist/webview-profiler.js",
      platform: "browser",
      format: "iife",
      target: "es2022",
      minify: true,
    },
  },
  {
    name: "cli",
    entry: "src/cli/main.ts",
    options: {
      outfile: "dist/cli.js",
      platform: "node",
      format: "cjs",
      target: "node20",
      // The model-file loaders are a sibling bundle, loaded only for model files.
      external: ["./model-files.js"],
      // Without comments and indentation the bundle is a fifth smaller and pure ASCII, which
      // bin/code-cache.js reads without UTF-8 decoding: both shorten every cold start.
      minifyWhitespace: true,
    },
  },
  {
    name: "model-files",
    entry: "src/cli/model-files.ts",
    options: {
      outfile: "dist/model-files.js",
      platform: "node",
      format: "cjs",
      target: "node20",
    },
  },
  {
    // `resgraph profile`: a separate bundle so tfjs never loads for `summary` / `report`.
    name: "cli-profile",
    entry: "backends/cli-profile.ts",
    options: {
      outfile: "dist/cli-profile.js",
      platform: "node",
      format: "cjs",
      target: "node20",
      // Native backends are found where the user installed them, never bundled.
      external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
    },
  },
];

const started = performance.now();
const contexts = [];
let failed = false;
for (const t of targets) {
  if (!existsSync(join(root, t.entry))) {
    console.warn(`build: skipping ${t.name}: ${t.entry} does not exist yet.`);
    continue;
  }
  const options = { ...common, ...t.options, entryPoints: [t.entry] };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    contexts.push(ctx);
    continue;
  }
  try {
    await esbuild.build(options);
  } catch {
    // esbuild has already printed the errors; keep building the others so every problem shows at once.
    console.error(`build: ${t.name} (${t.entry}) failed.`);
    failed = true;
  }
}

if (watch) {
  console.log(`build: watching ${contexts.length} bundle(s); press Ctrl+C to stop.`);
} else {
  const ms = Math.round(performance.now() - started);
  console.log(`build: ${failed ? "FAILED" : "done"} in ${ms} ms.`);
  if (failed) process.exit(1);
}
