// From a plan to one JS function: inputs are loaded, each node's lowering writes its loops (or
// its perform is called), and the outputs are returned as NDArrays over preallocated buffers.
import type { Apply, Variable } from "../../../core/graph.ts";
import { NDArray, allocData } from "../../../core/ndarray.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import { checkOutputs } from "../../../core/backend.ts";
import { type BufLoc, type Dims, type EmitContext, type Loc, type Scatter, isContiguous, iterStrides, kernelNames, rowMajor, sizeOfDims, treeOf } from "./lowering.ts";
import { LoopNest, type Tree } from "./nest.ts";
import { type Plan, resolve } from "./plan.ts";
import { type Step, schedule } from "./schedule.ts";
import { Source, convert } from "./source.ts";

/** One compiled shape signature: null from `run` means a discovered shape changed (respecialize). */
export interface Specialization {
  readonly run: (inputs: readonly NDArray[]) => NDArray[] | null;
  readonly source: string;
}

export function generate(fg: FunctionGraph, plan: Plan, label: string): Specialization {
  const g = new Codegen(fg, plan);
  g.body();
  const { fn, source } = g.src.build<Specialization["run"]>(label.replace(/[^A-Za-z0-9_$]/g, "_") || "compiled", "inputs");
  return { run: fn, source };
}

/** A node's op for a comment: long fused programs cut short. */
function brief(node: Apply): string {
  const s = String(node.op);
  return s.length <= 72 ? s : `${s.slice(0, 69)}…`;
}

class Codegen implements EmitContext {
  readonly src = new Source();
  readonly depth = 0;
  private readonly locs = new Map<Variable, Loc>();
  /** NDArray expressions already available for a variable (inputs, perform results, wrappers). */
  private readonly nds = new Map<Variable, string>();
  private readonly ndarray: string;
  /** While a fused group is emitted: its members' values as expressions in its loop. */
  private inline: Map<Variable, Tree> | null = null;
  /** Buffers this function allocated, with the variable each holds (never an input, a constant or a perform result). */
  private readonly owned = new Map<string, Variable>();

  constructor(private readonly fg: FunctionGraph, private readonly plan: Plan) {
    this.ndarray = this.src.closure(NDArray, "NDArray");
  }

  body(): void {
    this.fg.inputs.forEach((v, i) => this.loadInput(v, i));
    for (const step of schedule(this.fg, this.plan)) {
      const mark = this.src.mark();
      if ("node" in step) this.node(step.node);
      else this.group(step);
      this.src.outline(mark);
      this.src.maybeCut();
    }
    const mark = this.src.mark();
    const outs = this.fg.outputs.map((o) => this.nd(o));
    this.src.outline(mark);
    this.src.line(0, `return [${outs.join(", ")}];`);
  }

  private node(node: Apply): void {
    const outs = node.outputs.map((o) => `${o.dtype}${JSON.stringify(this.shape(o))}`).join(", ");
    this.src.line(0, `// ${brief(node)} → ${outs}`);
    const lw = this.plan.lowered.get(node);
    if (lw) lw.emit!(node, this);
    else this.perform(node);
  }

  /** Several nodes in one loop nest: elementwise values inline, stored only where read later. */
  private group({ group, shape, stored }: Extract<Step, { group: unknown }>): void {
    this.src.line(0, `// one loop over ${JSON.stringify(shape)}: ${group.map(brief).join(", ")}`);
    const nest = new LoopNest(this.src, shape, 0);
    const map = shape.map((_, i) => i);
    this.inline = new Map();
    const effects: (() => void)[] = [];
    for (const node of group) {
      const lw = this.plan.lowered.get(node)!, out = node.outputs[0];
      const asTree = treeOf(lw, node);
      if (asTree) {
        const t = asTree(node, this, map, nest);
        this.inline.set(out, out.dtype === "float64" ? t : { t: "op", fmt: ([a]) => convert(out.dtype, a), args: [t] });
        if (!stored.has(out)) continue;
        const buf = this.buffer(out), o = nest.access(buf.name, 0, rowMajor(shape));
        effects.push(() => nest.effect(0, `${buf.name}[${nest.at(o)}] = ${nest.value(t)};`));
        continue;
      }
      const q = { shapes: node.inputs.map((v) => this.shape(v)), known: node.inputs.map((v) => this.known(v)) };
      const kernel = lw.reduction?.(node, q);
      if (!kernel) {
        effects.push(this.scatter(node, lw.scatter!(node, q)!, map, nest));
        continue;
      }
      const x = this.tree(node.inputs[0], map, nest);
      const n = kernelNames(this.src);
      const name = this.src.fresh("v");
      nest.init.push(...kernel.init(n));
      effects.push(() => nest.effect(0, ...kernel.passes[0](nest.value(x), n)));
      nest.final.push(`const ${name} = ${convert(out.dtype, kernel.result(n))};`);
      this.define(out, { kind: "reg", name });
    }
    for (const e of effects) e();
    nest.emit(this.depth);
    this.inline = null;
  }

