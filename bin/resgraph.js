#!/usr/bin/env node
const v8 = require("node:v8");
const path = require("node:path");
const { requireWithCodeCache } = require("./code-cache.js");

// `profile` lives in its own bundle so that TensorFlow.js only loads when profiling.
const profiling = process.argv[2] === "profile";

// A summary keeps nearly everything it allocates until it prints (the graph, the module tree), so each
// young-generation collection copies it all again; growing that space in one step instead of doubling
// saves several such copies (about 8 ms of a ResNet-152 summary). Only this short-lived process.
v8.setFlagsFromString("--semi-space-growth-factor=16");
if (!profiling) {
  // A summary is a short process, and on a small machine V8's optimising compiler works against it: it
  // compiles the interpreter's hottest functions in the background (30-90 ms each for some), competing
  // with the analysis for the CPU, and most compiles land too late to pay. Asking four times the usual
  // execution before optimising leaves them to code that runs long enough to gain: loops, very deep
  // models. Profiling keeps V8's defaults, under which its timings were measured.
  v8.setFlagsFromString("--interrupt-budget=270336");
}
// Flags are part of the code cache's key: each bundle's cache is written and read under the same ones.
requireWithCodeCache(path.join(__dirname, "..", "dist", profiling ? "cli-profile.js" : "cli.js"));
