// The bridge from the analyzer to each framework's stubs: recognising models and running them.

import type { ParamTotals, Shape, SourceSite } from "../ir/types";
import type { NativeContext, PyInstance, Value } from "../interp/values";
import { registerTorch, runTorchModel, isTorchModule, torchModuleClasses, torchModuleState, torchParamTotals, uniqueModules } from "../frameworks/torch/index";
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

/** Where a PyTorch model object was constructed (`nn.Sequential(...)`), when the stubs recorded it. */
export function modelCreatedAt(model: PyInstance): SourceSite | undefined {
  return isTorchModule(model) ? torchModuleState(model).created : undefined;
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
export function torchInputCandidates(ctx: NativeContext, model: PyInstance): { shapes: number[][]; hint?: string } {
  let mods: PyInstance[] = [];
  try {
    mods = ctx.iterate(ctx.call(ctx.getAttr(model, "modules"), [])).filter((m): m is PyInstance => m.kind === "instance");
  } catch {
    mods = [];
  }
  const kindOf = (m: PyInstance) => m.cls.mro.find((c) => c.native)?.name ?? "";
  const first = mods.find((m) => /^(Conv[123]d|Linear|Embedding|ConvTranspose2d)$/.test(kindOf(m)));
  const intAttr = (m: PyInstance, name: string): number | undefined => {
    const v = m.dict.get(name) ?? ctx.getAttrOrUndefined(m, name);
    return v && v.kind === "int" ? v.v : undefined;
  };
  if (!first) return { shapes: IMAGE_SIZES.map((s) => [1, 3, s, s]) };
  const kind = kindOf(first);
  if (kind === "Linear") {
    const f = intAttr(first, "in_features");
    return { shapes: f ? [[1, f]] : [] };
  }
  if (kind === "Embedding") return { shapes: [[1, 16], [1, 128]] };
  const c = intAttr(first, "in_channels") ?? 3;
  if (kind === "Conv1d") return { shapes: [1000, 224, 128, 32, 16000].map((l) => [1, c, l]) };
  if (kind === "Conv3d") return { shapes: [16, 32, 112].map((s) => [1, c, s, s, s]) };
  const last = mods.filter((m) => kindOf(m) === "Linear").pop();
  const classes = last ? intAttr(last, "out_features") : undefined;
  if (kind === "Conv2d" && c === 3 && isCifarStem(ctx, first) && (classes === 10 || classes === 100)) {
    // ImageNet stems downsample at once (7x7 or 3x3, stride 2); CIFAR nets keep 32x32 through a
    // 3x3 stride-1 stem. With a 10- or 100-class head that is the likelier size, even when an
    // adaptive pool would let 224 run too.
    return { shapes: [32, ...IMAGE_SIZES.filter((s) => s !== 32)].map((s) => [1, c, s, s]), hint: `its 3x3 stride-1 stem and ${classes}-class head look like a CIFAR model` };
  }
  return { shapes: IMAGE_SIZES.map((s) => [1, c, s, s]) };
}

function isCifarStem(ctx: NativeContext, conv: PyInstance): boolean {
  const pair = (name: string) => {
    const v = ctx.getAttrOrUndefined(conv, name);
    return v?.kind === "tuple" ? v.items.map((x) => (x.kind === "int" ? x.v : NaN)) : v?.kind === "int" ? [v.v, v.v] : [];
  };
  const k = pair("kernel_size");
  const s = pair("stride");
  return k[0] === 3 && k[1] === 3 && s[0] === 1 && s[1] === 1;
}
