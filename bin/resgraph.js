#!/usr/bin/env node
// A summary keeps nearly everything it allocates until it prints (the graph, the module tree), so each
// young-generation collection copies it all again; growing that space in one step instead of doubling
// saves several such copies (about 8 ms of a ResNet-152 summary). Only this short-lived process.
require("node:v8").setFlagsFromString("--semi-space-growth-factor=16");
const path = require("node:path");
const { requireWithCodeCache } = require("./code-cache.js");

// `profile` lives in its own bundle so that TensorFlow.js only loads when profiling.
const bundle = process.argv[2] === "profile" ? "cli-profile.js" : "cli.js";
requireWithCodeCache(path.join(__dirname, "..", "dist", bundle));
