// Our own typed Python syntax tree. Positions are UTF-16 offsets into the source
// (what JS strings and VS Code use); `SourceText.position()` turns them into line/column.

export interface Span {
  from: number;
  to: number;
}

// ---------- expressions ----------

export type Expr =
  | Name
  | Constant
  | Str
  | FString
  | TupleExpr
  | ListExpr
  | SetExpr
  | DictExpr
  | Attribute
  | Subscript
  | Slice
  | Call
  | BinOp
  | UnaryOp
  | BoolOp
  | Compare
  | IfExp
  | Lambda
  | Comprehension
  | DictComp
  | Starred
  | NamedExpr
  | Await
  | Yield
  | BadExpr;

export interface Name extends Span { kind: "Name"; id: string }
/** Numbers, True/False/None and `...`. `isFloat` separates `1.0` from `1`. */
export interface Constant extends Span {
  kind: "Constant";
  value: number | boolean | null | "...";
  isFloat?: boolean;
  isComplex?: boolean;
}
/** A string literal; adjacent literals are already concatenated. Bytes are strings too. */
export interface Str extends Span { kind: "Str"; value: string }
export interface FString extends Span {
  kind: "FString";
  /** Literal text or a replacement field `{expr!conv:spec}` (spec may itself contain fields). */
  parts: (string | FStringField)[];
}
export interface FStringField { expr: Expr; conversion?: "r" | "s" | "a"; spec?: FString; selfDoc?: string }
export interface TupleExpr extends Span { kind: "Tuple"; elts: Expr[] }
export interface ListExpr extends Span { kind: "List"; elts: Expr[] }
export interface SetExpr extends Span { kind: "Set"; elts: Expr[] }
export interface DictExpr extends Span {
  kind: "Dict";
  /** `key: value` entries and `**spread` entries, in source order. */
  entries: ({ key: Expr; value: Expr } | { spread: Expr })[];
}
export interface Attribute extends Span { kind: "Attribute"; value: Expr; attr: string; attrSpan: Span }
export interface Subscript extends Span { kind: "Subscript"; value: Expr; index: Expr }
/** Only appears as (part of) a subscript index. */
export interface Slice extends Span { kind: "Slice"; lower?: Expr; upper?: Expr; step?: Expr }
export interface Call extends Span {
  kind: "Call";
  func: Expr;
  args: Arg[];
  /** Number of positional arguments when none is starred (`f(*xs)`), so the interpreter can size its array. */
  fixedArgs: number | undefined;
}

export function fixedArgCount(args: Arg[]): number | undefined {
  let n = 0;
  for (const a of args) {
    if (a.kind === "star") return undefined;
    if (a.kind === "pos") n++;
  }
  return n;
}
export type Arg =
  | { kind: "pos"; value: Expr }
  | { kind: "star"; value: Expr }
  | { kind: "kw"; name: string; value: Expr }
  | { kind: "dstar"; value: Expr };
export type BinOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "@" | "<<" | ">>" | "&" | "|" | "^";
export interface BinOp extends Span { kind: "BinOp"; op: BinOperator; left: Expr; right: Expr }
export interface UnaryOp extends Span { kind: "UnaryOp"; op: "not" | "-" | "+" | "~"; operand: Expr }
export interface BoolOp extends Span { kind: "BoolOp"; op: "and" | "or"; values: Expr[] }
export type CmpOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "is" | "is not" | "in" | "not in";
export interface Compare extends Span { kind: "Compare"; left: Expr; ops: CmpOperator[]; comparators: Expr[] }
export interface IfExp extends Span { kind: "IfExp"; test: Expr; body: Expr; orelse: Expr }
export interface Lambda extends Span { kind: "Lambda"; params: Param[]; body: Expr }
/** List/set comprehensions and generator expressions. */
export interface Comprehension extends Span {
  kind: "Comprehension";
  form: "list" | "set" | "generator";
  elt: Expr;
  generators: ComprehensionFor[];
}
export interface DictComp extends Span { kind: "DictComp"; key: Expr; value: Expr; generators: ComprehensionFor[] }
export interface ComprehensionFor { target: Expr; iter: Expr; ifs: Expr[] }
export interface Starred extends Span { kind: "Starred"; value: Expr }
export interface NamedExpr extends Span { kind: "NamedExpr"; target: Name; value: Expr }
export interface Await extends Span { kind: "Await"; value: Expr }
export interface Yield extends Span { kind: "Yield"; value?: Expr; isFrom?: boolean }
/** An expression the parser could not make sense of; evaluating it yields an unknown value. */
export interface BadExpr extends Span { kind: "BadExpr"; text: string }

