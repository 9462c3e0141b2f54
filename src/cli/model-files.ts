// Entry of dist/model-files.js: the saved-model loaders (ONNX, Keras, TF.js), kept out of dist/cli.js
// so that analysing Python never pays for loading them (h5wasm alone is megabytes).

export { analyzeFile } from "../formats/index";
