// Seed 003, "PyMC and PyTensor" — the PyTensor half, step by step.
// Run: npm start   (or: deno run -A examples/pytensor_intro.ts)
import { pt, type Variable } from "../mod.ts";

const show = (title: string) => console.log(`\n── ${title} ${"─".repeat(Math.max(0, 70 - title.length))}`);

show("A simple example");
const x = pt.scalar("x");
const y = pt.vector("y");
console.log(`x type: ${x.type}\nx name = ${x.name}\n---\ny type: ${y.type}\ny name = ${y.name}`);

const z = pt.add(x, y, { name: "x + y" });
const w = pt.log(z, { name: "log(x + y)" });
console.log(pt.dprint(w));

const f = pt.fn([x, y], w);
console.log("f(x=0, y=[1, e]) =", String(f({ x: 0, y: [1, Math.E] })));
console.log("w.eval({x: 0, y: [1, e]}) =", String(w.eval({ x: 0, y: [1, Math.E] })));
console.log("w.eval({z: [1, e]}) =", String(w.eval(new Map([[z, [1, Math.E]]]))));

show("PyTensor is clever!");
const a = pt.scalar("a");
const b = pt.scalar("b");
const c = pt.div(a, b, { name: "a / b" });
console.log(pt.dprint(c));
const d = pt.mul(b, c, { name: "b * c" });
console.log(pt.dprint(d));
const g = pt.fn([a, b], d);
console.log("compiled:\n" + pt.dprint(g));

show("What is in a PyTensor graph?");
const node = z.owner!;
console.log(`z type: ${z.type}
z name = ${z.name}
z owner = ${node}
z owner inputs = [${node.inputs.map(String).join(", ")}]
z owner op = ${node.op}
z owner output = [${node.outputs.map(String).join(", ")}]`);

const stack: Variable[] = [w];
while (stack.length) {
  console.log("---");
  const v = stack.shift()!;
  console.log(`Checking variable ${v} of type ${v.type}`);
  if (v.owner) {
    console.log(` > Op is ${v.owner.op}`);
    v.owner.inputs.forEach((inp, i) => {
      console.log(` > Input ${i} is ${inp}`);
      stack.push(inp);
    });
  } else console.log(` > ${v} is a root variable`);
}

show("Graph manipulation 101");
console.log(`graphInputs([w]) = [${pt.graphInputs([w]).map(String).join(", ")}]`);
const parentOfW = w.owner!.inputs[0];
const newParentOfW = pt.exp(parentOfW, { name: "exp(x + y)" });
console.log("w is unchanged:\n" + pt.dprint(w));
const [newW] = pt.cloneReplace([w], new Map([[parentOfW, newParentOfW]]));
newW.name = "log(exp(x + y))";
console.log(pt.dprint(newW));
console.log("new_w.eval({x: 0, y: [1, e]}) =", String(newW.eval({ x: 0, y: [1, Math.E] })));
const f2 = pt.fn([x, y], newW);
console.log("compiled (exp and log are gone):\n" + pt.dprint(f2));
console.log("f(x=0, y=[1, e]) =", String(f2({ x: 0, y: [1, Math.E] })));
