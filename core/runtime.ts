// The dependency-injected runtime: typed tokens, one child container per runtime, plugins that
// fill its registries, and the `pt` / `pm` facades bound to it.
import "reflect-metadata";
import { container as rootContainer, type DependencyContainer, inject, injectable, type InjectionToken } from "tsyringe";
import { Variable, type Givens } from "./graph.ts";
import type { ArrayLike, NDArray } from "./ndarray.ts";
import { FunctionRegistry, Registry } from "./registry.ts";
import { RewriteRegistry } from "./rewrite/engine.ts";
import type { Backend } from "./backend.ts";
import { compileFunction, type CompiledFunction, type FnOptions } from "./compile.ts";
import { ancestors, cloneReplace, graphInputs, toposort } from "./walk.ts";
import { dprint } from "./print.ts";
import { FunctionGraph } from "./fgraph.ts";

export interface Plugin {
  readonly name: string;
  /** Plugins that must be registered first (by name). */
  readonly requires?: readonly string[];
  register(rt: Runtime): void;
}

export interface Settings {
  /** Backend used by `fn` when no mode is given: the fastest registered one. */
  defaultMode?: string;
}

export const Tokens = {
  ptFunctions: Symbol("tensorloom.pt") as InjectionToken<FunctionRegistry>,
  pmFunctions: Symbol("tensorloom.pm") as InjectionToken<FunctionRegistry>,
  rewrites: Symbol("tensorloom.rewrites") as InjectionToken<RewriteRegistry>,
  backends: Symbol("tensorloom.backends") as InjectionToken<Registry<Backend>>,
  distributions: Symbol("tensorloom.distributions") as InjectionToken<Registry<unknown>>,
  samplers: Symbol("tensorloom.samplers") as InjectionToken<Registry<unknown>>,
  bridgeRuntimes: Symbol("tensorloom.bridgeRuntimes") as InjectionToken<Registry<unknown>>,
  settings: Symbol("tensorloom.settings") as InjectionToken<Settings>,
} as const;

/** Compiles graphs with the rewrites and backends of the container it is resolved from. */
@injectable()
export class Compiler {
  constructor(
    @inject(Tokens.backends) private readonly backends: Registry<Backend>,
    @inject(Tokens.rewrites) private readonly rewrites: RewriteRegistry,
    @inject(Tokens.settings) private readonly settings: Settings,
  ) {}

  fn<O extends Variable | readonly Variable[]>(inputs: readonly Variable[], outputs: O, opts?: FnOptions) {
    return compileFunction({ backends: this.backends, rewrites: this.rewrites, defaultMode: () => this.defaultMode() }, inputs, outputs, opts);
  }

  defaultMode(): string {
    const m = this.settings.defaultMode ?? (this.backends.has("js") ? "js" : "interp");
    return m;
  }
}

/** The functions every runtime's `pt` has before any plugin adds ops. */
export interface CorePt {
  fn<O extends Variable | readonly Variable[]>(inputs: readonly Variable[], outputs: O, opts?: FnOptions): CompiledFunction<O extends Variable ? NDArray : NDArray[]>;
  dprint: typeof dprint;
  graphInputs: typeof graphInputs;
  ancestors: typeof ancestors;
  toposort: typeof toposort;
  cloneReplace(outputs: readonly Variable[], replace: ReadonlyMap<Variable, Variable> | [Variable, Variable][]): Variable[];
  FunctionGraph: typeof FunctionGraph;
  /** Evaluate `v` given values for (some of) the variables it depends on. */
  evaluate(v: Variable, givens?: Givens, opts?: FnOptions): NDArray;
}

export class Runtime<P extends object = CorePt, M extends object = Record<string, unknown>> {
  readonly container: DependencyContainer;
  readonly pt: P;
  readonly pm: M;
  readonly plugins: string[] = [];
  private readonly evalCache = new WeakMap<Variable, Map<string, (...a: ArrayLike[]) => NDArray>>();