// ---------- statements ----------

export type Stmt =
  | ExprStmt
  | Assign
  | AugAssign
  | AnnAssign
  | FunctionDef
  | ClassDef
  | Return
  | If
  | For
  | While
  | Break
  | Continue
  | Pass
  | Import
  | ImportFrom
  | Raise
  | Assert
  | Try
  | With
  | Global
  | Nonlocal
  | Delete;

export interface ExprStmt extends Span { kind: "ExprStmt"; value: Expr }
/** `a = b = value`: several targets. Targets may be Name, Attribute, Subscript, Tuple/List (with Starred). */
export interface Assign extends Span { kind: "Assign"; targets: Expr[]; value: Expr }
export interface AugAssign extends Span { kind: "AugAssign"; target: Expr; op: BinOperator; value: Expr }
export interface AnnAssign extends Span { kind: "AnnAssign"; target: Expr; annotation: Expr; value?: Expr }
export interface Param {
  name: string;
  kind: "posonly" | "normal" | "vararg" | "kwonly" | "kwarg";
  default?: Expr;
  annotation?: Expr;
  span: Span;
}
export interface FunctionDef extends Span {
  kind: "FunctionDef";
  name: string;
  nameSpan: Span;
  params: Param[];
  body: Stmt[];
  decorators: Expr[];
  returns?: Expr;
  isAsync: boolean;
  /** True when the body contains `yield` (not counting nested functions). */
  isGenerator: boolean;
}
export interface ClassDef extends Span {
  kind: "ClassDef";
  name: string;
  nameSpan: Span;
  /** Base classes and keywords such as `metaclass=`. */
  bases: Arg[];
  body: Stmt[];
  decorators: Expr[];
}
export interface Return extends Span { kind: "Return"; value?: Expr }
/** `elif` chains become nested If statements in `orelse`. */
export interface If extends Span { kind: "If"; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface For extends Span { kind: "For"; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
export interface While extends Span { kind: "While"; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface Break extends Span { kind: "Break" }
export interface Continue extends Span { kind: "Continue" }
export interface Pass extends Span { kind: "Pass" }
/** `import a.b.c as d` -> names [{ name: "a.b.c", asname: "d" }]. */
export interface Import extends Span { kind: "Import"; names: ImportAlias[] }
/** `from ..pkg import x` -> module "pkg", level 2. `import *` -> names "*". */
export interface ImportFrom extends Span { kind: "ImportFrom"; module: string; level: number; names: ImportAlias[] | "*" }
export interface ImportAlias { name: string; asname?: string; span: Span }
export interface Raise extends Span { kind: "Raise"; exc?: Expr; cause?: Expr }
export interface Assert extends Span { kind: "Assert"; test: Expr; msg?: Expr }
export interface Try extends Span {
  kind: "Try";
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface ExceptHandler extends Span { type?: Expr; name?: string; body: Stmt[] }
export interface With extends Span { kind: "With"; items: { context: Expr; vars?: Expr }[]; body: Stmt[] }
export interface Global extends Span { kind: "Global"; names: string[] }
export interface Nonlocal extends Span { kind: "Nonlocal"; names: string[] }
export interface Delete extends Span { kind: "Delete"; targets: Expr[] }

export interface ParseProblem extends Span {
  message: string;
}

export interface Module {
  body: Stmt[];
  /** Syntax errors, each located; statements around them are still in `body`. */
  problems: ParseProblem[];
}
