// The text of one generated function, and the values its closure holds (buffers, constants,
// special functions, ops to fall back on). Built once per shape signature with `new Function`.
import type { DType } from "../../../core/types.ts";
import { type Code, type Snippet, type Template, alike, callOf, codeOf, kernelOf, template } from "./outline.ts";

/** A number as JS source that reads back bit-identically (NaN, ±Infinity and −0 included). */
export function lit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}

/** What storing into a typed array of `dtype` does to a double, as an expression on `x`. */
export function convert(dtype: DType, x: string): string {
  switch (dtype) {
    case "float64": return x;
    case "float32": return `Math.fround(${x})`;
    case "int32": return `(${x} | 0)`;
    case "bool": return `(${x} & 255)`;
  }
}

/**
 * Marks a block to be written out as copies: `{ const i = @@3;` … `}` becomes three blocks with
 * i = 0, 1, 2. Emitting (and outlining) the body once keeps that work a third. (No letters: the
 * outliner must not take the mark for a name.)
 */
export const UNROLLED = "@@";

/** A marked block's first line (a comment that happens to contain the mark is not one). */
const MARKED = /^(\s*)(\{ const [\w$]+ = )@@(\d+);$/;

/** Lines with every marked block written out as its copies. */
export function unrolled(lines: readonly string[]): readonly string[] {
  if (!lines.some((l) => l.includes(UNROLLED))) return lines;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].includes(UNROLLED) ? MARKED.exec(lines[i]) : null;
    if (!m) {
      out.push(lines[i]);
      continue;
    }
    const [, indent, head, n] = m;
    let end = i + 1;
    while (end < lines.length && lines[end] !== `${indent}}`) end++;
    if (end === lines.length) throw new Error(`js backend: the marked block at "${lines[i].trim()}" has no end`);
    for (let u = 0; u < Number(n); u++) out.push(`${indent}${head}${u};`, ...lines.slice(i + 1, end + 1));
    i = end;
  }
  return out;
}

/** Past this much source one function would be too large for V8 to optimize: start another. */
const SEGMENT_CHARS = 24_000;

/** Between nodes: a place where the function may be cut into two. */
const CUT = null;
/** One node's loops, to be written inline or, where the same code recurs, as a kernel call. */
interface Block {
  readonly block: readonly string[];
  /** Its code and comments (its shape is the cheap first test for code that recurs). */
  readonly code: Code;
}
type Item = string | Block | typeof CUT;

/**
 * The generated code: closure bindings, kernels, then the compiled function. The loops of a node
 * that recur (up to names) become one kernel called at each place (see outline.ts). Long graphs
 * are cut (between nodes) into several functions called in turn; values defined in one and read
 * in a later one travel through two closure arrays (numbers and objects), found by scanning each
 * segment's names.
 */
export class Source {
  private readonly items: Item[] = [];
  /** Locals holding node values, with the item defining them (candidates for passing on). */
  private readonly locals = new Map<string, { kind: "num" | "obj"; item: number }>();
  private readonly values: unknown[] = [];
  private readonly names: string[] = [];
  private readonly byName = new Map<string, unknown>();
  private readonly byValue = new Map<unknown, string>();
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  /** The outlined blocks by the shape of their code: only shapes met twice can become kernels. */
  private readonly byShape = new Map<string, Block[]>();

