// An instance of a class the analyzer does not model (timm's DropPath or Mlp), called on a tensor
// inside a PyTorch model: an opaque node that passes the input shape through, so residual branches
// and depth survive. Such a layer may hold weights the analyzer cannot count, so its node is marked
// `paramsUnknown` and the totals say they are a lower bound.

import { type NativeContext, type PyClass, type PyInstance, type PyTensor, type Value, TRUE, builtin, nativeClass, unknown } from "../../interp/values";
import { currentScope, moduleState } from "./state";
import { tensorValue } from "./nodes";
import { MODULE_CLASS } from "./module";
import { warnOncePerClass } from "../../interp/unknown-calls";

export function unknownLayerNode(ctx: NativeContext, className: string, x: PyTensor): PyTensor {
  const message = `Unknown layer class '${className}': shown as an opaque node whose output is assumed to have its input's shape; its parameters, if any, are not counted, and a shape error after it may come from that assumption.`;
  warnOncePerClass(ctx, className, message);
  const op = className.slice(className.lastIndexOf(".") + 1);
  const scope = currentScope(ctx);
  const id = ctx.graph.addNode(
    {
      op,
      category: "opaque",
      name: op,
      attrs: {},
      inputs: [x],
      shape: [...x.shape],
      macs: 0,
      scope,
      opaque: message,
      paramsUnknown: true,
      assumesShapeOf: className,
      idHint: scope ? `${scope}/${op}` : op,
    },
    ctx.site(),
  );
  return tensorValue([...x.shape], id);
}

const placeholders = new Map<string, PyClass>();

/**
 * A module standing for an instance of an unmodelled class put into a container (`nn.ModuleList([Mlp(...)
 * for _ in range(2)])`), which takes modules only: it holds the container's place, and applied it is
 * the same opaque node.
 */
export function unmodelledModule(ctx: NativeContext, className: string): PyInstance {
  let cls = placeholders.get(className);
  if (!cls) {
    const name = className.slice(className.lastIndexOf(".") + 1);
    cls = nativeClass(name, className.slice(0, Math.max(0, className.lastIndexOf("."))), [MODULE_CLASS], {
      forward: builtin(`${name}.forward`, (args, kwargs, c) => {
        const x = [...args.slice(1), ...kwargs.values()].find((v): v is PyTensor => v.kind === "tensor");
        return x ? unknownLayerNode(c, className, x) : unknown(`The output of the unknown layer class '${className}' cannot be determined.`);
      }),
    });
    placeholders.set(className, cls);
  }
  const self = ctx.newInstance(cls);
  const st = moduleState(self);
  st.created = ctx.site();
  st.makesNode = true;
  self.dict.set("training", TRUE);
  return self;
}

/** An entry a container is given: an unmodelled class's instance becomes its placeholder module. */
export function placeholderFor(ctx: NativeContext, v: Value): Value {
  return v.kind === "unknown" && v.instanceOf !== undefined ? unmodelledModule(ctx, v.instanceOf) : v;
}
