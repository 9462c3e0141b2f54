// Name resolution: function scopes chain to their defining scope, then to the module's globals,
// then to builtins. Class bodies get a scope of their own that functions defined inside skip.

import type { Value } from "./values";

export class Scope {
  readonly vars: Map<string, Value>;
  /** Names declared `global` / `nonlocal` in this scope. */
  globals?: Set<string>;
  nonlocals?: Set<string>;

  constructor(
    readonly parent: Scope | null,
    readonly module: Scope | null,
    readonly isClass = false,
    vars?: Map<string, Value>,
  ) {
    this.vars = vars ?? new Map();
  }

  lookup(name: string): Value | undefined {
    const own = this.vars.get(name);
    if (own !== undefined) return own;
    // A class body's names are not visible from nested scopes, but are from the body itself.
    let s = this.parent;
    while (s) {
      if (!s.isClass) {
        const v = s.vars.get(name);
        if (v !== undefined) return v;
      }
      s = s.parent;
    }
    return undefined;
  }

  /** Where an assignment to `name` lands. */
  target(name: string): Scope {
    if (this.globals?.has(name) && this.module) return this.module;
    if (this.nonlocals?.has(name)) {
      let s = this.parent;
      while (s && s !== this.module) {
        if (!s.isClass && s.vars.has(name)) return s;
        s = s.parent;
      }
    }
    return this;
  }

  /** The scope a function defined here closes over: class bodies are skipped. */
  closureScope(): Scope {
    let s: Scope = this;
    while (s.isClass && s.parent) s = s.parent;
    return s;
  }
}
