// Frameworks that must know when model code calls a method directly: PyTorch code that calls
// `self.attention.forward(x)` instead of `self.attention(x)` is still inside that module, so its nodes
// belong to the module's scope. A hook sees the bound call and may return what undoes its effect.

import type { NativeContext, PyFunction, Value } from "./values";

export type MethodCallHook = (ctx: NativeContext, self: Value, fn: PyFunction) => (() => void) | undefined;

export const methodCallHooks: MethodCallHook[] = [];

export function onMethodCall(hook: MethodCallHook): void {
  if (!methodCallHooks.includes(hook)) methodCallHooks.push(hook);
}
