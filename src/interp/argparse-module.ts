// `argparse` as training scripts use it to size their models (pytorch/examples dcgan: `opt.nz`,
// `opt.ngf`). The command line is what static analysis cannot see: parse_args() without arguments
// gives the parser's defaults, as running the script with no options would, and says so once. A
// given list (`parse_args([])`, `parse_args('--nz 10'.split())`) is parsed as argparse parses it. An
// argument that has no default (required, or a positional) is an unknown value naming it.

import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type Value, NONE, OBJECT_CLASS, bool, builtin, int, list, nativeClass, str, tuple, unknown } from "./values";
import { EXCEPTION } from "./types";
import { pyEquals } from "./ops";
import { isCommandLineArguments } from "./command-line";

const SUPPRESS = "==SUPPRESS==";

interface Action {
  dest: string;
  /** Empty for a positional argument. */
  options: string[];
  kind: string;
  nargs?: Value;
  constant: Value;
  default: Value;
  type?: Value;
  required: boolean;
}

interface Parser {
  actions: Action[];
  defaults: Map<string, Value>;
  argumentDefault: Value;
  /** 1-based line of the ArgumentParser(...) call, named when its defaults are used. */
  line?: number;
  /** Whether using its defaults for the unseen command line has been said (once per parser). */
  told?: boolean;
}

const parserOf = (v: Value | undefined): Parser => (v as PyInstance).native.parser as Parser;

const text = (v: Value | undefined): string | undefined => (v?.kind === "str" ? v.v : undefined);

/** argparse's dest: the first long option without dashes, '-' made '_'; else the first short one; a positional's own name. */
function destOf(names: string[], given: Value | undefined): string {
  if (given?.kind === "str") return given.v;
  const long = names.find((n) => n.startsWith("--")) ?? names[0] ?? "";
  return names.every((n) => !n.startsWith("-")) ? long : long.replace(/^-+/, "").replace(/-/g, "_");
}

function addArgument(ctx: NativeContext, parser: Parser, args: Value[], kwargs: Kwargs): Value {
  const names = args.map((a) => text(a) ?? ctx.raise("TypeError", `add_argument() takes option strings, got ${ctx.repr(a)}.`));
  const actionV = kwargs.get("action");
  const kind = text(actionV) ?? (actionV?.kind === "class" && actionV.name === "BooleanOptionalAction" ? "boolean_optional" : "store");
  const implicit: Record<string, Value> = { store_true: bool(false), store_false: bool(true) };
  const given = kwargs.get("default");
  const action: Action = {
    dest: destOf(names, kwargs.get("dest")),
    options: names.filter((n) => n.startsWith("-")),
    kind,
    nargs: kwargs.get("nargs"),
    constant: kwargs.get("const") ?? (kind === "store_true" ? bool(true) : kind === "store_false" ? bool(false) : NONE),
    default: given ?? implicit[kind] ?? (kind === "help" || kind === "version" ? str(SUPPRESS) : parser.argumentDefault),
    type: kwargs.get("type"),
    required: kwargs.get("required")?.kind === "bool" ? (kwargs.get("required") as { v: boolean }).v : names.every((n) => !n.startsWith("-")),
  };
  if (parser.defaults.has(action.dest)) action.default = parser.defaults.get(action.dest)!;
  parser.actions.push(action);
  const out = ctx.newInstance(ACTION_CLASS);
  out.dict.set("dest", str(action.dest));
  out.dict.set("default", action.default);
  out.dict.set("option_strings", list(action.options.map(str)));
  return out;
}

/** What an argument gives when the command line does not name it (argparse converts string defaults with `type`). */
function absentValue(ctx: NativeContext, a: Action): Value | undefined {
  if (text(a.default) === SUPPRESS) return undefined;
  const optionalPositional = a.options.length === 0 && (text(a.nargs) === "?" || text(a.nargs) === "*");
  if (a.required && !optionalPositional) return unknown(`the command-line argument '${a.options[0] ?? a.dest}', which the analyzer cannot see`);
  if (optionalPositional && text(a.nargs) === "*" && a.default.kind === "none") return list([]);
  const takesValues = !["store_const", "store_true", "store_false", "append_const", "count", "boolean_optional"].includes(a.kind);
  if (a.default.kind === "str" && a.type && takesValues) return ctx.call(a.type, [a.default]);
  return a.default;
}

