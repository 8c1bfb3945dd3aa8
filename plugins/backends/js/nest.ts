// Loop nests over an iteration space with affine typed-array accesses. Axes of extent 1 vanish
// and axes every access walks contiguously merge, so a same-shape elementwise op becomes one flat
// loop. Pure expressions are bound at the shallowest loop where they vary (hoisting broadcast
// operands out of inner loops); effects (stores, accumulations) run in the innermost loop.
import { type Source, UNROLLED, lit } from "./source.ts";

/** The innermost loop is written out as this many copies or fewer (short axes, e.g. 3 states). */
const UNROLL = 4;

/** A scalar expression over typed-array reads, registers and literals. */
export type Tree =
  | { readonly t: "lit"; readonly value: number }
  | { readonly t: "name"; readonly name: string }
  | { readonly t: "read"; readonly access: number }
  | { readonly t: "op"; readonly fmt: (args: string[]) => string; readonly args: readonly Tree[] };

interface Access {
  readonly buf: string;
  readonly offset: number;
  /** One stride per iteration axis, before collapsing; then one per loop level. */
  strides: number[];
  readonly prefix: string;
}

interface Stmt {
  readonly level: number;
  readonly pass: number;
  readonly code: string;
}

/**
 * Iteration space `extents`; the first `split` axes are outer (one result per point, e.g. the
 * kept axes of a reduction), the rest inner (visited once per pass, e.g. the reduced axes).
 */
export class LoopNest {
  private readonly accesses: Access[] = [];
  private readonly reads = new Map<string, Tree>();
  private extentsAt: number[] = [];
  /** Loop levels are 1..depth; levels 1..outer are outer. */
  private outer = 0;
  private finalized = false;
  private outerEmpty = false;
  private innerEmpty = false;

  readonly init: string[] = [];
  readonly final: string[] = [];
  private readonly passes: string[][] = [];
  private readonly between: string[][] = [];
  private readonly stmts: Stmt[] = [];
  private readonly memo: Map<Tree, { code: string; level: number }>[] = [];
  /** Deepest level each access's index is needed at, per region (-1 outer, else the pass). */
  private readonly need = new Map<number, number[]>();

  constructor(private readonly src: Source, readonly extents: readonly number[], readonly split = extents.length) {}

  /** Register a read or write of `buf[offset + Σ index·stride]`; returns its handle. */
  access(buf: string, offset: number, strides: readonly number[]): number {
    if (this.finalized) throw new Error("LoopNest: accesses must be registered before the body");
    // accesses walking alike (same offset and strides) share their position names
    const twin = this.accesses.find((a) => a.offset === offset && a.strides.every((s, i) => s === strides[i]));
    this.accesses.push({ buf, offset, strides: [...strides], prefix: twin?.prefix ?? this.src.fresh("p") });
    return this.accesses.length - 1;
  }

  /** A read of an access as a tree (what operand builders return); equal reads are one load. */
  read(buf: string, offset: number, strides: readonly number[]): Tree {
    const key = `${buf}@${offset}:${strides.join(",")}`;
    let tree = this.reads.get(key);
    if (!tree) this.reads.set(key, (tree = { t: "read", access: this.access(buf, offset, strides) }));
    return tree;
  }

