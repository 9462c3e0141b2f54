// `enum` as model code uses it: `class Format(str, Enum): NCHW = "NCHW"` then `Format("NHWC")`,
// `fmt == Format.NHWC`, `.value` / `.name` (timm's layers/format.py). The class's plain attributes
// become its members when the class is made (Enum.__init_subclass__); calling the class looks a member
// up by value; members of a str or int enum compare equal to their values, as Python's do.

import { type PyClass, type PyInstance, type PyModule, type Value, NONE, OBJECT_CLASS, bool, builtin, hashKey, int, nativeClass, str, unknown } from "./values";
import { pyEquals } from "./ops";
import { INT_CLASS, STR_CLASS } from "./types";

interface Member {
  name: string;
  value: Value;
}

const MEMBERS = new WeakMap<PyClass, PyInstance[]>();

function memberOf(v: Value | undefined): Member | undefined {
  return v?.kind === "instance" && (v.native as { enumMember?: Member } | undefined)?.enumMember ? (v.native as { enumMember: Member }).enumMember : undefined;
}

/** Members of `cls` or of the enum class it derives from. */
function membersOf(cls: PyClass): PyInstance[] {
  for (const c of cls.mro) {
    const m = MEMBERS.get(c);
    if (m && m.length > 0) return m;
  }
  return [];
}

const isMemberCandidate = (name: string, v: Value) =>
  !name.startsWith("_") && v.kind !== "function" && v.kind !== "builtin" && v.kind !== "property" && v.kind !== "classmethod" && v.kind !== "staticmethod" && v.kind !== "class";

export const ENUM_CLASS: PyClass = nativeClass("Enum", "enum", [OBJECT_CLASS], {
  __init_subclass__: builtin("__init_subclass__", (a, _k, ctx) => {
    const cls = a[0] as PyClass;
    const members: PyInstance[] = [];
    for (const [name, v] of [...cls.dict]) {
      if (!isMemberCandidate(name, v)) continue;
      // enum.auto() numbers members from 1.
      const value = v.kind === "unknown" && v.why === "an enum.auto() value" ? int(members.length + 1) : v;
      const inst = ctx.newInstance(cls);
      inst.native = { enumMember: { name, value } };
      cls.dict.set(name, inst);
      members.push(inst);
    }
    MEMBERS.set(cls, members);
    return NONE;
  }),
  __new__: builtin("__new__", (a, _k, ctx) => {
    const cls = a[0] as PyClass;
    const hit = membersOf(cls).find((m) => pyEquals(memberOf(m)!.value, a[1] ?? NONE) || m === a[1]);
    if (hit) return hit;
    if (a[1]?.kind === "unknown") return a[1];
    return ctx.raise("ValueError", `${ctx.repr(a[1] ?? NONE)} is not a valid ${cls.name}`);
  }),
  __init__: builtin("__init__", () => NONE),
  name: { kind: "property", fget: builtin("name", (a) => str(memberOf(a[0])?.name ?? "")) },
  value: { kind: "property", fget: builtin("value", (a) => memberOf(a[0])?.value ?? NONE) },
  __eq__: builtin("__eq__", (a) => {
    const [self, other] = a;
    if (self === other) return bool(true);
    const m = memberOf(self);
    const mixed = self.kind === "instance" && self.cls.mro.some((c) => c === STR_CLASS || c === INT_CLASS);
    return bool(!!m && mixed && !memberOf(other) && pyEquals(m.value, other));
  }),
  __ne__: builtin("__ne__", (a, _k, ctx) => bool(!ctx.truthy(ctx.call(ctx.getAttr(a[0], "__eq__"), [a[1]])))),
  __hash__: builtin("__hash__", (a) => str(hashKey(memberOf(a[0])?.value ?? NONE))),
  __str__: builtin("__str__", (a) => {
    const self = a[0] as PyInstance;
    const m = memberOf(self);
    return str(m ? `${self.cls.name}.${m.name}` : self.cls.name);
  }),
  __repr__: builtin("__repr__", (a, _k, ctx) => {
    const self = a[0] as PyInstance;
    const m = memberOf(self);
    return str(m ? `<${self.cls.name}.${m.name}: ${ctx.repr(m.value)}>` : self.cls.name);
  }),
});

/** `list(Format)`: the members in definition order (classes are not iterable otherwise). */
export function enumMembers(cls: PyClass): Value[] | undefined {
  return cls.mro.includes(ENUM_CLASS) ? membersOf(cls) : undefined;
}

export function makeEnum(): PyModule {
  const IntEnum = nativeClass("IntEnum", "enum", [INT_CLASS, ENUM_CLASS], {});
  const StrEnum = nativeClass("StrEnum", "enum", [STR_CLASS, ENUM_CLASS], {});
  const dict = new Map<string, Value>([
    ["Enum", ENUM_CLASS],
    ["IntEnum", IntEnum],
    ["StrEnum", StrEnum],
    ["Flag", ENUM_CLASS],
    ["IntFlag", IntEnum],
    ["EnumMeta", nativeClass("EnumMeta", "enum", [OBJECT_CLASS], {})],
    ["auto", builtin("auto", () => unknown("an enum.auto() value"))],
    ["unique", builtin("unique", (a) => a[0] ?? NONE)],
    ["__name__", str("enum")],
  ]);
  dict.set("EnumType", dict.get("EnumMeta")!);
  return { kind: "module", name: "enum", dict };
}
