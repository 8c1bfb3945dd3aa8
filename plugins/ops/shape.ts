// The shape family: Reshape and SpecifyShape here; Shape, Shape_i, Size, Join and Split in
// shape_core.ts. `shapeFunctions` gathers the family's tensor functions.
import { Constant, disconnected, type GradTerm, Op, type Props, Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, sizeOf } from "../../core/ndarray.ts";
import { type Dim, type TensorType, fmtShape } from "../../core/types.ts";
import { mul } from "./elemwise.ts";
import { concatenate, shape, shapeI, size, stack, staticValues } from "./shape_core.ts";

// ── Reshape ─────────────────────────────────────────────────────────────────────────────────

/** Where `-1` goes: the one entry inferred from the element count. */
function resolveShape(opName: string, name: string, xShape: readonly number[], target: readonly number[]): number[] {
  const n = sizeOf(xShape);
  const free = target.indexOf(-1);
  const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = [...target];
  if (free >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new RangeError(`${opName}: cannot reshape ${name} with shape ${fmtShape(xShape)} (${n} elements) to ${fmtShape(target)}: ${known === 0 ? "the -1 is ambiguous next to a zero length" : `${n} is not a multiple of ${known}`}`);
    }
    out[free] = n / known;
  } else if (known !== n) {
    throw new RangeError(`${opName}: cannot reshape ${name} with shape ${fmtShape(xShape)} (${n} elements) to ${fmtShape(target)} (${known} elements)`);
  }
  return out;
}

function checkTargetEntries(opName: string, target: readonly Dim[]): void {
  if (target.filter((d) => d === -1).length > 1) throw new RangeError(`${opName}: the shape ${fmtShape(target)} has more than one -1`);
  const bad = target.find((d) => d !== null && (d < -1 || !Number.isInteger(d)));
  if (bad !== undefined) throw new RangeError(`${opName}: the shape ${fmtShape(target)} has an invalid length ${bad}`);
}

/** x with its elements laid out in a new shape, given as an int32 vector input (may hold one -1). */
export class Reshape extends Op {
  readonly name = "Reshape";
  /** How errors at run time name the input; not part of equality. */
  label = "the input";
  constructor(readonly ndim: number) {
    super();
  }
  override props(): Props {
    return { ndim: this.ndim };
  }
  make([x, shp]: readonly Variable[]): TensorType[] {
    if (shp.dtype !== "int32" || shp.ndim !== 1) throw new TypeError(`${this}: the shape must be an int32 vector, got ${shp.describe()} of dtype ${shp.dtype}`);
    if (shp.type.shape[0] !== null && shp.type.shape[0] !== this.ndim) {
      throw new RangeError(`${this}: the shape ${shp.describe()} has ${shp.type.shape[0]} entries, expected ${this.ndim}`);
    }
    const target = staticValues(shp) ?? Array<Dim>(this.ndim).fill(null);
    checkTargetEntries(String(this), target);
    const xs = x.type.shape;
    if (target.every((d) => d !== null) && xs.every((d) => d !== null)) {
      return [x.type.withShape(resolveShape(String(this), labelOf(x), xs as number[], target as number[]))];
    }
    return [x.type.withShape(target.map((d) => (d === -1 ? null : d)))];
  }
  perform([x, shp]: NDArray[]): NDArray[] {
    const target = Array.from(shp.data);
    if (target.length !== this.ndim) throw new RangeError(`${this}: got a shape with ${target.length} entries, expected ${this.ndim}`);
    checkTargetEntries(String(this), target);
    // a pure view: the data is shared
    return [x.reshape(resolveShape(String(this), this.label, x.shape, target))];
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [reshape(g!, shape(x)), disconnected];
  }
}

// ── SpecifyShape ────────────────────────────────────────────────────────────────────────────