  private finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    const outerAxes = this.collapse([...this.extents.keys()].slice(0, this.split));
    const innerAxes = this.collapse([...this.extents.keys()].slice(this.split));
    this.outerEmpty = outerAxes.empty;
    this.innerEmpty = innerAxes.empty;
    this.outer = outerAxes.levels.length;
    const levels = [...outerAxes.levels, ...innerAxes.levels];
    this.extentsAt = levels.map((l) => l.extent);
    this.accesses.forEach((a, k) => (a.strides = levels.map((l) => l.strides[k])));
  }

  /** Drop unit axes and merge neighbours that every access walks as one contiguous run. */
  private collapse(axes: number[]): { levels: { extent: number; strides: number[] }[]; empty: boolean } {
    if (axes.some((a) => this.extents[a] === 0)) return { levels: [], empty: true };
    const levels: { extent: number; strides: number[] }[] = [];
    for (const a of axes) {
      const e = this.extents[a];
      if (e === 1) continue;
      const strides = this.accesses.map((x) => x.strides[a]);
      const prev = levels[levels.length - 1];
      if (prev && prev.strides.every((s, k) => s === strides[k] * e)) {
        prev.extent *= e;
        prev.strides = strides;
      } else levels.push({ extent: e, strides });
    }
    return { levels, empty: false };
  }

  private get depth(): number {
    return this.extentsAt.length;
  }

  /** Deepest loop level at which an access's position changes (0: loop-invariant). */
  private levelOf(a: number, upTo = this.depth): number {
    const s = this.accesses[a].strides;
    for (let l = upTo; l >= 1; l--) if (s[l - 1] !== 0) return l;
    return 0;
  }

  /** The name of an access's position after loop `l`: the loop index itself when they coincide. */
  private name(a: number, l: number): string {
    const x = this.accesses[a];
    const plain = x.offset === 0 && x.strides[l - 1] === 1 && this.levelOf(a, l - 1) === 0;
    return plain ? `i${l}` : `${x.prefix}_${l}`;
  }

  /** The index expression of an access valid at `level`, recording which base offsets it needs. */
  private index(a: number, level: number, pass: number): string {
    const l = this.levelOf(a, level);
    if (l === 0) return String(this.accesses[a].offset);
    if (this.name(a, l) === `i${l}`) return `i${l}`;
    const region = l > this.outer ? pass : -1;
    const needs = this.need.get(a) ?? [];
    needs[region + 1] = Math.max(needs[region + 1] ?? 0, l);
    this.need.set(a, needs);
    return this.name(a, l);
  }

  /** An expression for `tree` in `pass`, bound to a const at the shallowest level it varies at. */
  value(tree: Tree, pass = 0): string {
    this.finalize();
    return this.eval(tree, pass).code;
  }

  /** Post-order over the tree with an explicit stack: fused chains can be thousands of steps deep. */
  private eval(root: Tree, pass: number): { code: string; level: number } {
    const memo = (this.memo[pass] ??= new Map());
    const stack: Tree[] = [root];
    while (stack.length) {
      const tree = stack[stack.length - 1];
      if (memo.has(tree)) {
        stack.pop();
        continue;
      }
      if (tree.t === "op") {
        const pending = tree.args.filter((a) => !memo.has(a));
        if (pending.length) {
          stack.push(...pending);
          continue;
        }
      }
      stack.pop();
      memo.set(tree, this.evalNode(tree, memo, pass));
    }
    return memo.get(root)!;
  }

  private evalNode(tree: Tree, memo: Map<Tree, { code: string; level: number }>, pass: number): { code: string; level: number } {
    if (tree.t === "lit") return { code: lit(tree.value), level: 0 };
    if (tree.t === "name") return { code: tree.name, level: 0 };
    if (tree.t === "read") {
      const level = this.levelOf(tree.access);
      return this.bind(`${this.accesses[tree.access].buf}[${this.index(tree.access, level, pass)}]`, level, pass);
    }
    const args = tree.args.map((x) => memo.get(x)!);
    return this.bind(tree.fmt(args.map((x) => x.code)), Math.max(0, ...args.map((x) => x.level)), pass);
  }

  private bind(code: string, level: number, pass: number): { code: string; level: number } {
    const name = this.src.fresh("t");
    this.stmts.push({ level, pass, code: `const ${name} = ${code};` });
    return { code: name, level };
  }

  /** The index of an access in the innermost loop of `pass` ("outer": at the split level). */
  at(access: number, pass: number | "outer" = 0): string {
    this.finalize();
    return pass === "outer" ? this.index(access, this.outer, -1) : this.index(access, this.depth, pass);
  }

  /** Statements run once per inner iteration of `pass`, after its expressions. */
  effect(pass: number, ...code: string[]): void {
    this.finalize();
    (this.passes[pass] ??= []).push(...code);
  }
  /** Statements between inner pass `pass` and the next (at the split level). */
  after(pass: number, ...code: string[]): void {
    (this.between[pass] ??= []).push(...code);
  }

  emit(depth: number): void {
    this.finalize();
    if (this.outerEmpty) return;
    const line = (d: number, s: string) => this.src.line(d, s);
    const npass = Math.max(this.passes.length, this.between.length);
    // with no inner iterations the passes never run: their hoisted reads could be past the end
    const outerStmt = (s: Stmt) => s.level <= this.outer && !this.innerEmpty;
    const defs = (l: number, d: number, region: number) => {
      const defined = new Set<string>();
      this.accesses.forEach((a, k) => {
        const s = a.strides[l - 1];
        if (s === 0 || defined.has(a.prefix)) return;
        const needs = this.need.get(k) ?? [];
        const deepest = region < 0 ? Math.max(0, ...needs.filter((x) => x !== undefined)) : (needs[region + 1] ?? 0);
        if (deepest < l || this.name(k, l) === `i${l}`) return;
        const prevL = this.levelOf(k, l - 1);
        const prev = prevL === 0 ? (a.offset === 0 ? "" : `${a.offset} + `) : `${this.name(k, prevL)} + `;
        defined.add(a.prefix);
        line(d, `const ${a.prefix}_${l} = ${prev}i${l}${s === 1 ? "" : ` * ${s}`};`);
      });
    };
    /**
     * Loop level l around `body`; the innermost level, when short, as copies with i_l fixed (the
     * body is written once, marked, and copied when the source is assembled: see Source.text).
     */
    const loop = (l: number, d: number, body: (d: number) => void) => {
      const e = this.extentsAt[l - 1];
      if (l === this.depth && e <= UNROLL) {
        line(d, `{ const i${l} = ${UNROLLED}${e};`);
        body(d + 1);
        line(d, "}");
        return;
      }
      line(d, `for (let i${l} = 0; i${l} < ${e}; i${l}++) {`);
      body(d + 1);
      line(d, "}");
    };
    const inner = (p: number, l: number, d: number) => {
      if (l > this.depth) {
        for (const c of this.passes[p] ?? []) line(d, c);
        return;
      }
      loop(l, d, (d1) => {
        defs(l, d1, p);
        for (const s of this.stmts) if (s.pass === p && s.level === l) line(d1, s.code);
        inner(p, l + 1, d1);
      });
    };
    const outer = (l: number, d: number) => {
      if (l >= 1) defs(l, d, -1);
      for (const s of this.stmts) if (s.level === l && outerStmt(s)) line(d, s.code);
      if (l < this.outer) {
        loop(l + 1, d, (d1) => outer(l + 1, d1));
        return;
      }
      for (const c of this.init) line(d, c);
      for (let p = 0; p < npass; p++) {
        if (!this.innerEmpty) inner(p, this.outer + 1, d);
        for (const c of this.between[p] ?? []) line(d, c);
      }
      for (const c of this.final) line(d, c);
    };
    outer(0, depth);
  }
}
