// The bridge from the analyzer to each framework's stubs: recognising models and running them.

import type { ParamTotals, Shape } from "../ir/types";
import type { NativeContext, PyInstance, Value } from "../interp/values";
import { registerTorch, runTorchModel, isTorchModule, torchModuleClasses, torchParamTotals, uniqueModules } from "../frameworks/torch/index";
import { registerKeras, runKerasModel, isKerasModel } from "../frameworks/keras/index";

let registered = false;

export function ensureFrameworks(): void {
  if (registered) return;
  registered = true;
  registerTorch();
  registerKeras();
}

export function frameworkOf(v: Value): "pytorch" | "keras" | undefined {
  if (isTorchModule(v)) return "pytorch";
  if (isKerasModel(v)) return "keras";
  return undefined;
}

export interface ModelRun {
  inputs: string[];
  outputs: string[];
  paramTotals?: ParamTotals;
  moduleClasses?: Record<string, string>;
}

export function runModel(ctx: NativeContext, model: PyInstance, framework: "pytorch" | "keras", inputShapes: Shape[] | undefined): ModelRun {
  if (framework === "pytorch") {
    const r = runTorchModel(ctx, model, inputShapes ?? []);
    const modules = uniqueModules(model); // one walk of the module tree serves both
    return { ...r, paramTotals: torchParamTotals(model, modules), moduleClasses: torchModuleClasses(model, modules) };
  }
  return runKerasModel(ctx, model, inputShapes);
}

export function modelParamTotals(model: PyInstance, framework: "pytorch" | "keras"): ParamTotals {
  if (framework === "pytorch") return torchParamTotals(model);
  return { params: 0, trainableParams: 0, nonTrainableParams: 0, buffers: 0 };
}

const IMAGE_SIZES = [224, 32, 28, 64, 96, 128, 256, 299, 112, 512];

/**
 * Input shapes worth trying for a PyTorch model, from its first layer: a Conv2d with C input
 * channels suggests 1xCxSxS for the usual image sizes S; a Linear suggests 1xF.
 */
export function torchInputCandidates(ctx: NativeContext, model: PyInstance): number[][] {
  let first: PyInstance | undefined;
  try {
    const mods = ctx.iterate(ctx.call(ctx.getAttr(model, "modules"), []));
    first = mods.find((m): m is PyInstance => m.kind === "instance" && /^(Conv[123]d|Linear|Embedding|ConvTranspose2d)$/.test(m.cls.mro.find((c) => c.native)?.name ?? ""));
  } catch {
    first = undefined;
  }
  const intAttr = (m: PyInstance, name: string): number | undefined => {
    const v = m.dict.get(name) ?? ctx.getAttrOrUndefined(m, name);
    return v && v.kind === "int" ? v.v : undefined;
  };
  if (!first) return IMAGE_SIZES.map((s) => [1, 3, s, s]);
  const kind = first.cls.mro.find((c) => c.native)?.name;
  if (kind === "Linear") {
    const f = intAttr(first, "in_features");
    return f ? [[1, f]] : [];
  }
  if (kind === "Embedding") return [[1, 16], [1, 128]];
  const c = intAttr(first, "in_channels") ?? 3;
  if (kind === "Conv1d") return [1000, 224, 128, 32, 16000].map((l) => [1, c, l]);
  if (kind === "Conv3d") return [16, 32, 112].map((s) => [1, c, s, s, s]);
  return IMAGE_SIZES.map((s) => [1, c, s, s]);
}
