// The builtin classes (int, str, list, Exception, ...) so that isinstance/type/subclassing work.

import { type PyClass, type Value, OBJECT_CLASS, computeMro } from "./values";

function cls(name: string, bases: PyClass[] = [OBJECT_CLASS]): PyClass {
  const c: PyClass = { kind: "class", name, qualname: name, moduleName: "builtins", bases, mro: [], dict: new Map(), native: true };
  c.mro = computeMro(c);
  return c;
}

export const TYPE_CLASS = cls("type");
export const INT_CLASS = cls("int");
export const BOOL_CLASS = cls("bool", [INT_CLASS]);
export const FLOAT_CLASS = cls("float");
export const COMPLEX_CLASS = cls("complex");
export const STR_CLASS = cls("str");
export const BYTES_CLASS = cls("bytes");
export const LIST_CLASS = cls("list");
export const TUPLE_CLASS = cls("tuple");
export const DICT_CLASS = cls("dict");
export const SET_CLASS = cls("set");
export const FROZENSET_CLASS = cls("frozenset");
export const RANGE_CLASS = cls("range");
export const SLICE_CLASS = cls("slice");
export const NONE_CLASS = cls("NoneType");
export const FUNCTION_CLASS = cls("function");
export const BUILTIN_FUNCTION_CLASS = cls("builtin_function_or_method");
export const METHOD_CLASS = cls("method");
export const MODULE_CLASS = cls("module");
export const PROPERTY_CLASS = cls("property");
export const ITERATOR_CLASS = cls("iterator");
export const ELLIPSIS_CLASS = cls("ellipsis");
export const UNKNOWN_CLASS = cls("<unknown>");
export const SUPER_CLASS = cls("super");
export const STATICMETHOD_CLASS = cls("staticmethod");
export const CLASSMETHOD_CLASS = cls("classmethod");

export const BASE_EXCEPTION = cls("BaseException");
export const EXCEPTION = cls("Exception", [BASE_EXCEPTION]);
export const exceptionClasses = new Map<string, PyClass>([
  ["BaseException", BASE_EXCEPTION],
  ["Exception", EXCEPTION],
]);
const hierarchy: [string, string][] = [
  ["SystemExit", "BaseException"],
  ["KeyboardInterrupt", "BaseException"],
  ["StopIteration", "Exception"],
  ["ArithmeticError", "Exception"],
  ["ZeroDivisionError", "ArithmeticError"],
  ["OverflowError", "ArithmeticError"],
  ["AssertionError", "Exception"],
  ["AttributeError", "Exception"],
  ["ImportError", "Exception"],
  ["ModuleNotFoundError", "ImportError"],
  ["LookupError", "Exception"],
  ["IndexError", "LookupError"],
  ["KeyError", "LookupError"],
  ["NameError", "Exception"],
  ["UnboundLocalError", "NameError"],
  ["RuntimeError", "Exception"],
  ["NotImplementedError", "RuntimeError"],
  ["RecursionError", "RuntimeError"],
  ["TypeError", "Exception"],
  ["ValueError", "Exception"],
  ["UnicodeError", "ValueError"],
  ["OSError", "Exception"],
  ["FileNotFoundError", "OSError"],
  ["Warning", "Exception"],
  ["UserWarning", "Warning"],
  ["DeprecationWarning", "Warning"],
  ["FutureWarning", "Warning"],
];
for (const [name, base] of hierarchy) exceptionClasses.set(name, cls(name, [exceptionClasses.get(base)!]));

export function exceptionClass(name: string): PyClass {
  return exceptionClasses.get(name) ?? EXCEPTION;
}

/** `type(v)`. */
export function typeOf(v: Value): PyClass {
  switch (v.kind) {
    case "none": return NONE_CLASS;
    case "bool": return BOOL_CLASS;
    case "int": return INT_CLASS;
    case "float": return FLOAT_CLASS;
    case "str": return STR_CLASS;
    case "tuple": return TUPLE_CLASS;
    case "list": return LIST_CLASS;
    case "dict": return DICT_CLASS;
    case "set": return v.frozen ? FROZENSET_CLASS : SET_CLASS;
    case "range": return RANGE_CLASS;
    case "slice": return SLICE_CLASS;
    case "ellipsis": return ELLIPSIS_CLASS;
    case "function": return FUNCTION_CLASS;
    case "builtin": return BUILTIN_FUNCTION_CLASS;
    case "method": return METHOD_CLASS;
    case "class": return TYPE_CLASS;
    case "instance": return v.cls;
    case "module": return MODULE_CLASS;
    case "property": return PROPERTY_CLASS;
    case "staticmethod": return STATICMETHOD_CLASS;
    case "classmethod": return CLASSMETHOD_CLASS;
    case "super": return SUPER_CLASS;
    case "iterator": return ITERATOR_CLASS;
    case "tensor": return TENSOR_CLASSES.get(v.framework) ?? UNKNOWN_CLASS;
    case "unknown": return UNKNOWN_CLASS;
  }
}

/** Tensor classes by framework (`torch.Tensor`, KerasTensor), set by the stubs' registration. */
export const TENSOR_CLASSES = new Map<string, PyClass>();
