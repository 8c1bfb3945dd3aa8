// Outlining: the loops emitted for one node (or one fused group) become a function of the names
// they read when the same code, up to names, is emitted more than once — each step of an
// unrolled recurrence, say. The compiled function then calls one kernel fifty times instead of
// repeating its text fifty times, which keeps it small for V8 to parse, compile and optimize.

/** Words that are JS, not generated names. */
const RESERVED = [
  "const", "let", "var", "for", "if", "else", "return", "true", "false", "null", "undefined", "NaN", "Infinity",
  "Math", "Number", "new", "typeof", "while", "break", "continue", "of", "in",
];
/**
 * A name, with, when it is being declared or assigned, the `=` after it. Properties (.exp), the
 * letters of numbers (1e-5) and JS words are not names. Generated code declares each of its own
 * names before using it, so a name met first before `=` is the code's own; any other is read
 * from outside. Splitting on this pattern leaves [code, name, assignment, code, name, …].
 */
const NAME = new RegExp(`(?<![\\w$.])(?!(?:${RESERVED.join("|")})(?![\\w$]))([A-Za-z_$][\\w$]*)(\\s*=(?!=))?`);

export interface Snippet {
  /** The code as emitted, used where it occurs once. */
  readonly lines: readonly string[];
  /** The code with its names replaced by parameters and canonical locals, plus the parameters' kinds. */
  readonly key: string;
  /** The kernel's body (comments dropped). */
  readonly body: readonly string[];
  /** The names the code reads from outside, in parameter order. */
  readonly args: readonly string[];
  /** The one local the code defines for later code (the kernel returns it), if any. */
  readonly ret: string | null;
  readonly comments: readonly string[];
}

/**
 * The snippet form of emitted lines, or null when they should stay inline: no loop, an early
 * return, a string literal or comment inside code, more than one value defined for later code, or
 * code that breaks the naming assumptions (a name assigned before it is declared, an outside
 * name written to).
 * @param isLocal whether a name is a value later code may read (a top-level local of the function)
 * @param kindOf what a free name holds (a typed array's class, "num", …): part of the key, so a
 *   kernel's call sites pass alike-typed arguments (V8 then keeps it monomorphic)
 */
export function toSnippet(lines: readonly string[], isLocal: (name: string) => boolean, kindOf: (name: string) => string): Snippet | null {
  const isComment = (l: string) => l.trimStart().startsWith("//");
  const code = lines.filter((l) => !isComment(l));
  const text = code.join("\n");
  // string literals (a wrapper's dtype, say), trailing comments and non-decimal numbers would
  // have their words taken for names: keep such code inline
  if (!text.includes("for (") || /\breturn\b|["'`]|\/\/|\b0[xXbBoO]/.test(text)) return null;
  let sound = true;
  const rename = new Map<string, string>();
  const args: string[] = [], defines: string[] = [];
  let own = 0;
  // one native split, then a loop over the names (no callback per token)
  const parts = text.split(NAME);
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i], assign = parts[i + 1];
    let r = rename.get(name);
    if (r === undefined) {
      // the code's own names are declared where first met (`const x =`, `let a = 0, x =`)
      const before = parts[i - 1];
      const keyword = /(?:\bconst|\blet)\s*$/.test(before);
      if (keyword ? assign === undefined : assign !== undefined && !/,\s*$/.test(before)) sound = false;
      if (assign !== undefined) {
        r = `$L${own++}`;
        if (isLocal(name)) defines.push(name);
      } else {
        r = `$P${args.length}`;
        args.push(name);
      }
      rename.set(name, r);
    }
    parts[i] = r;
  }
  const body = parts.join("").split("\n");
  // a name read from outside must never be written here (it is passed by value)
  if (!sound || defines.length > 1 || /\$P\d+\s*(?:[-+*/%]?=(?!=)|\+\+|--)/.test(body.join("\n"))) return null;
  const ret = defines[0] ?? null;
  if (ret !== null) body.push(`  return ${rename.get(ret)};`);
  const key = `${body.join("\n")}\n#${args.map(kindOf).join(",")}`;
  return { lines, key, body, args, ret, comments: lines.filter(isComment) };
}

/** The call that stands for a snippet whose code lives in kernel `fn`. */
export function callOf(s: Snippet, fn: string): string[] {
  const call = `${fn}(${s.args.join(", ")});`;
  return [...s.comments, s.ret === null ? `  ${call}` : `  const ${s.ret} = ${call}`];
}

/** A kernel's definition. */
export function kernelOf(s: Snippet, fn: string): string {
  return `function ${fn}(${s.args.map((_, i) => `$P${i}`).join(", ")}) {\n${s.body.join("\n")}\n}`;
}
