#!/usr/bin/env node
// `profile` lives in its own bundle so that TensorFlow.js only loads when profiling.
const path = require("node:path");
const { requireWithCodeCache } = require("./code-cache.js");

const bundle = process.argv[2] === "profile" ? "cli-profile.js" : "cli.js";
requireWithCodeCache(path.join(__dirname, "..", "dist", bundle));
