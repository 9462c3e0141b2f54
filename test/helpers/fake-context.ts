// A minimal NativeContext for unit-testing stubs without the interpreter. It understands native
// classes, builtins, bound methods and callable instances: enough to drive stub code directly.
// Integration through real Python source lives in the interpreter's tests.

import {
  type Kwargs,
  type NativeContext,
  type NewNode,
  type PyClass,
  type PyInstance,
  type Value,
  PyException,
} from "../../src/interp/values";
import type { Diagnostic, SourceSite } from "../../src/ir/types";

export interface RecordedNode extends NewNode {
  id: string;
}

export function fakeContext(): NativeContext & { nodes: RecordedNode[]; messages: string[] } {
  let uid = 1;
  const nodes: RecordedNode[] = [];
  const messages: string[] = [];
  const ids = new Set<string>();
  const site: SourceSite = {
    file: "test.py",
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    stack: [],
  };
  const lookupClass = (cls: PyClass, name: string): Value | undefined => {
    for (const c of cls.mro) {
      const v = c.dict.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const bind = (self: Value, v: Value): Value =>
    v.kind === "builtin" || v.kind === "function" ? { kind: "method", self, fn: v } : v;
  const ctx = {
    nodes,
    messages,
    state: new Map<string, unknown>(),
    graph: {
      addNode(n: NewNode): string {
        let id = n.idHint ?? n.name;
        let i = 1;
        while (ids.has(id)) id = `${n.idHint ?? n.name}_${i++}`;
        ids.add(id);
        nodes.push({ ...n, id });
        return id;
      },
    },
    newInstance(cls: PyClass): PyInstance {
      return { kind: "instance", cls, dict: new Map(), uid: uid++ };
    },
    call(fn: Value, args: Value[], kwargs: Kwargs = new Map()): Value {
      switch (fn.kind) {
        case "builtin":
          return fn.fn(args, kwargs, ctx);
        case "method":
          return ctx.call(fn.fn, [fn.self, ...args], kwargs);
        case "class": {
          const self = ctx.newInstance(fn);
          const init = lookupClass(fn, "__init__");
          if (init) ctx.call(init, [self, ...args], kwargs);
          return self;
        }
        case "instance": {
          const c = lookupClass(fn.cls, "__call__");
          if (!c) throw new PyException("TypeError", `'${fn.cls.name}' object is not callable`);
          return ctx.call(c, [fn, ...args], kwargs);
        }
        default:
          throw new PyException("TypeError", `fake context cannot call a ${fn.kind}`);
      }
    },
    methodOf(obj: Value, name: string): Value | undefined {
      if (obj.kind !== "instance" || obj.dict.has(name)) return undefined;
      const m = lookupClass(obj.cls, name);
      return m !== undefined && (m.kind === "function" || m.kind === "builtin") ? m : undefined;
    },
    getAttrOrUndefined(obj: Value, name: string): Value | undefined {
      if (obj.kind === "instance") {
        const own = obj.dict.get(name);
        if (own !== undefined) return own;
        const c = lookupClass(obj.cls, name);
        if (c !== undefined) {
          if (c.kind === "property") return ctx.call(c.fget, [obj]);
          return bind(obj, c);
        }
        const ga = lookupClass(obj.cls, "__getattr__");
        if (ga) {
          try {
            return ctx.call(ga, [obj, { kind: "str", v: name }]);
          } catch {
            return undefined;
          }
        }
        return undefined;
      }
      if (obj.kind === "module" || obj.kind === "class") {
        const v = obj.kind === "module" ? obj.dict.get(name) : lookupClass(obj, name);
        return v;
      }
      return undefined;
    },
    getAttr(obj: Value, name: string): Value {
      const v = ctx.getAttrOrUndefined(obj, name);
      if (v === undefined) throw new PyException("AttributeError", `object has no attribute '${name}'`);
      return v;
    },
    setAttr(obj: Value, name: string, value: Value): void {
      if (obj.kind !== "instance") throw new PyException("AttributeError", `cannot set '${name}'`);
      const sa = lookupClass(obj.cls, "__setattr__");
      if (sa) ctx.call(sa, [obj, { kind: "str", v: name }, value]);
      else obj.dict.set(name, value);
    },
    truthy(v: Value): boolean {
      switch (v.kind) {
        case "none":
          return false;
        case "bool":
        case "int":
        case "float":
          return !!v.v;
        case "str":
          return v.v.length > 0;
        case "tuple":
        case "list":
          return v.items.length > 0;
        default:
          return true;
      }
    },
    repr(v: Value): string {
      if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return String(v.v);
      if (v.kind === "str") return `'${v.v}'`;
      if (v.kind === "tuple") return `(${v.items.map((x) => ctx.repr(x)).join(", ")})`;
      return `<${v.kind}>`;
    },
    iterate(v: Value): Value[] {
      if (v.kind === "tuple" || v.kind === "list") return v.items;
      if (v.kind === "iterator") return v.items.slice(v.index);
      throw new PyException("TypeError", `fake context cannot iterate a ${v.kind}`);
    },
    raise(pyType: string, message: string, code?: string): never {
      throw new PyException(pyType, message, undefined, code);
    },
    warn(message: string, code = "warning"): Diagnostic {
      messages.push("warning: " + message);
      return { severity: "warning", message, file: site.file, range: site.range, code };
    },
    withdraw(d: Diagnostic): void {
      messages.push("withdrawn: " + d.message);
    },
    inform(message: string): void {
      messages.push("info: " + message);
    },
    reportError(message: string): void {
      messages.push("error: " + message);
    },
    site(): SourceSite {
      return site;
    },
  };
  return ctx;
}
