// Keras stubs: registers the keras / tensorflow modules and the KerasTensor protocol.

import { registerStarExports, registerStubs } from "../registry";
import { KERAS_STAR_EXPORTS } from "./star-exports";
import { registerTensorProtocol } from "../../interp/tensor-protocol";
import { stubTable } from "./modules";
import { kerasTensorProtocol } from "./protocol";
import { TENSOR_CLASSES } from "../../interp/types";
import { OBJECT_CLASS, nativeClass } from "../../interp/values";

/** type(x) of a KerasTensor, so messages name it ('KerasTensor' object has no attribute ...). */
const KERAS_TENSOR_CLASS = nativeClass("KerasTensor", "keras", [OBJECT_CLASS], {});

export { runKerasModel, isKerasModel } from "./run-model";
export { paramTotalsOf as kerasParamTotals } from "./totals";

let registered = false;

export function registerKeras(): void {
  if (registered) return;
  registered = true;
  registerStubs(stubTable());
  registerStarExports(KERAS_STAR_EXPORTS);
  registerTensorProtocol("keras", kerasTensorProtocol);
  TENSOR_CLASSES.set("keras", KERAS_TENSOR_CLASS);
}
