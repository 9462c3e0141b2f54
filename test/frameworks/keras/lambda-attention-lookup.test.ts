// Lambda runs its function on the symbolic input (keras-io DDIM's sinusoidal embedding: 1,953,507
// params, was 1,943,525); Attention / AdditiveAttention with Keras's weights and shapes (Perceiver);
// StringLookup / IntegerLookup / TextVectorization with adapt() and a vocabulary_size() known from a
// literal vocabulary (CTC ASR's Dense(char_to_num.vocabulary_size() + 1)).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeKeras } from "./helpers";

const IMPORTS = `import math\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers`;

const run = (body: string, entry = "model") => analyzeKeras(IMPORTS, body, entry);

test("a Lambda's function runs on the symbolic input; its ops are scoped under the Lambda", () => {
  const r = run(`
def sinusoidal_embedding(x):
    frequencies = tf.exp(tf.linspace(tf.math.log(1.0), tf.math.log(1000.0), 4))
    angular_speeds = 2.0 * math.pi * frequencies
    return tf.concat([tf.sin(angular_speeds * x), tf.cos(angular_speeds * x)], axis=3)

inputs = keras.Input(shape=(1, 1, 1))
e = layers.Lambda(sinusoidal_embedding, output_shape=(1, 1, 8))(inputs)
s = layers.Lambda(lambda t, k: t * k, arguments={"k": 2.0})(e)
model = keras.Model(inputs, layers.Conv2D(4, 1)(s))
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 1, 1, 4]]);
  assert.equal(r.ir.paramTotals.params, 8 * 4 + 4);
  assert.deepEqual(r.node("concatenate")?.scope, "lambda");
  assert.deepEqual(r.node("multiply_2")?.scope, "lambda_1");
});

test("a Lambda whose function cannot be analysed is an opaque node of its output_shape, or says it assumes the input's", () => {
  const r = run(`
import mystery

inputs = keras.Input(shape=(8,))
a = layers.Lambda(mystery.transform, output_shape=(3,))(inputs)
b = layers.Lambda(mystery.transform)(inputs)
model = keras.Model(inputs, [a, b])
`);
  assert.deepEqual(r.warnings, [
    "The function of Lambda 'lambda_1' could not be analysed: it returned a value the analyzer cannot know (the result of calling mystery.transform); its output shape is assumed equal to its input's. Pass output_shape=... to state it.",
  ]);
  assert.deepEqual(r.output, [[null, 3], [null, 8]]);
  assert.deepEqual([r.node("lambda")?.category, r.node("lambda_1")?.category], ["opaque", "opaque"]);
});

test("Attention and AdditiveAttention: the query's positions with the value's features, and Keras's scale weights", () => {
  const r = run(`
q = keras.Input(shape=(4, 16))
v = keras.Input(shape=(10, 8))
k = keras.Input(shape=(10, 16))
dot = layers.Attention(use_scale=True, dropout=0.1)([q, v, k])
plain, scores = layers.Attention()([q, k], return_attention_scores=True)
concat = layers.Attention(use_scale=True, score_mode="concat")([q, k])
additive = layers.AdditiveAttention()([q, v, k])
model = keras.Model([q, v, k], [dot, plain, scores, concat, additive])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 4, 8], [null, 4, 16], [null, 4, 10], [null, 4, 16], [null, 4, 8]]);
  // scale (); none; scale () + concat_score_weight (); a scale vector of the query's 16 features.
  assert.deepEqual(["attention", "attention_1", "attention_2", "additive_attention"].map((n) => r.node(n)?.params), [1, 0, 2, 16]);
  assert.equal(r.ir.paramTotals.params, 19);
  // Scores (4 x 10 x 16) and the weighted sum of values (4 x 10 x 8), per sample.
  assert.equal(r.node("attention")?.macs, 4 * 10 * 16 + 4 * 10 * 8);
});

test("lookup layers: adapt() does nothing, vocabulary_size() is known from a literal vocabulary", () => {
  const r = run(`
characters = [x for x in "abcdefghijklmnopqrstuvwxyz'?! "]
char_to_num = keras.layers.StringLookup(vocabulary=characters, oov_token="")
num_to_char = keras.layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True)
assert char_to_num.vocabulary_size() == 31 and num_to_char.vocabulary_size() == 32
ids = keras.layers.IntegerLookup(vocabulary=[3, 5, 7], mask_token=0)
assert ids.vocabulary_size() == 5 and ids.get_vocabulary() == [0, -1, 3, 5, 7]
vectorizer = layers.TextVectorization(max_tokens=1000, output_sequence_length=12)
vectorizer.adapt(["some text", "more text"])
size = vectorizer.vocabulary_size()
tokens = vectorizer(["a sentence"])

inputs = keras.Input(shape=(16,))
words = keras.Input(shape=(1,), dtype="string")
model = keras.Model([inputs, words], [layers.Dense(char_to_num.vocabulary_size() + 1)(inputs), vectorizer(words), ids(inputs)])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 32], [null, 12], [null, 16]]);
  assert.equal(r.ir.paramTotals.params, 16 * 32 + 32);
});
