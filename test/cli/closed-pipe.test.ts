// `resgraph summary ... --json | head`: a reader that closes the pipe early ends the CLI quietly, exit 0.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { endQuietlyOnClosedPipe } from "../../src/cli/closed-pipe";

test("EPIPE on the stream ends the process with 0; another write error is still thrown", () => {
  const stream = new EventEmitter() as unknown as NodeJS.WriteStream;
  const exits: number[] = [];
  endQuietlyOnClosedPipe(stream, (code) => exits.push(code));
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  assert.deepEqual(exits, [0]);
  assert.throws(() => stream.emit("error", Object.assign(new Error("write ENOSPC"), { code: "ENOSPC" })), /ENOSPC/);
});

test("the built CLI piped into `head -c 100` (ViT-Tiny's JSON is 180 kB, more than a pipe holds) exits 0 without a stack trace", { skip: !existsSync("dist/cli.js") && "run npm run build first" }, () => {
  const r = spawnSync("bash", ["-o", "pipefail", "-c", "node bin/resgraph.js summary test/fixtures/torch_vit_tiny.py --json | head -c 100 > /dev/null"], {
    encoding: "utf8",
    env: { ...process.env, RESGRAPH_NO_CACHE: "1" },
  });
  assert.equal(r.stderr.includes("EPIPE"), false, r.stderr);
  assert.equal(r.status, 0);
});