  /**
   * A scattering member of a group: its output is set up before the loop (zeros, or its initial
   * input copied or taken over in place), and each element of the scattered input is added (or
   * written) where it belongs; returns the effect to run in the loop.
   */
  private scatter(node: Apply, sc: Scatter, map: readonly number[], nest: LoopNest): () => void {
    const out = node.outputs[0], x = this.tree(node.inputs[sc.from], map, nest);
    let buf: BufLoc;
    if (sc.init === undefined) {
      buf = this.buffer(out);
      this.src.line(this.depth, `${buf.name}.fill(0);`);
    } else buf = this.updatable(node.inputs[sc.init], node);
    const at = sc.table
      ? nest.read(this.src.closure(sc.table, "offs"), 0, rowMajor(this.shape(node.inputs[sc.from])).map((s, i) => (map[i] < 0 ? 0 : s)))
      : null;
    const o = at ? -1 : nest.access(buf.name, 0, sc.strides!);
    return () => {
      const dst = at ? `${buf.name}[${nest.value(at)}]` : `${buf.name}[${nest.at(o)}]`;
      nest.effect(0, `${dst} ${sc.set ? "=" : "+="} ${nest.value(x)};`);
    };
  }

  private loadInput(v: Variable, i: number): void {
    const shape = this.shape(v);
    this.nds.set(v, `inputs[${i}]`);
    if (sizeOfDims(shape) === 1) {
      const name = this.src.fresh("x");
      this.src.local(name, "num");
      this.src.line(0, `const ${name} = inputs[${i}].data[0]; // ${v}`);
      this.locs.set(v, { kind: "reg", name });
    } else {
      const name = this.src.fresh("in");
      this.src.local(name, "obj");
      this.src.line(0, `const ${name} = inputs[${i}].data; // ${v}`);
      this.locs.set(v, { kind: "buf", name, offset: 0, strides: rowMajor(shape), length: sizeOfDims(shape) });
    }
  }

  /** A node without generated code: its op's perform, checked like the interpreter does. */
  private perform(node: Apply): void {
    this.performWith(node, node.op);
  }

  /** Like the perform fallback, but calling `impl` (a lowering's own runner for the node). */
  performWith(node: Apply, impl: { perform(inputs: NDArray[]): NDArray[] }): void {
    const op = this.src.closure(impl, node.op.name);
    const nodeRef = this.src.closure(node, "node");
    const check = this.src.closure(checkOutputs, "checkOutputs");
    const args = node.inputs.map((v) => this.nd(v));
    const r = this.src.fresh("r");
    this.src.local(r, "obj");
    this.src.line(0, `const ${r} = ${op}.perform([${args.join(", ")}]);`);
    this.src.line(0, `${check}(${nodeRef}, ${r});`);
    node.outputs.forEach((o, k) => {
      const shape = this.shape(o);
      if (this.plan.discovered.has(node) && shape.length > 0) {
        const differs = shape.map((d, ax) => `${r}[${k}].shape[${ax}] !== ${d}`).join(" || ");
        this.src.line(0, `if (${differs}) return null; // shape found by a run; another run may differ`);
      }
      this.nds.set(o, `${r}[${k}]`);
      const name = this.src.fresh(sizeOfDims(shape) === 1 ? "v" : "b");
      this.src.local(name, sizeOfDims(shape) === 1 ? "num" : "obj");
      if (sizeOfDims(shape) === 1) {
        this.src.line(0, `const ${name} = ${r}[${k}].data[0];`);
        this.locs.set(o, { kind: "reg", name });
      } else {
        this.src.line(0, `const ${name} = ${r}[${k}].data;`);
        this.locs.set(o, { kind: "buf", name, offset: 0, strides: rowMajor(shape), length: sizeOfDims(shape) });
      }
    });
  }

  // ── EmitContext ─────────────────────────────────────────────────────────────────────────

  shape(v: Variable): Dims {
    const s = this.plan.shapes.get(v);
    if (!s) throw new Error(`js backend: no shape planned for ${v.describe()}`);
    return s;
  }

  known(v: Variable): NDArray | undefined {
    return this.plan.known.get(resolve(this.plan, v));
  }

  loc(v: Variable): Loc {
    v = resolve(this.plan, v);
    const hit = this.locs.get(v);
    if (hit) return hit;
    const value = this.plan.known.get(v);
    if (!value) throw new Error(`js backend: ${v.describe()} is read before it is computed`);
    const loc: Loc = value.size === 1
      ? { kind: "lit", value: value.data[0] }
      : { kind: "buf", name: this.src.closure(value.data, "cdata"), offset: 0, strides: rowMajor(value.shape), length: value.size, data: value.data };
    this.locs.set(v, loc);
    this.nds.set(v, this.src.closure(value, "cst"));
    return loc;
  }

  define(v: Variable, loc: Loc): void {
    if (loc.kind === "reg") this.src.local(loc.name, "num");
    this.locs.set(v, loc);
  }

  buffer(v: Variable): BufLoc {
    const shape = this.shape(v);
    const data = allocData(v.dtype, sizeOfDims(shape));
    const loc: BufLoc = { kind: "buf", name: this.src.closure(data, "buf"), offset: 0, strides: rowMajor(shape), length: data.length, data };
    this.owned.set(loc.name, v);
    this.locs.set(v, loc);
    return loc;
  }

