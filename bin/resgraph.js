#!/usr/bin/env node
// `profile` lives in its own bundle so that TensorFlow.js only loads when profiling.
require(process.argv[2] === "profile" ? "../dist/cli-profile.js" : "../dist/cli.js");
