// Outlining: the loops emitted for one node (or one fused group) become a function of the names
// they read when the same code, up to names, is emitted more than once — each step of an
// unrolled recurrence, say. The compiled function then calls one kernel fifty times instead of
// repeating its text fifty times, which keeps it small for V8 to parse, compile and optimize.

/** Words that are JS, not generated names. */
const RESERVED = new Set([
  "const", "let", "var", "for", "if", "else", "return", "true", "false", "null", "undefined", "NaN", "Infinity",
  "Math", "Number", "new", "typeof", "while", "break", "continue", "of", "in",
]);
/**
 * One token at a time: a property (.exp), a number (1e-5, 0.5), or a name with, when it is being
 * declared or assigned, the `=` after it. Generated code declares each of its own names before
 * using it, so a name met first before `=` is the code's own; any other is read from outside.
 */
const TOKEN = /\.[A-Za-z_$][\w$]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|([A-Za-z_$][\w$]*)(\s*=(?!=))?/g;

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
 * The snippet form of emitted lines, or null when they should stay inline (no loop, an early
 * return, a string literal, or more than one value defined for later code).
 * @param isLocal whether a name is a value later code may read (a top-level local of the function)
 * @param kindOf what a free name holds (a typed array's class, "num", …): part of the key, so a
 *   kernel's call sites pass alike-typed arguments (V8 then keeps it monomorphic)
 */
export function toSnippet(lines: readonly string[], isLocal: (name: string) => boolean, kindOf: (name: string) => string): Snippet | null {
  const isComment = (l: string) => l.trimStart().startsWith("//");
  const code = lines.filter((l) => !isComment(l));
  const text = code.join("\n");
  // string literals (a wrapper's dtype, say) would have their words taken for names: keep inline
  if (!text.includes("for (") || /\breturn\b|["'`]/.test(text)) return null;
  const rename = new Map<string, string>();
  const args: string[] = [], defines: string[] = [];
  let own = 0;
  const body = text.replace(TOKEN, (tok, name: string | undefined, assign: string | undefined) => {
    if (name === undefined || RESERVED.has(name)) return tok;
    let r = rename.get(name);
    if (r === undefined) {
      if (assign !== undefined) {
        r = `$L${own++}`;
        if (isLocal(name)) defines.push(name);
      } else {
        r = `$P${args.length}`;
        args.push(name);
      }
      rename.set(name, r);
    }
    return assign === undefined ? r : r + assign;
  }).split("\n");
  if (defines.length > 1) return null;
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
