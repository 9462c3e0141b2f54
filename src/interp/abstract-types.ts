// The abstract types of `collections.abc` and their `typing` aliases (Sequence, Mapping, Iterable,
// Callable, List, ...). Python answers `isinstance(x, Sequence)` through registration and
// `__subclasshook__`, not through the MRO: each abstract type here names the builtin classes
// registered with it and, where Python has a subclass hook, the methods that make any class count.

import { type PyClass, type Value, OBJECT_CLASS, builtin, lookupClassAttr, nativeClass } from "./values";
import {
  BOOL_CLASS,
  BUILTIN_FUNCTION_CLASS,
  COMPLEX_CLASS,
  DICT_CLASS,
  FLOAT_CLASS,
  INT_CLASS,
  FROZENSET_CLASS,
  FUNCTION_CLASS,
  ITERATOR_CLASS,
  LIST_CLASS,
  METHOD_CLASS,
  RANGE_CLASS,
  SET_CLASS,
  STR_CLASS,
  TUPLE_CLASS,
  TYPE_CLASS,
} from "./types";
import { MAPPING_MIXINS } from "./mapping-mixins";

interface AbstractType {
  /** Builtin classes registered with the type (their subclasses count too). */
  registered: PyClass[];
  /** The subclass hook: a class defining all of these counts (empty: no hook). */
  methods: string[];
}

const abstractTypes = new WeakMap<PyClass, AbstractType>();

/** `Sequence[int]`, `Callable[..., nn.Module]`: subscripting an abstract type gives the type back. */
const classGetItem = builtin("__class_getitem__", (a) => a[0]);

function abstractType(name: string, moduleName: string, registered: PyClass[], methods: string[] = [], mixins: Record<string, Value> = {}): PyClass {
  const cls = nativeClass(name, moduleName, [OBJECT_CLASS], { __class_getitem__: classGetItem, ...mixins });
  abstractTypes.set(cls, { registered, methods });
  return cls;
}

/**
 * Whether `sub` counts as a subclass of `abc` by registration or subclass hook; undefined when `abc`
 * is not an abstract type (then the MRO decides, as usual).
 */
export function abstractSubclass(sub: PyClass, abc: PyClass): boolean | undefined {
  const t = abstractTypes.get(abc);
  if (!t) return undefined;
  if (t.registered.some((r) => sub.mro.includes(r))) return true;
  return t.methods.length > 0 && t.methods.every((m) => lookupClassAttr(sub, m) !== undefined);
}

const SEQUENCES = [LIST_CLASS, TUPLE_CLASS, STR_CLASS, RANGE_CLASS];
const SETS = [SET_CLASS, FROZENSET_CLASS];
const COLLECTIONS = [...SEQUENCES, DICT_CLASS, ...SETS];
const CALLABLES = [FUNCTION_CLASS, BUILTIN_FUNCTION_CLASS, METHOD_CLASS, TYPE_CLASS];

/** The members of `collections.abc`, made once per module object that shows them. */
export function collectionsAbcMembers(moduleName: string): Record<string, Value> {
  return {
    Iterable: abstractType("Iterable", moduleName, [...COLLECTIONS, ITERATOR_CLASS], ["__iter__"]),
    Iterator: abstractType("Iterator", moduleName, [ITERATOR_CLASS], ["__iter__", "__next__"]),
    Sized: abstractType("Sized", moduleName, COLLECTIONS, ["__len__"]),
    Container: abstractType("Container", moduleName, COLLECTIONS, ["__contains__"]),
    Collection: abstractType("Collection", moduleName, COLLECTIONS, ["__len__", "__iter__", "__contains__"]),
    Sequence: abstractType("Sequence", moduleName, SEQUENCES),
    MutableSequence: abstractType("MutableSequence", moduleName, [LIST_CLASS]),
    Mapping: abstractType("Mapping", moduleName, [DICT_CLASS], [], MAPPING_MIXINS),
    MutableMapping: abstractType("MutableMapping", moduleName, [DICT_CLASS], [], MAPPING_MIXINS),
    Set: abstractType("Set", moduleName, SETS),
    MutableSet: abstractType("MutableSet", moduleName, [SET_CLASS]),
    Callable: abstractType("Callable", moduleName, CALLABLES, ["__call__"]),
  };
}

/**
 * `typing`'s names for the abstract types are the `collections.abc` classes themselves (`abc` is that
 * module's members); it adds the deprecated aliases of the builtin containers, which `isinstance` accepts too.
 */
export function typingMembers(abc: Map<string, Value>): Record<string, Value> {
  return {
    ...Object.fromEntries(abc),
    List: abstractType("List", "typing", [LIST_CLASS]),
    Tuple: abstractType("Tuple", "typing", [TUPLE_CLASS]),
    Dict: abstractType("Dict", "typing", [DICT_CLASS]),
    Set: abstractType("Set", "typing", [SET_CLASS]),
    FrozenSet: abstractType("FrozenSet", "typing", [FROZENSET_CLASS]),
    Type: abstractType("Type", "typing", [TYPE_CLASS]),
  };
}

/** `numbers`: the numeric tower, with Python's builtin registrations (bool is an Integral). */
export function numbersMembers(): Record<string, Value> {
  const integral = [INT_CLASS, BOOL_CLASS];
  const real = [...integral, FLOAT_CLASS];
  return {
    Number: abstractType("Number", "numbers", [...real, COMPLEX_CLASS]),
    Complex: abstractType("Complex", "numbers", [...real, COMPLEX_CLASS]),
    Real: abstractType("Real", "numbers", real),
    Rational: abstractType("Rational", "numbers", integral),
    Integral: abstractType("Integral", "numbers", integral),
  };
}
