// torch submodules model code touches only for markers: tracing (torch.fx.wrap), scripting
// (torch.jit), compiling (torch.compiler, torch._dynamo) and overrides. Their decorators hand back
// what they decorate and their queries answer "not tracing", so the decorated code runs as written.
// Other torch submodules (torch.backends, torch.special, ...) are namespaces whose functions are
// opaque, rather than opaque functions themselves.

import { type PyModule, type Value, FALSE, NONE, builtin, nativeClass } from "../../interp/values";
import { opaqueFunction } from "./functional";
import { MODULE_CLASS } from "./module";

/** A module of `entries` whose other public names are opaque functions named `qualified.name`. */
export function namespaceModule(qualified: string, entries: Record<string, Value> = {}): PyModule {
  const dict = new Map<string, Value>(Object.entries(entries));
  dict.set(
    "__getattr__",
    builtin(`${qualified}.__getattr__`, (args, _kw, ctx) => {
      const name = args[0]?.kind === "str" ? args[0].v : "?";
      if (name.startsWith("__")) ctx.raise("AttributeError", `module '${qualified}' has no attribute '${name}'.`);
      const f = opaqueFunction(`${qualified}.${name}`);
      return builtin(`${qualified}.${name}`, (a, k, c) => f(c, a, k));
    }),
  );
  return { kind: "module", name: qualified, dict };
}

/**
 * A decorator that returns what it decorates, also when first called with options only
 * (`@torch.jit.ignore(drop=True)`, `@torch.compiler.disable(recursive=False)`).
 */
function identityDecorator(qualified: string): Value {
  const identity = builtin(qualified, (args) => args[0] ?? NONE);
  return builtin(qualified, (args) => args[0] ?? identity);
}

const answersFalse = (qualified: string): Value => builtin(qualified, () => FALSE);

/**
 * torch.jit: script/trace/ignore/unused hand back the function or module they decorate. ScriptModule
 * (the base of TorchScript-era blocks, with `@torch.jit.script_method` forwards) is an nn.Module.
 */
export function jitModule(): PyModule {
  const scriptModule = nativeClass("ScriptModule", "torch.jit", [MODULE_CLASS], {});
  const recursive = nativeClass("RecursiveScriptModule", "torch.jit", [scriptModule], {});
  const entries: Record<string, Value> = { Final: NONE, ScriptModule: scriptModule, RecursiveScriptModule: recursive };
  for (const n of ["script", "trace", "ignore", "unused", "export", "script_method", "_overload_method", "_overload", "interface"]) {
    entries[n] = identityDecorator(`torch.jit.${n}`);
  }
  for (const n of ["is_scripting", "is_tracing"]) entries[n] = answersFalse(`torch.jit.${n}`);
  return namespaceModule("torch.jit", entries);
}

/** torch.fx: `wrap(fn)` marks fn as a leaf for symbolic tracing and returns its argument, a name too. */
export function fxModule(): PyModule {
  return namespaceModule("torch.fx", {
    wrap: builtin("torch.fx.wrap", (args) => args[0] ?? NONE),
    is_fx_tracing: answersFalse("torch.fx.is_fx_tracing"),
  });
}

/** torch.compiler: disable/assume_constant_result decorate as identity; nothing is compiling or exporting. */
export function compilerModule(): PyModule {
  return namespaceModule("torch.compiler", {
    disable: identityDecorator("torch.compiler.disable"),
    assume_constant_result: identityDecorator("torch.compiler.assume_constant_result"),
    allow_in_graph: identityDecorator("torch.compiler.allow_in_graph"),
    is_compiling: answersFalse("torch.compiler.is_compiling"),
    is_dynamo_compiling: answersFalse("torch.compiler.is_dynamo_compiling"),
    is_exporting: answersFalse("torch.compiler.is_exporting"),
  });
}

/** torch._dynamo: the older spelling of torch.compiler's markers. */
export function dynamoModule(): PyModule {
  return namespaceModule("torch._dynamo", {
    disable: identityDecorator("torch._dynamo.disable"),
    allow_in_graph: identityDecorator("torch._dynamo.allow_in_graph"),
    assume_constant_result: identityDecorator("torch._dynamo.assume_constant_result"),
    is_compiling: answersFalse("torch._dynamo.is_compiling"),
  });
}

/** torch.overrides: __torch_function__ dispatch never applies to the analyzer's tensors. */
export function overridesModule(): PyModule {
  return namespaceModule("torch.overrides", {
    has_torch_function: answersFalse("torch.overrides.has_torch_function"),
    has_torch_function_unary: answersFalse("torch.overrides.has_torch_function_unary"),
    has_torch_function_variadic: answersFalse("torch.overrides.has_torch_function_variadic"),
  });
}

/** Backend switches (`torch.backends.cudnn.benchmark = True`): namespaces a script sets flags on. */
export const BACKENDS = ["cudnn", "cuda", "mps", "mkldnn", "opt_einsum"];

export function backendsModule(): PyModule {
  return namespaceModule("torch.backends", Object.fromEntries(BACKENDS.map((b) => [b, namespaceModule(`torch.backends.${b}`)])));
}

/**
 * Submodules of the real torch package not modelled here: `torch.backends.cudnn.benchmark`,
 * `torch.special.erf(x)` reach a namespace, not an opaque function.
 */
export const OTHER_SUBMODULES = [
  "special", "fft", "sparse", "distributed", "distributions", "amp", "testing", "library", "profiler",
  "onnx", "quantization", "ao", "mps", "xpu", "func", "export", "multiprocessing", "masked", "nested",
  "signal", "package", "random", "futures", "monitor", "quasirandom", "types", "version", "_jit_internal",
  "_prims", "_refs", "_subclasses", "_functorch", "_inductor", "_higher_order_ops", "_utils", "_tensor", "_ops", "ops",
];
