// Profiler behaviour on small models (cpu backend): unsupported nodes are listed with reasons and
// stand-ins, each timing method runs the passes it should, cancellation stops and frees everything,
// the memory check refuses, the kernel-profile path maps kernels to layers, and the CLI command
// prints the table or JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import { Cancelled, profileModel, ProfileError, type ProfileProgress } from "../../src/profile";
import { runProfileCommand } from "../../src/cli/profile-command";
import { analyze } from "../../src/analyze";
import { irOf } from "./helpers";

const SMALL = `
import torch
import torch.nn as nn

class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=2)
        self.dw = nn.Conv2d(8, 16, 3, padding=1, groups=8, bias=False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = self.up(x)
        x = self.dw(self.conv2(x))
        x = torch.flatten(self.pool(x), 1)
        return torch.softmax(self.fc(x), dim=1)
`;

const smallIr = () => irOf("small.py", "Small()", [[1, 3, 16, 16]], SMALL);

test("an unsupported node is skipped with its reason; a random stand-in keeps the rest running", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = smallIr();
  const r = await profileModel(tf, ir, { warmup: 1, runs: 2, peak: false });
  assert.deepEqual(r.skipped.map((s) => s.id), ["up"]);
  assert.match(r.skipped[0].reason, /^Upsample is not supported by the profiler yet\. Its output is replaced by a random \[1, 32, 32, 8\] tensor/);
  assert.deepEqual(r.nodes.map((n) => n.op), ["Conv2d", "relu", "Conv2d", "Conv2d", "AdaptiveAvgPool2d", "flatten", "Linear", "softmax"]);
  // conv1 3*8*9+8, grouped conv2 8*4*9+8, depthwise 16*9, fc 16*4+4
  assert.equal(r.weightCount, 224 + 296 + 144 + 68);
  assert.equal(r.weightCount, ir.paramTotals.params);
  assert.deepEqual(r.outputShapes, [[1, 4]]);
  assert.deepEqual(r.warnings, []);
});

test("synchronous in-pass timing runs one pass per timed run; read-back timing adds a clock-free whole pass per run", async () => {
  const { tf } = await loadBackend("cpu");
  // Counts forward passes by the model's last op (softmax runs once per pass).
  const counting = (calls: { n: number }) =>
    new Proxy(tf, {
      get(target, key) {
        const v = Reflect.get(target, key);
        return key === "softmax" ? (...args: unknown[]) => (calls.n++, (v as (...a: unknown[]) => unknown)(...args)) : v;
      },
    });
  const inPass = { n: 0 };
  const r = await profileModel(counting(inPass), smallIr(), { warmup: 2, runs: 3, peak: false });
  assert.equal(inPass.n, 1 + 1 + 3, "check pass + 1 more warm-up + 3 runs");
  assert.equal(r.method, "in-pass");
  assert.equal(r.nodes.find((n) => n.id === "softmax")!.runs, 3);
  const readBack = { n: 0 };
  await profileModel(counting(readBack), smallIr(), { warmup: 2, runs: 3, peak: false, method: "in-pass-readback" });
  assert.equal(readBack.n, 1 + 1 + 2 * 3, "check pass + 1 more warm-up + 3 x (whole pass + clocked pass)");
});

test("cancellation during the build or the timed passes stops at once and frees every tensor", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 32, 32]]);
  const before = tf.memory().numTensors;
  for (const phase of ["build", "check", "run"] as ProfileProgress["phase"][]) {
    const controller = new AbortController();
    const seen: ProfileProgress[] = [];
    await assert.rejects(
      profileModel(tf, ir, {
        warmup: 1,
        runs: 3,
        peak: false,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.phase === phase && p.completed === (phase === "run" ? 2 : 5)) controller.abort();
        },
      }),
      (e: unknown) => e instanceof Cancelled && e.name === "AbortError",
    );
    // Nothing after the abort: the last event is the one that aborted.
    assert.deepEqual(seen.at(-1)?.phase, phase);
    assert.equal(tf.memory().numTensors, before, `tensors leaked after cancelling in ${phase}`);
  }
});

test("the memory check refuses a model over the limit with a sentence, before allocating", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 224, 224]]);
  const before = tf.memory().numTensors;
  await assert.rejects(profileModel(tf, ir, { batch: 256, memoryLimitBytes: 1e9 }), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.equal(e.code, "memory");
    assert.equal(
      e.message,
      "ResNet needs about 2.6 GB at batch 256 (weights 46.8 MB + BN folded into convs 44.7 MB + activations 2.5 GB), above the memory limit of 1.0 GB; lower the batch or the input size, or raise the limit.",
    );
    return true;
  });
  assert.equal(tf.memory().numTensors, before);
});

