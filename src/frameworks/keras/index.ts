// Keras stubs: registers the keras / tensorflow modules and the KerasTensor protocol.

import { registerStubs } from "../registry";
import { registerTensorProtocol } from "../../interp/tensor-protocol";
import { stubTable } from "./modules";
import { kerasTensorProtocol } from "./protocol";

export { runKerasModel, isKerasModel } from "./run-model";
export { paramTotalsOf as kerasParamTotals } from "./totals";

let registered = false;

export function registerKeras(): void {
  if (registered) return;
  registered = true;
  registerStubs(stubTable());
  registerTensorProtocol("keras", kerasTensorProtocol);
}
