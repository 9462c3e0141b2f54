// Keras's and TensorFlow's data plumbing in scripts (keras.datasets.*.load_data(),
// keras.utils.image_dataset_from_directory, keras.preprocessing.image.load_img, tf.data.Dataset, ...):
// nothing is loaded, so each gives a value the analyzer cannot know. Unknown values unpack and flow on
// quietly, so a script's training set-up around a model adds no warnings; code that needs their
// contents (a loop over a dataset's batches) is skipped with one warning naming the dataset.

import { type PyModule, type Value, OBJECT_CLASS, builtin, int, nativeClass, unknown } from "../../interp/values";
import { makeModule } from "./harmless";

const notLoaded = (name: string): Value => builtin(name, () => unknown(`${name}() loads data, which static analysis does not`));

const DATASETS = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing", "california_housing"];

const IMAGE_DATA = ["load_img", "img_to_array", "array_to_img"];
const SEQUENCE_DATA = ["pad_sequences"];

const UTILS_DATA = [
  "image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory",
  "timeseries_dataset_from_array", ...IMAGE_DATA, "to_categorical", "get_file", "split_dataset", ...SEQUENCE_DATA,
];

/** keras.datasets: each dataset module's load_data() is unknown. */
export function datasetsMembers(): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const d of DATASETS) {
    out[d] = makeModule(`keras.datasets.${d}`, { load_data: notLoaded(`keras.datasets.${d}.load_data`), get_word_index: notLoaded(`keras.datasets.${d}.get_word_index`) });
  }
  return out;
}

/** The data loaders of keras.utils (the rest of it stays harmless). */
export function utilsDataMembers(): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of UTILS_DATA) out[f] = notLoaded(`keras.utils.${f}`);
  return out;
}

/**
 * keras.preprocessing: the loaders at its top (as keras.utils has them) and in its image and sequence
 * submodules (`from keras.preprocessing.image import load_img`); the rest of each is harmless.
 */
export function preprocessingSubmodules(): Record<string, PyModule> {
  const pick = (names: string[]) => Object.fromEntries(names.map((f) => [f, notLoaded(`keras.preprocessing.${f}`)]));
  return {
    image: makeModule("keras.preprocessing.image", pick(IMAGE_DATA), true),
    sequence: makeModule("keras.preprocessing.sequence", pick(SEQUENCE_DATA), true),
    text: makeModule("keras.preprocessing.text", {}, true),
  };
}

/** A tf.data builder: the dataset it makes holds data the analyzer does not load. */
const dataset = (name: string): Value => builtin(name, () => unknown(`${name}() makes a dataset, whose elements static analysis does not load`));

const DATASET_BUILDERS = [
  "from_tensor_slices", "from_tensors", "from_generator", "range", "zip", "list_files", "load", "sample_from_datasets",
  "choose_from_datasets", "random", "counter", "load_from_disk",
];

/**
 * tf.data: every dataset (Dataset.from_tensor_slices(...), TFRecordDataset(...)) is unknown, so its
 * methods chain quietly and iterating it names the dataset; AUTOTUNE is TensorFlow's -1.
 */
export function tfDataModule(): PyModule {
  const members: Record<string, Value> = {};
  for (const b of DATASET_BUILDERS) members[b] = dataset(`tf.data.Dataset.${b}`);
  const Dataset = nativeClass("Dataset", "tensorflow.data", [OBJECT_CLASS], members);
  const readers: Record<string, Value> = {};
  for (const r of ["TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset"]) readers[r] = dataset(`tf.data.${r}`);
  return makeModule("tensorflow.data", {
    Dataset,
    ...readers,
    AUTOTUNE: int(-1),
    experimental: makeModule("tensorflow.data.experimental", { AUTOTUNE: int(-1) }, true),
  }, true);
}
