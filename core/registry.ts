// Named registries that plugins fill; one set per runtime, never shared.

/** A map from names to entries with clear errors for duplicates and misses. */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  constructor(readonly kind: string) {}
  add(name: string, entry: T): this {
    if (this.entries.has(name)) throw new Error(`${this.kind} '${name}' is already registered in this runtime`);
    this.entries.set(name, entry);
    return this;
  }
  /** Replace or add, for plugins that deliberately override a standard entry. */
  set(name: string, entry: T): this {
    this.entries.set(name, entry);
    return this;
  }
  get(name: string): T {
    const e = this.entries.get(name);
    if (e === undefined) {
      throw new Error(`no ${this.kind} named '${name}' in this runtime (registered: ${[...this.entries.keys()].join(", ") || "none"})`);
    }
    return e;
  }
  tryGet(name: string): T | undefined {
    return this.entries.get(name);
  }
  has(name: string): boolean {
    return this.entries.has(name);
  }
  names(): string[] {
    return [...this.entries.keys()];
  }
  values(): T[] {
    return [...this.entries.values()];
  }
}

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => any;
type Ctor = abstract new (...args: never[]) => unknown;

/**
 * Tensor functions (`add`, `linalg.cholesky`, …) by dotted name, written through to the
 * runtime's facade object so `rt.pt.add` exists exactly when a plugin defined it.
 */
export class FunctionRegistry extends Registry<AnyFn> {
  constructor(kind: string, private readonly facade: Record<string, unknown>) {
    super(kind);
  }
  override add(name: string, fn: AnyFn): this {
    super.add(name, fn);
    const path = name.split(".");
    let target = this.facade;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]] = fn;
    return this;
  }
  /** Define many at once: `define({ add, sub }, "linalg")`. */
  define(fns: Record<string, AnyFn>, namespace?: string): this {
    for (const [k, f] of Object.entries(fns)) this.add(namespace ? `${namespace}.${k}` : k, f);
    return this;
  }
}

/** Lowerings keyed by op class; lookup walks the class chain so subclasses inherit. */
export class LoweringTable<L> {
  private readonly byClass = new Map<unknown, L>();
  add(opClass: Ctor, lowering: L): this {
    this.byClass.set(opClass, lowering);
    return this;
  }
  lookup(op: object): L | undefined {
    for (let p = Object.getPrototypeOf(op); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      const l = this.byClass.get(p.constructor);
      if (l !== undefined) return l;
    }
    return undefined;
  }
}
