// The vocabulary layers StringLookup, IntegerLookup and TextVectorization. Their vocabulary is
// learnt from data by adapt() (a no-op here) or given as a list; vocabulary_size() and
// get_vocabulary() know it only in the second case, so a model sized by them (keras-io's CTC ASR:
// Dense(char_to_num.vocabulary_size() + 1)) builds, and is exact when the list is literal. Applied
// to data rather than to a symbolic tensor, they give an unknown: their output is data.

import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type Value, NONE, builtin, int, list, str, unknown } from "../../interp/values";
import { toInt, toStr } from "../../interp/args";
import { type BuiltinApply, type BuiltinResult } from "./builtin-def";
import { flattenTensors, isWeightTensor } from "./emit";
import { LayerClass, defineLayer } from "./layer-class";
import { layerState } from "./layer-state";
import { skippedOperand } from "./protocol";

type Kind = "StringLookup" | "IntegerLookup" | "TextVectorization";

interface Vocabulary {
  /** The special entries before the vocabulary proper: the mask token, then the OOV tokens. */
  special: Value[];
  /** The vocabulary as given, or undefined until one is given as a list. */
  tokens?: Value[];
}

const vocabularies = new WeakMap<PyInstance, Vocabulary>();

/** A vocabulary given as a Python list/tuple; a file path or anything else leaves it unknown. */
function tokensOf(ctx: NativeContext, v: Value | undefined): Value[] | undefined {
  if (!v || (v.kind !== "list" && v.kind !== "tuple")) return undefined;
  return ctx.iterate(v);
}

/**
 * The special tokens Keras puts first: StringLookup/IntegerLookup a mask token when one is given and
 * `num_oov_indices` OOV tokens; TextVectorization (int mode) "" and "[UNK]".
 */
function specialTokens(ctx: NativeContext, kind: Kind, a: Record<string, Value | undefined>): Value[] {
  if (kind === "TextVectorization") return [str(""), str("[UNK]")];
  const mask = a.mask_token && a.mask_token.kind !== "none" ? [a.mask_token] : [];
  const oov = a.oov_token ?? (kind === "StringLookup" ? str("[UNK]") : int(-1));
  const n = toInt(ctx, a.num_oov_indices, "num_oov_indices", 1);
  return [...mask, ...new Array<Value>(n).fill(oov)];
}

function sizeOf(vocab: Vocabulary | undefined): number | null {
  return vocab?.tokens ? vocab.special.length + vocab.tokens.length : null;
}

/** The output for a symbolic input: ids of the input's shape, or one column per vocabulary entry. */
function applyLookup(x: BuiltinApply, kind: Kind): BuiltinResult {
  const s = x.shapes[0];
  const mode = x.cfg.output_mode as string;
  const size = sizeOf(vocabularies.get(x.layer));
  const attrs = { vocabulary_size: size };
  if (mode === "int") {
    if (kind !== "TextVectorization") return { shape: s, attrs };
    // Strings in, token ids out: (batch,) or (batch, 1) becomes (batch, output_sequence_length).
    return { shape: [s[0], (x.cfg.output_sequence_length as number | null) ?? null], attrs };
  }
  const width = (x.cfg.max_tokens as number | null) ?? size;
  if (mode === "one_hot" && kind !== "TextVectorization") return { shape: s[s.length - 1] === 1 ? [...s.slice(0, -1), width] : [...s, width], attrs };
  return { shape: [s[0], width], attrs };
}

const ARGS: Record<Kind, string[]> = {
  StringLookup: ["max_tokens=", "num_oov_indices=", "mask_token=", "oov_token=", "vocabulary=", "idf_weights=", "invert=", "output_mode=", "pad_to_max_tokens=", "sparse=", "encoding="],
  IntegerLookup: ["max_tokens=", "num_oov_indices=", "mask_token=", "oov_token=", "output_mode=", "sparse=", "vocabulary=", "vocabulary_dtype=", "idf_weights=", "invert="],
  TextVectorization: ["max_tokens=", "standardize=", "split=", "ngrams=", "output_mode=", "output_sequence_length=", "pad_to_max_tokens=", "vocabulary=", "idf_weights=", "sparse=", "ragged=", "encoding="],
};

/** Called on data (strings, arrays, a dataset's items) rather than a symbolic tensor: the result is data too. */
function lookupCall(kind: Kind): Value {
  return builtin("__call__", (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const x = args[1] ?? kwargs.get("inputs") ?? NONE;
    if (flattenTensors(x).some((t) => !isWeightTensor(t))) return ctx.call(LayerClass.dict.get("__call__")!, args, kwargs);
    const st = layerState(ctx, args[0] as PyInstance);
    return skippedOperand(x) ?? unknown(`the output of ${kind} '${st.name}' on data, which static analysis does not run`);
  });
}

function lookupLayer(kind: Kind): PyClass {
  const methods: Record<string, Value> = {
    __call__: lookupCall(kind),
    // The vocabulary comes from data: nothing to learn without it.
    adapt: builtin("adapt", () => NONE),
    set_vocabulary: builtin("set_vocabulary", (args, kwargs, ctx) => {
      const vocab = vocabularies.get(args[0] as PyInstance);
      if (vocab) vocab.tokens = tokensOf(ctx, args[1] ?? kwargs.get("vocabulary"));
      return NONE;
    }),
    vocabulary_size: builtin("vocabulary_size", (args, _kw, ctx) => {
      const self = args[0] as PyInstance;
      const size = sizeOf(vocabularies.get(self));
      return size === null ? unknown(`the vocabulary size of ${kind} '${layerState(ctx, self).name}', which adapt() learns from data`) : int(size);
    }),
    get_vocabulary: builtin("get_vocabulary", (args, kwargs, ctx) => {
      const self = args[0] as PyInstance;
      const vocab = vocabularies.get(self);
      if (!vocab?.tokens) return unknown(`the vocabulary of ${kind} '${layerState(ctx, self).name}', which adapt() learns from data`);
      const special = args[1] ?? kwargs.get("include_special_tokens");
      return list([...(special && !ctx.truthy(special) ? [] : vocab.special), ...vocab.tokens]);
    }),
  };
  return defineLayer({
    className: kind,
    category: "math",
    args: ARGS[kind],
    configure(ctx, a, self) {
      const vocab: Vocabulary = { special: specialTokens(ctx, kind, a), tokens: tokensOf(ctx, a.vocabulary) };
      vocabularies.set(self, vocab);
      const maxTokens = a.max_tokens && a.max_tokens.kind !== "none" ? toInt(ctx, a.max_tokens, "max_tokens") : null;
      const seqLen = a.output_sequence_length && a.output_sequence_length.kind !== "none" ? toInt(ctx, a.output_sequence_length, "output_sequence_length") : null;
      return {
        output_mode: toStr(ctx, a.output_mode, "output_mode", "int"),
        max_tokens: maxTokens,
        ...(kind === "TextVectorization" ? { output_sequence_length: seqLen } : {}),
      };
    },
    apply: (x) => applyLookup(x, kind),
    methods,
  });
}

export function lookupLayers(): Record<string, PyClass> {
  return {
    StringLookup: lookupLayer("StringLookup"),
    IntegerLookup: lookupLayer("IntegerLookup"),
    TextVectorization: lookupLayer("TextVectorization"),
  };
}
