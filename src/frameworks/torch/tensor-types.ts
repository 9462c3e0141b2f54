// The legacy tensor type names (torch.FloatTensor, torch.cuda.LongTensor, ...), which older model
// code still uses as constructors (`Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor`),
// as `x.type(...)` targets and in `isinstance(x.data, torch.cuda.FloatTensor)` device checks.
// Each is a subclass of torch.Tensor: calling it makes a tensor, and the analyzer's tensors, which
// live on the CPU, are instances of none of the CUDA ones. torch.FloatTensor stays torch.Tensor
// itself, the default tensor type, so `isinstance(x, torch.FloatTensor)` holds for any tensor.

import { type PyClass, type Value, OBJECT_CLASS, nativeClass } from "../../interp/values";
import { TENSOR_CLASS } from "./tensor-class";
import { type DType, dtypeNamed } from "./tensor-values";

/** Each legacy type name with the dtype torch names it by (`torch.float16`: no values tracked). */
const LEGACY_TYPES: Record<string, string> = {
  FloatTensor: "torch.float32",
  DoubleTensor: "torch.float64",
  HalfTensor: "torch.float16",
  BFloat16Tensor: "torch.bfloat16",
  LongTensor: "torch.int64",
  IntTensor: "torch.int32",
  ShortTensor: "torch.int16",
  CharTensor: "torch.int8",
  ByteTensor: "torch.uint8",
  BoolTensor: "torch.bool",
};

const dtypeOfClass = new Map<PyClass, string>([[TENSOR_CLASS, "torch.float32"]]);

function typeClasses(moduleName: "torch" | "torch.cuda"): Record<string, PyClass> {
  const out: Record<string, PyClass> = {};
  for (const [name, dtype] of Object.entries(LEGACY_TYPES)) {
    const cls = moduleName === "torch" && name === "FloatTensor" ? TENSOR_CLASS : nativeClass(name, moduleName, [TENSOR_CLASS, OBJECT_CLASS], {});
    if (cls !== TENSOR_CLASS) dtypeOfClass.set(cls, dtype);
    out[name] = cls;
  }
  return out;
}

/** The legacy type classes of torch and of torch.cuda, by name (made once: they are compared by identity). */
export const LEGACY_TENSOR_TYPES = { torch: typeClasses("torch"), "torch.cuda": typeClasses("torch.cuda") };

/**
 * The dtype `x.type(target)` converts to: a dtype (`torch.float16`), a type name
 * ('torch.cuda.LongTensor') or a type class (torch.LongTensor). Undefined when it names none, or a
 * dtype whose values the analyzer does not track (the tensor then keeps its own).
 */
export function dtypeOfTypeTarget(v: Value): DType | undefined {
  if (v.kind === "class") return dtypeNamed({ kind: "str", v: dtypeOfClass.get(v) ?? "" });
  if (v.kind !== "str") return undefined;
  const legacy = LEGACY_TYPES[v.v.replace(/^torch\.(cuda\.)?/, "")];
  return dtypeNamed(legacy ? { kind: "str", v: legacy } : v);
}

/** `x.type()` with no argument: the legacy name of its type, a CPU one ('torch.FloatTensor'). */
export function legacyTypeName(dtype: string | undefined): string {
  const d = dtype ?? "torch.float32";
  const name = Object.entries(LEGACY_TYPES).find(([, t]) => t === d)?.[0] ?? "FloatTensor";
  return `torch.${name}`;
}

/** Whether `v` names a tensor type or dtype at all (for the message when it does not). */
export function isTypeTarget(v: Value): boolean {
  if (v.kind === "class") return dtypeOfClass.has(v);
  return v.kind === "str" && (LEGACY_TYPES[v.v.replace(/^torch\.(cuda\.)?/, "")] !== undefined || /^torch\.\w+$/.test(v.v));
}