/** How many of `rest` (the strings after an option, up to the next option) `a` takes. */
function arity(a: Action, rest: string[]): number {
  if (["store_const", "store_true", "store_false", "append_const", "count", "help", "version", "boolean_optional"].includes(a.kind)) return 0;
  const n = a.nargs;
  if (n === undefined || n.kind === "none") return 1;
  if (n.kind === "int") return n.v;
  const s = text(n);
  return s === "?" ? Math.min(1, rest.length) : s === "*" || s === "+" || s === "..." ? rest.length : 1;
}

function convert(ctx: NativeContext, a: Action, strings: string[]): Value {
  const one = (s: string) => (a.type ? ctx.call(a.type, [str(s)]) : str(s));
  const n = a.nargs;
  if (n === undefined || n.kind === "none") return one(strings[0]);
  if (text(n) === "?") return strings.length ? one(strings[0]) : a.options.length ? a.constant : a.default.kind === "str" ? one(a.default.v) : a.default;
  if (text(n) === "*" && !strings.length && !a.options.length && a.default.kind !== "none") return a.default;
  return list(strings.map(one));
}

/** Stores what the command line gives `a` into `values`, as argparse's actions do. */
function store(ctx: NativeContext, a: Action, strings: string[], values: Map<string, Value>, option?: string): void {
  const prev = values.get(a.dest);
  switch (a.kind) {
    case "store_const":
    case "store_true":
    case "store_false":
      values.set(a.dest, a.constant);
      return;
    case "boolean_optional":
      values.set(a.dest, bool(!option?.startsWith("--no-")));
      return;
    case "count":
      values.set(a.dest, int((prev?.kind === "int" ? prev.v : 0) + 1));
      return;
    case "append":
    case "append_const":
    case "extend": {
      const items = prev?.kind === "list" ? prev.items.slice() : [];
      const v = a.kind === "append_const" ? a.constant : convert(ctx, a, strings);
      if (a.kind === "extend" && v.kind === "list") items.push(...v.items);
      else items.push(v);
      values.set(a.dest, list(items));
      return;
    }
    case "help":
    case "version":
      return;
    default:
      values.set(a.dest, convert(ctx, a, strings));
  }
}

/** argparse's parsing of a known list of strings; returns the strings it did not recognise. */
function parseStrings(ctx: NativeContext, p: Parser, strings: string[], values: Map<string, Value>): string[] {
  const extras: string[] = [];
  const positionals: string[] = [];
  const isOption = (s: string) => s.startsWith("-") && s !== "-" && !/^-\d/.test(s);
  const optionFor = (s: string): [Action, string] | undefined => {
    for (const a of p.actions) {
      const hit = a.options.find((o) => o === s || (a.kind === "boolean_optional" && o.startsWith("--") && `--no-${o.slice(2)}` === s));
      if (hit) return [a, s];
    }
    // A unique prefix of a long option, as allow_abbrev permits.
    const prefixed = p.actions.flatMap((a) => a.options.filter((o) => o.startsWith("--") && o.startsWith(s) && s.startsWith("--")).map((o): [Action, string] => [a, o]));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  };
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s === "--") {
      positionals.push(...strings.slice(i + 1));
      break;
    }
    if (!isOption(s)) {
      positionals.push(s);
      continue;
    }
    const eq = s.startsWith("--") ? s.indexOf("=") : -1;
    const attachedShort = !s.startsWith("--") && s.length > 2 ? optionFor(s.slice(0, 2)) : undefined;
    const found = eq > 0 ? optionFor(s.slice(0, eq)) : optionFor(s) ?? attachedShort;
    if (!found) {
      extras.push(s);
      continue;
    }
    const [a, option] = found;
    if (attachedShort && !optionFor(s) && arity(a, []) === 0 && eq < 0) {
      // `-vv`, `-cv`: short flags written together.
      for (const c of s.slice(1)) {
        const flag = optionFor(`-${c}`);
        if (flag) store(ctx, flag[0], [], values, flag[1]);
        else extras.push(`-${c}`);
      }
      continue;
    }
    if (eq > 0 || (attachedShort && !optionFor(s))) {
      store(ctx, a, [eq > 0 ? s.slice(eq + 1) : s.slice(2)], values, option);
      continue;
    }
    let end = i + 1;
    while (end < strings.length && !isOption(strings[end])) end++;
    const rest = strings.slice(i + 1, end);
    const n = arity(a, rest);
    if (n > rest.length) userError(ctx, `argument ${option}: expected ${n} argument${n === 1 ? "" : "s"}`);
    store(ctx, a, rest.slice(0, n), values, option);
    i += n;
  }
  const missing: string[] = [];
  for (const a of p.actions.filter((x) => x.options.length === 0)) {
    const n = arity(a, positionals);
    const enough = a.nargs?.kind === "int" ? n <= positionals.length : text(a.nargs) === "+" ? n > 0 : text(a.nargs) === "?" || text(a.nargs) === "*" || positionals.length > 0;
    if (enough) store(ctx, a, positionals.splice(0, n), values);
    else missing.push(a.dest);
  }
  missing.push(...p.actions.filter((a) => a.required && a.options.length > 0 && !values.has(a.dest)).map((a) => a.options.join("/")));
  if (missing.length) userError(ctx, `the following arguments are required: ${missing.join(", ")}`);
  return [...extras, ...positionals];
}