test("kernel-profile timing (the webgl/webgpu path) maps tf.profile kernels to every layer", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = smallIr();
  const r = await profileModel(tf, ir, { warmup: 1, runs: 2, method: "kernel-profile", peak: false });
  assert.equal(r.method, "kernel-profile");
  assert.equal(r.nodes.length, 8);
  // Every layer launches at least one kernel, and the cpu backend times each one.
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
  assert.ok(r.wholeModel.medianMs > 0);
});

test("resgraph profile --json prints the result and the backend choice; bad options exit 2", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readFile: () => SMALL };
  const deps = { analyze, loadBackend: () => loadBackend("cpu"), profileOptions: { peak: false } };
  const code = await runProfileCommand(["profile", "small.py", "--entry", "Small()", "--input", "1,3,16,16", "--runs", "2", "--warmup", "1", "--json"], io, deps);
  assert.equal(code, 0, err.join(""));
  const json = JSON.parse(out.join(""));
  assert.equal(json.backend, "cpu");
  assert.equal(json.runs, 2);
  assert.equal(json.warmup, 1);
  assert.equal(json.nodes.length, 8);
  assert.deepEqual(Object.keys(json.wholeModel), ["medianMs", "p10Ms", "p90Ms"]);
  assert.equal(json.backendChoice.picked, "cpu");
  assert.deepEqual(json.skipped.map((s: { id: string }) => s.id), ["up"]);

  out.length = 0;
  assert.equal(await runProfileCommand(["profile", "small.py", "--entry", "Small()", "--input", "1,3,16,16", "--runs", "1", "--warmup", "0"], io, deps), 0);
  const table = out.join("");
  assert.match(table, /^Layer +Op +Median ms +p10 +p90 +% +GFLOP\/s$/m);
  assert.match(table, /^conv1 +Conv2d +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$/m);
  assert.match(table, /^Not profiled \(1\):$/m);

  err.length = 0;
  assert.equal(await runProfileCommand(["profile", "small.py", "--backend", "tpu"], io, deps), 2);
  assert.equal(err.join(""), `--backend must be one of wasm, cpu, node, node-gpu; got "tpu".\n`);
  err.length = 0;
  assert.equal(await runProfileCommand(["profile", "small.py", "--runs", "0"], io, deps), 2);
  assert.equal(err.join(""), "--runs needs a whole number of at least 1, e.g. --runs 2.\n");
});

test("the registry explains absent native backends and refuses a webview-only one", async () => {
  const { choice } = await loadBackend(undefined, { workspaceDir: "/nonexistent-dir" });
  const byName = Object.fromEntries(choice.probes.map((p) => [p.backend, p]));
  assert.equal(byName["node-gpu"].status, "absent");
  assert.match(byName["node-gpu"].reason, /^@tensorflow\/tfjs-node-gpu is not installed in \/nonexistent-dir; install it there/);
  assert.equal(byName["node"].status, "absent");
  assert.equal(choice.picked, "wasm");
  assert.equal(choice.method, "in-pass");
  assert.equal(byName["cpu"].status, "not-tried");
  await assert.rejects(loadBackend("webgl"), /^Error: The webgl backend cannot run here\. webgl: The webgl backend runs only in the webview/);
});

const CONV_BN = `
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(8 * 8 * 8, 2)

    def forward(self, x):
        return self.fc(self.relu(self.bn1(self.conv1(x))).flatten(1))
`;

test("resgraph profile lists fused BatchNorm and ReLU under their conv; --no-fuse times them alone", async () => {
  const out: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: () => undefined, readFile: () => CONV_BN };
  const deps = { analyze, loadBackend: () => loadBackend("cpu"), profileOptions: { peak: false } };
  const argv = ["profile", "net.py", "--entry", "Net()", "--input", "1,3,8,8", "--runs", "1", "--warmup", "0"];
  assert.equal(await runProfileCommand(argv, io, deps), 0);
  const fused = out.join("");
  assert.match(fused, /^conv1 +Conv2d +[0-9.]+ /m);
  assert.match(fused, /^ {2}bn1 +BatchNorm2d +in conv1$/m);
  assert.match(fused, /^ {2}relu +ReLU +in conv1$/m);
  assert.match(fused, /^Fused: 2 BatchNorm\/activation layers ran inside the conv above them/m);

  out.length = 0;
  assert.equal(await runProfileCommand([...argv, "--no-fuse"], io, deps), 0);
  const alone = out.join("");
  assert.match(alone, /^bn1 +BatchNorm2d +[0-9.]+ /m);
  assert.match(alone, /^relu +ReLU +[0-9.]+ /m);
  assert.doesNotMatch(alone, /^Fused:/m);
});
