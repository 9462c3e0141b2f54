// `inspect` as model helpers use it: signature(fn).parameters with each parameter's name, kind and
// default (torchvision's keyword-only shims read them), plus the is* predicates.

import { type PyClass, type PyFunction, type PyModule, type Value, type NativeContext, OBJECT_CLASS, bool, builtin, dict, int, nativeClass, str, unknown } from "./values";

const KINDS = { posonly: 0, normal: 1, vararg: 2, kwonly: 3, kwarg: 4 } as const;

let parameterClass: PyClass | undefined;
let emptyClass: PyClass | undefined;
let signatureClass: PyClass | undefined;

function classes(): { Parameter: PyClass; empty: PyClass; Signature: PyClass } {
  emptyClass ??= nativeClass("_empty", "inspect", [OBJECT_CLASS], {});
  parameterClass ??= nativeClass("Parameter", "inspect", [OBJECT_CLASS], {
    POSITIONAL_ONLY: int(KINDS.posonly),
    POSITIONAL_OR_KEYWORD: int(KINDS.normal),
    VAR_POSITIONAL: int(KINDS.vararg),
    KEYWORD_ONLY: int(KINDS.kwonly),
    VAR_KEYWORD: int(KINDS.kwarg),
    empty: emptyClass,
  });
  signatureClass ??= nativeClass("Signature", "inspect", [OBJECT_CLASS], { empty: emptyClass });
  return { Parameter: parameterClass, empty: emptyClass, Signature: signatureClass };
}

function signatureOf(ctx: NativeContext, target: Value): Value {
  // Like inspect.signature(follow_wrapped=True): a functools.wraps wrapper shows the wrapped signature.
  for (let hops = 0; target.kind === "function" && hops < 100; hops++) {
    const inner = target.dict?.get("__wrapped__");
    if (!inner) break;
    target = inner;
  }
  let fn: PyFunction | undefined;
  let skipFirst = false;
  if (target.kind === "function") fn = target;
  else if (target.kind === "method" && target.fn.kind === "function") {
    fn = target.fn;
    skipFirst = true;
  }
  if (!fn) return unknown(`inspect.signature of ${ctx.repr(target)}`);
  const { Parameter, empty, Signature } = classes();
  const params = (skipFirst ? fn.params.slice(1) : fn.params).map((p) => {
    const param = ctx.newInstance(Parameter);
    param.dict.set("name", str(p.name));
    param.dict.set("kind", int(KINDS[p.kind]));
    param.dict.set("default", fn.defaults.get(p.name) ?? empty);
    param.dict.set("annotation", empty);
    return [str(p.name), param] as [Value, Value];
  });
  const sig = ctx.newInstance(Signature);
  sig.dict.set("parameters", dict(params));
  return sig;
}

export function makeInspect(): PyModule {
  const is = (name: string, test: (v: Value) => boolean) => builtin(`inspect.${name}`, (a) => bool(!!a[0] && test(a[0])));
  const members: Record<string, Value> = {
    signature: builtin("inspect.signature", (a, _k, ctx) => signatureOf(ctx, a[0] ?? unknown("inspect.signature()"))),
    isclass: is("isclass", (v) => v.kind === "class"),
    isfunction: is("isfunction", (v) => v.kind === "function"),
    ismethod: is("ismethod", (v) => v.kind === "method"),
    ismodule: is("ismodule", (v) => v.kind === "module"),
  };
  const { Parameter, Signature } = classes();
  members.Parameter = Parameter;
  members.Signature = Signature;
  return { kind: "module", name: "inspect", dict: new Map(Object.entries(members)) };
}