  /** A new identifier `${prefix}${n}`, unique in this function. */
  fresh(prefix: string): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return this.claim(`${prefix}${n}`);
  }

  /** Pass `value` into the closure under a readable name; one name per distinct value. */
  closure(value: unknown, hint: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    // bare hints must not look like generated locals (t3, i1, …)
    let base = hint.replace(/[^A-Za-z0-9_$]/g, "_");
    if (!/^[A-Za-z_$]/.test(base) || /^[a-z]\d*$/.test(base)) base = `k_${base}`;
    let name = base;
    while (this.used.has(name)) {
      const n = (this.counters.get(`${base}_`) ?? 0) + 1;
      this.counters.set(`${base}_`, n);
      name = `${base}_${n}`;
    }
    this.claim(name);
    this.values.push(value);
    this.names.push(name);
    this.byName.set(name, value);
    this.byValue.set(value, name);
    return name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`js backend: identifier ${name} generated twice`);
    this.used.add(name);
    return name;
  }

  line(depth: number, text: string): void {
    this.items.push("  ".repeat(depth + 1) + text);
  }

  /** `name` (a top-level const) holds a node's value: a number, or an object (array, NDArray). */
  local(name: string, kind: "num" | "obj"): void {
    // the cut finds locals as a prefix and a number (see crossings): fresh() names are such
    if (!/^[A-Za-z_$]+\d+$/.test(name)) throw new Error(`js backend: local ${name} is not a fresh() name`);
    if (!this.locals.has(name)) this.locals.set(name, { kind, item: this.items.length });
  }

  /** Called between nodes: the function may be cut here when it grows long. */
  maybeCut(): void {
    this.items.push(CUT);
  }

  /** Where the next line goes: mark a node's code, to outline it afterwards. */
  mark(): number {
    return this.items.length;
  }

  /** The lines since `mark` are one node's code: a kernel call wherever the same code recurs. */
  outline(mark: number): void {
    const lines = this.items.slice(mark);
    // (short loops are written out, so code with a marked block is a loop too)
    if (lines.length === 0 || !lines.every((l): l is string => typeof l === "string") || !lines.some((l) => l.includes("for (") || l.includes(UNROLLED))) return;
    // code that recurs up to names differs only in the numbers of its names: a cheap first key
    const block: Block = { block: lines, code: codeOf(lines) };
    this.items.splice(mark, lines.length, block);
    const sameShape = this.byShape.get(block.code.shape);
    if (sameShape) sameShape.push(block);
    else this.byShape.set(block.code.shape, [block]);
    for (const l of this.locals.values()) if (l.item > mark) l.item = mark;
  }

  /** Each recurring block's snippet (null: it stays inline), with how often each snippet occurs. */
  private snippets(): { of: Map<Block, Snippet>; count: Map<string, number> } {
    const kindOf = (name: string): string => {
      const local = this.locals.get(name);
      if (local) return local.kind;
      const v = this.byName.get(name);
      return v !== null && typeof v === "object" ? v.constructor.name : typeof v;
    };
    const isLocal = (name: string) => this.locals.has(name);
    const of = new Map<Block, Snippet>(), count = new Map<string, number>();
    for (const blocks of this.byShape.values()) {
      if (blocks.length < 2) continue;
      // the first block of a shape that outlines is analysed; the others are checked against it
      let t: Template | null = null;
      for (const b of blocks) {
        let snip = t ? alike(t, b.code, isLocal, kindOf) : undefined;
        if (snip === undefined) {
          const mine = template(b.code, isLocal, kindOf);
          t ??= mine;
          snip = mine?.snippet;
        }
        if (!snip) continue;
        of.set(b, snip);
        count.set(snip.key, (count.get(snip.key) ?? 0) + 1);
      }
    }
    return { of, count };
  }

  /** The source of the factory's body. */
  text(fnName: string, params: string): string {
    const { of, count } = this.snippets();
    const kernels = new Map<string, string>();
    const kernelDefs: string[] = [];
    // each item as lines; cut into segments of about SEGMENT_CHARS at the cut points
    const segs: string[][] = [[]];
    const segOf: number[] = [];
    let chars = 0;
    for (const it of this.items) {
      segOf.push(segs.length - 1);
      if (it === CUT) {
        if (chars >= SEGMENT_CHARS) {
          segs.push([]);
          chars = 0;
        }
        continue;
      }
      let lines: readonly string[];
      const snip = typeof it === "string" ? undefined : of.get(it);
      if (typeof it === "string") lines = [it];
      else if (snip === undefined || count.get(snip.key)! < 2) lines = unrolled(it.block);
      else {
        let fn = kernels.get(snip.key);
        if (fn === undefined) {
          kernels.set(snip.key, (fn = `$kernel${kernels.size}`));
          kernelDefs.push(kernelOf({ ...snip, body: unrolled(snip.body) }, fn));
        }
        lines = callOf(snip, fn);
      }
      for (const l of lines) {
        segs[segs.length - 1].push(l);
        chars += l.length + 1;
      }
    }
    // (code emitted outside a node's mark, if any, has its marked blocks written out here)
    segs.forEach((lines, i) => {
      const written = unrolled(lines);
      if (written !== lines) segs[i] = [...written];
    });
    const segmentOf = (name: string) => segOf[this.locals.get(name)!.item] ?? segs.length - 1;
    const bindings = [...this.names.map((n, i) => `const ${n} = K[${i}];`), ...kernelDefs].join("\n");
    if (segs.length === 1) return `"use strict";\n${bindings}\nreturn function ${fnName}(${params}) {\n${segs[0].join("\n")}\n};`;
    const { imports, exports, nums, objs } = this.crossings(segs, segmentOf);
    const fns = segs.map((lines, i) => {
      const body = [...imports[i].map((x) => `  ${x}`), ...lines, ...exports[i].map((x) => `  ${x}`)];
      return `function ${fnName}_${i}(${params}) {\n${body.join("\n")}\n}`;
    });
    const calls = segs.map((_, i) => (i === segs.length - 1 ? `  return ${fnName}_${i}(${params});` : `  if ((r = ${fnName}_${i}(${params})) !== undefined) return r;`));
    return [`"use strict";`, bindings, `const NUM = new Float64Array(${nums});`, `const OBJ = new Array(${objs});`, ...fns,
      `return function ${fnName}(${params}) {\n  let r;\n${calls.join("\n")}\n};`].join("\n");
  }

  /** Which locals each segment must load from (imports) or store for later (exports). */
  private crossings(segs: string[][], segmentOf: (name: string) => number) {
    const imports: string[][] = segs.map(() => []), exports: string[][] = segs.map(() => []);
    const slot = new Map<string, string>();
    let nums = 0, objs = 0;
    // locals are a prefix and a number (x3, v12): only such words can name one
    const prefixes = new Set([...this.locals.keys()].map((n) => n.replace(/\d+$/, "")));
    const word = new RegExp(`\\b(?:${[...prefixes].join("|")})\\d+\\b`, "g");
    segs.forEach((lines, i) => {
      const names = new Set(lines.join("\n").match(word) ?? []);
      for (const name of names) {
        const def = this.locals.get(name);
        if (!def || segmentOf(name) === i) continue;
        let at = slot.get(name);
        if (at === undefined) {
          at = def.kind === "num" ? `NUM[${nums++}]` : `OBJ[${objs++}]`;
          slot.set(name, at);
          exports[segmentOf(name)].push(`${at} = ${name};`);
        }
        imports[i].push(`const ${name} = ${at};`);
      }
    });
    return { imports, exports, nums, objs };
  }

  build<F>(fnName: string, params: string): { fn: F; source: string } {
    const source = this.text(fnName, params);
    const factory = new Function("K", source) as (k: unknown[]) => F;
    return { fn: factory(this.values), source };
  }
}
