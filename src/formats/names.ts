// Which file names are saved models: kept free of the loaders so hosts can check a name cheaply.

export const MODEL_FILE_GLOBS = ["**/*.onnx", "**/*.keras", "**/*.h5", "**/*.hdf5", "**/model.json"];

export function isModelFileName(name: string): boolean {
  return /\.(onnx|keras|h5|hdf5)$/i.test(name) || /(^|[\\/])model\.json$/i.test(name);
}