/** parse_args / parse_known_args: the namespace, and the strings left over. */
function parse(ctx: NativeContext, self: Value, args: Value[], kwargs: Kwargs): [PyInstance, string[]] {
  const p = parserOf(self);
  const given = args[0] ?? kwargs.get("args");
  const ns = (args[1] ?? kwargs.get("namespace")) as PyInstance | undefined;
  const values = new Map<string, Value>();
  // `sys.argv[1:]` is the command line the analyzer cannot see, as when no list is given.
  const known = given && given.kind !== "none" && given.kind !== "unknown" && !isCommandLineArguments(given) ? ctx.iterate(given) : undefined;
  const fromList = known !== undefined && known.every((s) => s.kind === "str");
  const extras = fromList ? parseStrings(ctx, p, known.map((s) => (s as { v: string }).v), values) : [];
  const target = ns?.kind === "instance" ? ns : ctx.newInstance(NAMESPACE_CLASS);
  const defaulted: string[] = [];
  for (const a of p.actions) {
    if (values.has(a.dest)) target.dict.set(a.dest, values.get(a.dest)!);
    else if (!target.dict.has(a.dest)) {
      const v = absentValue(ctx, a);
      if (v === undefined) continue;
      target.dict.set(a.dest, v);
      defaulted.push(`${a.dest}=${v.kind === "unknown" ? "?" : ctx.repr(v)}`);
    }
  }
  for (const [k, v] of p.defaults) if (!target.dict.has(k)) target.dict.set(k, v);
  if (!fromList && !p.told) {
    p.told = true;
    const shown = defaulted.length > 6 ? `${defaulted.slice(0, 6).join(", ")} and ${defaulted.length - 6} more` : defaulted.join(", ");
    const where = p.line ? ` made at line ${p.line}` : "";
    ctx.inform(`The command line is not known to the analyzer: parse_args() gives the defaults of the parser${where}${shown ? ` (${shown})` : ""}.`, "command-line");
  }
  return [target, extras];
}

export const NAMESPACE_CLASS: PyClass = nativeClass("Namespace", "argparse", [OBJECT_CLASS], {
  __init__: builtin("__init__", (a, k) => {
    for (const [key, v] of k) (a[0] as PyInstance).dict.set(key, v);
    return NONE;
  }),
  __contains__: builtin("__contains__", (a) => bool(a[1]?.kind === "str" && (a[0] as PyInstance).dict.has(a[1].v))),
  __eq__: builtin("__eq__", (a) => {
    const [x, y] = a as [PyInstance, Value];
    return bool(y.kind === "instance" && y.cls === x.cls && x.dict.size === y.dict.size && [...x.dict].every(([k, v]) => y.dict.has(k) && pyEquals(v, y.dict.get(k)!)));
  }),
  __repr__: builtin("__repr__", (a, _k, ctx) => str(`Namespace(${[...(a[0] as PyInstance).dict].map(([k, v]) => `${k}=${ctx.repr(v)}`).join(", ")})`)),
});

const ACTION_CLASS: PyClass = nativeClass("Action", "argparse", [OBJECT_CLASS], {
  __init__: builtin("__init__", () => NONE),
});

/** Argument groups and mutually exclusive groups add to their parser's arguments. */
const GROUP_CLASS: PyClass = nativeClass("_ArgumentGroup", "argparse", [OBJECT_CLASS], {
  add_argument: builtin("add_argument", (a, k, ctx) => addArgument(ctx, parserOf(a[0]), a.slice(1), k)),
  add_argument_group: builtin("add_argument_group", (a, _k, ctx) => group(ctx, parserOf(a[0]))),
  add_mutually_exclusive_group: builtin("add_mutually_exclusive_group", (a, _k, ctx) => group(ctx, parserOf(a[0]))),
  set_defaults: builtin("set_defaults", (a, k) => setDefaults(parserOf(a[0]), k)),
});

function group(ctx: NativeContext, parser: Parser): PyInstance {
  const g = ctx.newInstance(GROUP_CLASS);
  g.native = { parser };
  return g;
}

