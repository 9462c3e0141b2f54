// Keras files written from code for the tests and the bench.
//
// `.keras` (Keras 3 "v3" archive): a zip of config.json, metadata.json and model.weights.h5. The
// config.json we generate follows Keras 3's serialize_keras_object schema:
//   {"module": "keras", "class_name": "Functional", "registered_name": "Functional",
//    "config": {"name", "trainable", "layers": [...], "input_layers", "output_layers"}}
// each layer {"module": "keras.layers", "class_name", "registered_name": null, "name",
//   "config": {... "dtype": {"module": "keras", "class_name": "DTypePolicy", ...}, initializers as
//   {"module": "keras.initializers", "class_name", "config", "registered_name": null}},
//   "build_config": {"input_shape"}, "inbound_nodes": [{"args": [<keras tensor or list>], "kwargs": {}}]}
// where a keras tensor is {"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer, node, tensor]}},
// InputLayer configs use "batch_shape", and a single input/output endpoint is written flat (["image", 0, 0]).
//
// `.h5` (Keras 2 HDF5): root attributes model_config (Keras 2 JSON: class_name "Functional",
// inbound_nodes [[[layer, node, tensor, {}]]], InputLayer "batch_input_shape"), keras_version,
// backend, and a model_weights group with one real dataset the loader must never read.

import { zipSync, strToU8 } from "fflate";

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const dtype = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };

function k3Value(v: J): J {
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.class_name === "string" && "config" in v) {
    return { module: "keras.initializers", class_name: v.class_name, config: v.config, registered_name: null };
  }
  return v;
}

/** Keras 2 / TF.js topology {class_name, config} -> Keras 3 config.json object. */
export function toKeras3(topology: J): J {
  const cfg = topology.config;
  const shapes = new Map<string, J>();
  const tensor = (ref: J[]) => ({ class_name: "__keras_tensor__", config: { shape: shapes.get(ref[0]) ?? null, dtype: "float32", keras_history: [ref[0], ref[1], ref[2]] } });
  const layers = (cfg.layers as J[]).map((l) => {
    const c: J = {};
    for (const [k, v] of Object.entries(l.config)) c[k] = k === "dtype" ? dtype : k.endsWith("_initializer") ? k3Value(v) : v;
    if (l.class_name === "InputLayer") {
      c.batch_shape = c.batch_input_shape;
      delete c.batch_input_shape;
      shapes.set(l.name, c.batch_shape);
    }
    const inbound = (l.inbound_nodes as J[][]).map((node) => ({
      args: [node.length === 1 ? tensor(node[0]) : node.map(tensor)],
      kwargs: {},
    }));
    return { module: "keras.layers", class_name: l.class_name, config: c, registered_name: null, build_config: { input_shape: null }, name: l.name, inbound_nodes: inbound };
  });
  const flat = (ends: J[][]) => (ends.length === 1 ? ends[0] : ends);
  return {
    module: "keras",
    class_name: topology.class_name === "Sequential" ? "Sequential" : "Functional",
    config: { name: cfg.name, trainable: true, layers, input_layers: flat(cfg.input_layers), output_layers: flat(cfg.output_layers) },
    registered_name: "Functional",
  };
}

/** Keras 3 Sequential config.json: an explicit InputLayer first, then the layers. */
export function toKeras3Sequential(topology: J): J {
  const layers = (topology.config.layers as J[]).map((l, i) => {
    const c: J = { ...l.config, dtype };
    delete c.batch_input_shape;
    return { module: "keras.layers", class_name: l.class_name, config: c, registered_name: null, build_config: { input_shape: null }, ...(i === 0 ? {} : {}) };
  });
  const first = topology.config.layers[0].config.batch_input_shape;
  const input = { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: first, dtype: "float32", sparse: false, name: "input_layer" }, registered_name: null };
  return { module: "keras", class_name: "Sequential", config: { name: topology.config.name, trainable: true, dtype, layers: [input, ...layers] }, registered_name: null };
}

/** The .keras zip; `weightsBytes` stands in for model.weights.h5 (never inflated by the loader). */
export function kerasZip(config: J, weightsBytes: Uint8Array = new Uint8Array(1024)): Uint8Array {
  return zipSync({
    "metadata.json": strToU8(JSON.stringify({ keras_version: "3.3.3", date_saved: "2024-05-01@12:00:00" })),
    "config.json": strToU8(JSON.stringify(config, null, 2)),
    "model.weights.h5": [weightsBytes, { level: 0 }],
  });
}

let counter = 0;

/** A Keras 2 HDF5 file with `model_config` (and a weights group of `weightFloats` floats). */
export async function kerasH5(configK2: J, weightFloats = 1000): Promise<Uint8Array> {
  const h5 = await import("h5wasm");
  await h5.ready;
  const path = `/fixture-${++counter}.h5`;
  const f = new h5.File(path, "w");
  f.create_attribute("model_config", JSON.stringify(configK2));
  f.create_attribute("keras_version", "2.15.0");
  f.create_attribute("backend", "tensorflow");
  const g = f.create_group("model_weights");
  g.create_dataset({ name: "weights", data: new Float32Array(weightFloats), shape: [weightFloats] });
  f.close();
  const FS = h5.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

/** tfjs writes class_name "Model"; tf.keras 2.4+ writes "Functional". */
export function asKeras2(topology: J): J {
  return { ...topology, class_name: topology.class_name === "Model" ? "Functional" : topology.class_name };
}
