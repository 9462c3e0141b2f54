// torch.return_types: the named tuples topk/sort/max(dim) return. Both `values, indices = t.topk(2)`
// and `t.topk(2).values` are common in model code, so the pair unpacks, indexes and has attributes.

import { type NativeContext, type PyClass, type Value, NONE, OBJECT_CLASS, builtin, int, nativeClass, unknown } from "../../interp/values";

const FIELDS = ["values", "indices"];
const classes = new Map<string, PyClass>();

function returnTypeClass(name: string): PyClass {
  let cls = classes.get(name);
  if (cls) return cls;
  const fieldsOf = (self: Value): Value[] => (self.kind === "instance" ? FIELDS.map((f) => self.dict.get(f) ?? NONE) : []);
  cls = nativeClass(name, "torch.return_types", [OBJECT_CLASS], {
    __getitem__: builtin(`${name}.__getitem__`, ([self, i]) => {
      const items = fieldsOf(self);
      return i?.kind === "int" ? (items[i.v < 0 ? i.v + items.length : i.v] ?? unknown(`${name} item ${i.v}`)) : unknown(`${name} item`);
    }),
    __iter__: builtin(`${name}.__iter__`, ([self]) => ({ kind: "iterator", items: fieldsOf(self), index: 0 })),
    __len__: builtin(`${name}.__len__`, () => int(FIELDS.length)),
  });
  classes.set(name, cls);
  return cls;
}

/** A `torch.return_types.<name>(values, indices)`. */
export function valuesAndIndices(ctx: NativeContext, name: string, values: Value, indices: Value): Value {
  const out = ctx.newInstance(returnTypeClass(name));
  out.dict.set("values", values);
  out.dict.set("indices", indices);
  return out;
}
