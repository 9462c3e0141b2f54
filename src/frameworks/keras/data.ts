// Keras's data plumbing in scripts (keras.datasets.*.load_data(), keras.utils.image_dataset_from_directory,
// ...): nothing is loaded, so each gives a value the analyzer cannot know. Unknown values unpack and
// flow on quietly, so a script's training set-up around a model adds no warnings.

import { type Value, builtin, unknown } from "../../interp/values";
import { makeModule } from "./harmless";

const notLoaded = (name: string): Value => builtin(name, () => unknown(`${name}() loads data, which static analysis does not`));

const DATASETS = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing", "california_housing"];

const UTILS_DATA = [
  "image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory",
  "timeseries_dataset_from_array", "load_img", "img_to_array", "array_to_img", "to_categorical",
  "get_file", "split_dataset", "pad_sequences",
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

