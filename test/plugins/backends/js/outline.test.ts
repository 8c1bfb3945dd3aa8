// Outlining: which emitted code becomes a kernel, and how its names become parameters.
import { strict as assert } from "node:assert";
import { alike, callOf, codeOf, kernelOf, template, toSnippet } from "../../../../plugins/backends/js/outline.ts";
import { UNROLLED, unrolled } from "../../../../plugins/backends/js/source.ts";
import { pt } from "../../../../mod.ts";

const loop = (src: string, dst: string, scale: string) => [
  "  // one loop over [3]",
  "  for (let i1 = 0; i1 < 3; i1++) {",
  `    const t4 = ${src}[i1];`,
  `    const t5 = Math.exp(t4 * ${scale} + 1e-5);`,
  `    ${dst}[i1] = t5;`,
  "  }",
];
const locals = new Set(["v0", "v1", "v7"]);
const kind = (name: string) => (locals.has(name) ? "num" : "Float64Array");
const snip = (lines: string[]) => toSnippet(lines, (n) => locals.has(n), kind);

describe("js backend: outlining", () => {
  it("gives code that differs only in names one key, and turns the names it reads into parameters", () => {
    const a = snip(loop("buf_1", "buf_2", "v0"))!, b = snip(loop("cdata_3", "buf_9", "v1"))!;
    assert.equal(a.key, b.key);
    assert.deepEqual(a.args, ["buf_1", "v0", "buf_2"]);
    assert.deepEqual(b.args, ["cdata_3", "v1", "buf_9"]);
    const fn = kernelOf(a, "$kernel0");
    // properties, globals and number literals stay; loop-local names become canonical
    assert.match(fn, /^function \$kernel0\(\$P0, \$P1, \$P2\) \{/);
    assert.match(fn, /Math\.exp\(\$L\d \* \$P1 \+ 1e-5\)/);
    assert.doesNotMatch(fn, /buf_1|v0|t4|\/\//);
    assert.deepEqual(callOf(b, "$kernel0"), ["  // one loop over [3]", "  $kernel0(cdata_3, v1, buf_9);"]);
    // the same code over an array of another kind is another kernel (call sites stay monomorphic)
    const c = toSnippet(loop("buf_1", "buf_2", "v0"), (n) => locals.has(n), (n) => (n === "buf_2" ? "Float32Array" : kind(n)))!;
    assert.notEqual(c.key, a.key);
  });

  it("returns the one value the code defines for later code, and keeps other code inline", () => {
    const sum = ["  let acc0 = 0;", "  for (let i1 = 0; i1 < 4; i1++) {", "    acc0 += buf_3[i1];", "  }", "  const v7 = acc0;"];
    const s = snip(sum)!;
    assert.equal(s.ret, "v7");
    assert.match(kernelOf(s, "k"), /return \$L\d;\n\}$/);
    assert.deepEqual(callOf(s, "k"), ["  const v7 = k(buf_3);"]);
    assert.equal(snip(["  const v0 = x1 * 2;"]), null, "no loop");
    assert.equal(snip([...sum, "  const v1 = acc0 + 1;"]), null, "two values defined for later");
    assert.equal(snip(["  for (let i1 = 0; i1 < 2; i1++) {", '    w[i1] = new NDArray("float64", [2], b0);', "  }"]), null, "a string literal");
    assert.equal(snip(["  for (let i1 = 0; i1 < 2; i1++) {", "    if (b0[i1] !== 2) return null;", "  }"]), null, "an early return");
  });

  it("keeps inline any code that breaks its naming assumptions (rather than miscompiling it)", () => {
    const body = (first: string, stmt: string) => [first, "  for (let i1 = 0; i1 < 4; i1++) {", `    ${stmt}`, "  }"];
    assert.ok(snip(body("  let acc0 = 0;", "acc0 += buf_3[i1];")), "accumulating into its own name is fine");
    assert.equal(snip(body("  buf_3.fill(0);", "acc0 += buf_3[i1];")), null, "an outside name updated");
    assert.equal(snip(body("  buf_3.fill(0);", "v2 = buf_3[i1];")), null, "an outside name assigned");
    assert.equal(snip(body("  let v1;", "v1 = buf_3[i1];")), null, "a declaration without a value");
    assert.equal(snip(body("  buf_3.fill(0);", "buf_4[i1] = buf_3[i1]; // copy of b3")), null, "a trailing comment");
    assert.equal(snip(body("  buf_3.fill(0);", "buf_4[i1] = buf_3[i1] & 0x10;")), null, "a hexadecimal number");
  });

  it("derives the snippet of code alike but for the numbers in its names, exactly as analysing it would", () => {
    const t = template(codeOf(loop("buf_1", "buf_2", "v0")), (n) => locals.has(n), kind)!;
    const other = loop("buf_13", "buf_9", "v1");
    const derived = alike(t, codeOf(other), (n) => locals.has(n), kind)!;
    assert.deepEqual(derived, snip(other));
    assert.equal(alike(t, codeOf(loop("cdata_13", "buf_9", "v1")), (n) => locals.has(n), kind), undefined, "other text than digits");
    // each name must map to one name: buf_1 read where the template reads two different arrays
    const aliasing = ["  for (let i1 = 0; i1 < 3; i1++) {", "    buf_3[i1] = buf_4[i1] * v0;", "  }"];
    const tt = template(codeOf(aliasing), (n) => locals.has(n), kind)!;
    assert.equal(alike(tt, codeOf(["  for (let i1 = 0; i1 < 3; i1++) {", "    buf_3[i1] = buf_3[i1] * v0;", "  }"]), (n) => locals.has(n), kind), undefined);
    // numbers are code: another loop length is another kernel
    assert.equal(alike(tt, codeOf(["  for (let i1 = 0; i1 < 4; i1++) {", "    buf_3[i1] = buf_4[i1] * v0;", "  }"]), (n) => locals.has(n), kind), undefined);
    // a name the template reads from outside may not be one the code defines for later
    const sum = (acc: string, out: string) => [`  let ${acc} = 0;`, "  for (let i1 = 0; i1 < 4; i1++) {", `    ${acc} += buf_3[i1];`, "  }", `  const ${out} = ${acc};`];
    const ts = template(codeOf(sum("acc0", "v7")), (n) => locals.has(n), kind)!;
    assert.deepEqual(alike(ts, codeOf(sum("acc5", "v1")), (n) => locals.has(n), kind), snip(sum("acc5", "v1")));
    assert.equal(alike(ts, codeOf(sum("acc5", "v12")), (n) => locals.has(n), kind), undefined, "v12 is no local later code reads");
  });

  it("a short loop emitted once, marked, is written out as one copy per index", () => {
    const marked = ["  x0 = 0;", `  { const i2 = ${UNROLLED}3;`, "    x0 += b[i2];", "  }", "  y[0] = x0;"];
    assert.deepEqual(unrolled(marked), [
      "  x0 = 0;",
      "  { const i2 = 0;", "    x0 += b[i2];", "  }",
      "  { const i2 = 1;", "    x0 += b[i2];", "  }",
      "  { const i2 = 2;", "    x0 += b[i2];", "  }",
      "  y[0] = x0;",
    ]);
    const plain = ["  for (let i1 = 0; i1 < 9; i1++) {", "  }"];
    assert.equal(unrolled(plain), plain, "nothing marked: the same lines");
  });

  it("only a marked block's own first line is a mark (a name in a comment may contain one)", () => {
    const x = pt.vector(`x${UNROLLED}2`);
    assert.deepEqual([...pt.fn([x], pt.exp(x), { mode: "js" })([0, 1]).data], [1, Math.E]);
    assert.throws(() => unrolled([`  { const i1 = ${UNROLLED}2;`, "    a[i1] = 0;"]), /has no end/);
  });
});