function setDefaults(p: Parser, kwargs: Kwargs): Value {
  for (const [k, v] of kwargs) {
    p.defaults.set(k, v);
    for (const a of p.actions) if (a.dest === k) a.default = v;
  }
  return NONE;
}

/**
 * add_subparsers(): sub-commands get parsers of their own, which a command line would choose between;
 * without one, none is chosen and the `dest` (if any) is None, as argparse leaves it.
 */
const SUBPARSERS_CLASS: PyClass = nativeClass("_SubParsersAction", "argparse", [OBJECT_CLASS], {
  add_parser: builtin("add_parser", (_a, _k, ctx) => ctx.call(PARSER_CLASS, [])),
});

const userError = (ctx: NativeContext, message: string): never => (ctx.raiseUserError ? ctx.raiseUserError("SystemExit", message) : ctx.raise("SystemExit", message));

export const PARSER_CLASS: PyClass = nativeClass("ArgumentParser", "argparse", [GROUP_CLASS], {
  __init__: builtin("__init__", (a, k, ctx) => {
    const self = a[0] as PyInstance;
    const parser: Parser = { actions: [], defaults: new Map(), argumentDefault: k.get("argument_default") ?? NONE, line: ctx.site().range.start.line + 1 };
    const parents = k.get("parents");
    for (const parent of parents ? ctx.iterate(parents) : []) {
      const from = parserOf(parent);
      parser.actions.push(...from.actions.map((x) => ({ ...x })));
      for (const [key, v] of from.defaults) parser.defaults.set(key, v);
    }
    if (k.get("add_help")?.kind !== "bool" || (k.get("add_help") as { v: boolean }).v) {
      parser.actions.unshift({ dest: "help", options: ["-h", "--help"], kind: "help", constant: NONE, default: str(SUPPRESS), required: false });
    }
    self.native = { parser };
    return NONE;
  }),
  add_subparsers: builtin("add_subparsers", (a, k, ctx) => {
    const dest = text(k.get("dest"));
    if (dest) parserOf(a[0]).defaults.set(dest, NONE);
    return ctx.newInstance(SUBPARSERS_CLASS);
  }),
  get_default: builtin("get_default", (a) => {
    const p = parserOf(a[0]);
    const dest = text(a[1]) ?? "";
    return p.actions.find((x) => x.dest === dest)?.default ?? p.defaults.get(dest) ?? NONE;
  }),
  parse_args: builtin("parse_args", (a, k, ctx) => {
    const [ns, extras] = parse(ctx, a[0], a.slice(1), k);
    if (extras.length) userError(ctx, `unrecognized arguments: ${extras.join(" ")}`);
    return ns;
  }),
  parse_known_args: builtin("parse_known_args", (a, k, ctx) => {
    const [ns, extras] = parse(ctx, a[0], a.slice(1), k);
    return tuple([ns, list(extras.map(str))]);
  }),
  print_help: builtin("print_help", () => NONE),
  print_usage: builtin("print_usage", () => NONE),
  format_help: builtin("format_help", () => str("")),
  format_usage: builtin("format_usage", () => str("")),
  error: builtin("error", (a, _k, ctx) => userError(ctx, text(a[1]) ?? "error")),
  exit: builtin("exit", (a, _k, ctx) => userError(ctx, text(a[2]) ?? "exit")),
});

function plainClass(name: string): PyClass {
  return nativeClass(name, "argparse", [OBJECT_CLASS], { __init__: builtin("__init__", () => NONE) });
}

export function argparseMembers(): Record<string, Value> {
  return {
    ArgumentParser: PARSER_CLASS,
    Namespace: NAMESPACE_CLASS,
    Action: ACTION_CLASS,
    BooleanOptionalAction: nativeClass("BooleanOptionalAction", "argparse", [ACTION_CLASS], {}),
    ArgumentTypeError: nativeClass("ArgumentTypeError", "argparse", [EXCEPTION], {}),
    ArgumentError: nativeClass("ArgumentError", "argparse", [EXCEPTION], {}),
    HelpFormatter: plainClass("HelpFormatter"),
    ArgumentDefaultsHelpFormatter: plainClass("ArgumentDefaultsHelpFormatter"),
    RawDescriptionHelpFormatter: plainClass("RawDescriptionHelpFormatter"),
    RawTextHelpFormatter: plainClass("RawTextHelpFormatter"),
    MetavarTypeHelpFormatter: plainClass("MetavarTypeHelpFormatter"),
    SUPPRESS: str(SUPPRESS),
    OPTIONAL: str("?"),
    ZERO_OR_MORE: str("*"),
    ONE_OR_MORE: str("+"),
    REMAINDER: str("..."),
  };
}