  reuse(v: Variable, reader: Apply): BufLoc | null {
    v = resolve(this.plan, v);
    const loc = this.locs.get(v), readers = this.plan.readers.get(v) ?? [];
    // only the buffer's own variable: a view's readers are not all of its buffer's readers
    if (!loc || loc.kind !== "buf" || this.owned.get(loc.name) !== v || readers.length !== 1 || readers[0] !== reader) return null;
    const shape = this.shape(v);
    if (loc.offset !== 0 || loc.length !== sizeOfDims(shape) || !isContiguous(loc, shape)) return null;
    // the reader writes its output there: the buffer is that output's now
    this.owned.set(loc.name, resolve(this.plan, reader.outputs[0]));
    return loc;
  }

  updatable(x: Variable, node: Apply): BufLoc {
    const out = node.outputs[0], inPlace = this.reuse(x, node);
    if (inPlace) {
      this.define(out, inPlace);
      return inPlace;
    }
    const buf = this.buffer(out), shape = this.shape(out), copy = new LoopNest(this.src, shape);
    const v = this.tree(x, shape.map((_, i) => i), copy);
    const o = copy.access(buf.name, 0, rowMajor(shape));
    copy.effect(0, `${buf.name}[${copy.at(o)}] = ${copy.value(v)};`);
    copy.emit(this.depth);
    return buf;
  }

  contiguous(v: Variable): Loc {
    v = resolve(this.plan, v);
    const loc = this.loc(v);
    if (loc.kind !== "buf" || isContiguous(loc, this.shape(v))) return loc;
    return this.copy(v, loc);
  }

  /** A strided view copied into a buffer of its own, which then stands for v. */
  private copy(v: Variable, from: BufLoc): BufLoc {
    const shape = this.shape(v);
    const nest = new LoopNest(this.src, shape);
    const map = shape.map((_, i) => i);
    const x = nest.read(from.name, from.offset, iterStrides(from, shape, map));
    const to = this.buffer(v);
    const o = nest.access(to.name, 0, rowMajor(shape));
    nest.effect(0, `${to.name}[${nest.at(o)}] = ${nest.value(x)};`);
    this.src.line(this.depth, `// contiguous copy of ${v}`);
    nest.emit(this.depth);
    return to;
  }

  tree(v: Variable, map: readonly number[], nest: LoopNest): Tree {
    v = resolve(this.plan, v);
    const member = this.inline?.get(v);
    if (member) return member;
    const node = v.owner;
    if (node && this.plan.absorbed.has(node)) {
      const inner = this.plan.lowered.get(node)!.tree!(node, this, map, nest);
      // the value an intermediate buffer would have held
      return v.dtype === "float64" ? inner : { t: "op", fmt: ([a]) => convert(v.dtype, a), args: [inner] };
    }
    const loc = this.loc(v);
    if (loc.kind === "lit") return { t: "lit", value: loc.value };
    if (loc.kind === "reg") return { t: "name", name: loc.name };
    return nest.read(loc.name, loc.offset, iterStrides(loc, this.shape(v), map));
  }

  // ── NDArrays for perform calls and outputs ──────────────────────────────────────────────

  /** An expression for v as an NDArray at this point of the function. */
  private nd(v: Variable): string {
    v = resolve(this.plan, v);
    const hit = this.nds.get(v);
    if (hit) return hit;
    const loc = this.loc(v);
    const hitAfterLoc = this.nds.get(v);
    if (hitAfterLoc) return hitAfterLoc;
    const shape = this.shape(v), size = sizeOfDims(shape);
    let expr: string;
    if (loc.kind !== "buf") {
      const wrap = new NDArray(v.dtype, shape);
      if (loc.kind === "lit") wrap.data.fill(loc.value);
      else if (size === 1) this.src.line(this.depth, `${this.src.closure(wrap.data, "wdata")}[0] = ${loc.name};`);
      else if (size > 1) this.src.line(this.depth, `${this.src.closure(wrap.data, "wdata")}.fill(${loc.name});`);
      expr = this.src.closure(wrap, "arr");
    } else if (!isContiguous(loc, shape)) {
      this.copy(v, loc);
      return this.nd(v);
    } else if (loc.data) {
      const whole = loc.offset === 0 && loc.length === size;
      expr = this.src.closure(new NDArray(v.dtype, shape, whole ? loc.data : loc.data.subarray(loc.offset, loc.offset + size)), "arr");
    } else {
      // a view of a per-call array (an input, a perform result): wrapped per call
      const whole = loc.offset === 0 && loc.length === size;
      const data = whole ? loc.name : `${loc.name}.subarray(${loc.offset}, ${loc.offset + size})`;
      expr = this.src.fresh("nd");
      this.src.local(expr, "obj");
      this.src.line(this.depth, `const ${expr} = new ${this.ndarray}("${v.dtype}", ${JSON.stringify(shape)}, ${data});`);
    }
    this.nds.set(v, expr);
    return expr;
  }
}