/** Identity that asserts x's shape at run time and refines its static type. */
export class SpecifyShape extends Op {
  readonly name = "SpecifyShape";
  label = "the input";
  constructor(readonly shape: readonly Dim[]) {
    super();
  }
  override props(): Props {
    return { shape: [...this.shape] };
  }
  make([x]: readonly Variable[]): TensorType[] {
    if (x.ndim !== this.shape.length) {
      throw new RangeError(`SpecifyShape: ${x.describe()} has ${x.ndim} dimensions, the specified shape ${fmtShape(this.shape)} has ${this.shape.length}`);
    }
    const out = this.shape.map((d, i) => {
      const s = x.type.shape[i];
      if (d !== null && s !== null && d !== s) throw new RangeError(`SpecifyShape: ${x.describe()} cannot have shape ${fmtShape(this.shape)} (axis ${i})`);
      return d ?? s;
    });
    return [x.type.withShape(out)];
  }
  perform([x]: NDArray[]): NDArray[] {
    if (x.ndim !== this.shape.length || this.shape.some((d, i) => d !== null && d !== x.shape[i])) {
      throw new RangeError(`SpecifyShape: ${this.label} has shape ${fmtShape(x.shape)}, expected ${fmtShape(this.shape)}`);
    }
    return [new NDArray(x.dtype, x.shape, x.data)];
  }
  pullback(_i: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [new SpecifyShape(this.shape).call([g!])];
  }
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

function labelOf(v: Variable): string {
  return v.name !== undefined ? `'${v.name}'` : "the input";
}

export type ShapeSpec = number | readonly (number | Variable)[] | Variable;

/** An int32 vector from numbers (a constant) or a mix of numbers and int32 scalar variables. */
function shapeVector(spec: ShapeSpec): Variable {
  if (spec instanceof Variable) return spec;
  const entries = typeof spec === "number" ? [spec] : [...spec];
  if (entries.every((e) => typeof e === "number")) return new Constant(NDArray.from(entries as number[], "int32"));
  entries.forEach((e, i) => {
    if (e instanceof Variable && (e.ndim !== 0 || e.dtype !== "int32")) throw new TypeError(`reshape: shape entry ${i} ${e.describe()} must be an int32 scalar`);
  });
  return stack(entries.map((e) => (e instanceof Variable ? e : new Constant(NDArray.scalar(e, "int32")))));
}

/** x with a new shape: numbers (one may be -1), int32 scalars among them, or an int32 vector. */
export function reshape(x: Variable | ArrayLike, newShape: ShapeSpec, opts: { name?: string } = {}): Variable {
  const v = asVariable(x);
  const shp = shapeVector(newShape);
  if (shp.ndim !== 1 || shp.type.shape[0] === null) {
    throw new TypeError(`reshape: the shape ${shp.describe()} must be an int32 vector of static length (the result's rank)`);
  }
  const op = new Reshape(shp.type.shape[0]);
  op.label = labelOf(v);
  return op.call([v, shp], opts.name);
}

/** NumPy-like flatten: keep the first ndim-1 axes, merge the rest into one. */
export function flatten(x: Variable | ArrayLike, opts: { ndim?: number; name?: string } = {}): Variable {
  const v = asVariable(x);
  const nd = opts.ndim ?? 1;
  if (!Number.isInteger(nd) || nd < 1 || nd > Math.max(1, v.ndim)) {
    throw new RangeError(`flatten: ndim=${nd} is out of range for ${v.describe()} (1..${Math.max(1, v.ndim)})`);
  }
  const len = (i: number): number | Variable => v.type.shape[i] ?? shapeI(v, i);
  const lead = [...Array(nd - 1).keys()].map(len);
  const rest = [...Array(v.ndim).keys()].slice(nd - 1).map(len);
  // the merged length as a product (not -1), so zero-length leading axes stay unambiguous
  const known = rest.filter((d): d is number => typeof d === "number").reduce((p, d) => p * d, 1);
  let merged: number | Variable = known;
  for (const d of rest) if (d instanceof Variable) merged = merged === 1 ? d : mul(merged, d);
  return reshape(v, [...lead, merged], opts);
}

/** Assert x's shape at run time (null entries: any length) and refine its static type. */
export function specifyShape(x: Variable | ArrayLike, shp: readonly Dim[], opts: { name?: string } = {}): Variable {
  const v = asVariable(x);
  const op = new SpecifyShape(shp);
  op.label = labelOf(v);
  return op.call([v], opts.name);
}

export const shapeFunctions = { shape, shapeI, size, reshape, flatten, specifyShape, concatenate, stack };