  constructor(parent: DependencyContainer = rootContainer) {
    this.container = parent.createChildContainer();
    const ptFacade: Record<string, unknown> = {};
    const pmFacade: Record<string, unknown> = {};
    const c = this.container;
    c.register(Tokens.ptFunctions, { useValue: new FunctionRegistry("pt function", ptFacade) });
    c.register(Tokens.pmFunctions, { useValue: new FunctionRegistry("pm function", pmFacade) });
    c.register(Tokens.rewrites, { useValue: new RewriteRegistry() });
    c.register(Tokens.backends, { useValue: new Registry<Backend>("backend") });
    c.register(Tokens.distributions, { useValue: new Registry<unknown>("distribution") });
    c.register(Tokens.samplers, { useValue: new Registry<unknown>("sampler") });
    c.register(Tokens.bridgeRuntimes, { useValue: new Registry<unknown>("bridge runtime") });
    c.register(Tokens.settings, { useValue: {} });
    c.registerSingleton(Compiler);
    const compiler = c.resolve(Compiler);
    const core: CorePt = {
      fn: (inputs, outputs, opts) => compiler.fn(inputs, outputs, opts),
      dprint,
      graphInputs,
      ancestors,
      toposort,
      cloneReplace: (outs, rep) => cloneReplace(outs, rep instanceof Map ? rep : new Map(rep as [Variable, Variable][])),
      FunctionGraph,
      evaluate: (v, givens = {}, opts) => this.evaluate(v, givens, opts),
    };
    Object.assign(ptFacade, core);
    this.pt = ptFacade as P;
    this.pm = pmFacade as M;
  }

  get ops(): FunctionRegistry {
    return this.container.resolve(Tokens.ptFunctions);
  }
  get pmFunctions(): FunctionRegistry {
    return this.container.resolve(Tokens.pmFunctions);
  }
  get rewrites(): RewriteRegistry {
    return this.container.resolve(Tokens.rewrites);
  }
  get backends(): Registry<Backend> {
    return this.container.resolve(Tokens.backends);
  }
  get distributions(): Registry<unknown> {
    return this.container.resolve(Tokens.distributions);
  }
  get samplers(): Registry<unknown> {
    return this.container.resolve(Tokens.samplers);
  }
  get bridgeRuntimes(): Registry<unknown> {
    return this.container.resolve(Tokens.bridgeRuntimes);
  }
  get settings(): Settings {
    return this.container.resolve(Tokens.settings);
  }
  get compiler(): Compiler {
    return this.container.resolve(Compiler);
  }

  use(...plugins: Plugin[]): this {
    for (const p of plugins) {
      if (this.plugins.includes(p.name)) throw new Error(`plugin '${p.name}' is already registered in this runtime`);
      for (const r of p.requires ?? []) {
        if (!this.plugins.includes(r)) throw new Error(`plugin '${p.name}' requires plugin '${r}', which is not registered before it`);
      }
      p.register(this as unknown as Runtime);
      this.plugins.push(p.name);
    }
    return this;
  }

  /** `v.eval(givens)`: givens keyed by Variable (Map) or by variable name; compiled once, cached. */
  evaluate(v: Variable, givens: Givens = {}, opts: FnOptions = {}): NDArray {
    const pairs = resolveGivens(v, givens);
    const inputs = pairs.map(([k]) => k);
    const key = `${inputs.map((i) => i.id).join(",")}|${opts.mode ?? ""}`;
    let byKey = this.evalCache.get(v);
    if (!byKey) this.evalCache.set(v, (byKey = new Map()));
    let f = byKey.get(key);
    if (!f) {
      f = this.compiler.fn(inputs, v, { name: `${v}.eval`, ...opts });
      byKey.set(key, f);
    }
    return f(...pairs.map(([, val]) => val));
  }
}

function resolveGivens(v: Variable, givens: Givens): [Variable, ArrayLike][] {
  if (givens instanceof Map) return [...givens.entries()];
  const all = ancestors([v]);
  return Object.entries(givens).map(([name, val]) => {
    const hits = all.filter((x) => x.name === name);
    if (hits.length === 0) throw new Error(`eval: no variable named '${name}' in the graph of ${v}`);
    if (hits.length > 1) throw new Error(`eval: ${hits.length} variables are named '${name}' in the graph of ${v}; pass a Map keyed by the variable`);
    return [hits[0], val];
  });
}

export function createRuntime<P extends object = CorePt, M extends object = Record<string, unknown>>(
  opts: { plugins?: readonly Plugin[]; settings?: Settings; parent?: DependencyContainer } = {},
): Runtime<P, M> {
  const rt = new Runtime<P, M>(opts.parent);
  Object.assign(rt.settings, opts.settings ?? {});
  rt.use(...(opts.plugins ?? []));
  return rt;
}
