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

const DIGITS = /\d+/g;

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

/** Comment lines travel with a snippet's call; they are not part of its code. */
const isComment = (line: string): boolean => /^\s*\/\//.test(line);

/** Emitted lines split once: the code (as one text), the comments, and the code's shape. */
export interface Code {
  readonly lines: readonly string[];
  readonly text: string;
  readonly comments: readonly string[];
  /** The code with every digit run blanked: code that differs only in numbers has the same. */
  readonly shape: string;
}

export function codeOf(lines: readonly string[]): Code {
  const code: string[] = [], comments: string[] = [];
  for (const l of lines) (isComment(l) ? comments : code).push(l);
  const text = code.join("\n");
  return { lines, text, comments, shape: text.replace(DIGITS, "#") };
}

/**
 * A snippet's code analysed once, so that code alike but for the numbers in its names (the same
 * node emitted at another step) gets its snippet without being tokenized again: see `alike`.
 */
export interface Template {
  readonly snippet: Snippet;
  /** Code alike has the same shape (see Code). */
  readonly shape: string;
  /** The digit runs of the code, in order. */
  readonly runs: readonly string[];
  /** Per run: the distinct name (an index into `pieces`) it is part of, or -1 for a number. */
  readonly owner: Int32Array;
  /** Per run of a name: the index of the matching run in that name's first occurrence. */
  readonly first: Int32Array;
  /** Per distinct name: its text cut at its digit runs, and the runs of its first occurrence. */
  readonly pieces: readonly (readonly string[])[];
  readonly firstRuns: readonly (readonly number[])[];
  /** The distinct names passed as the kernel's arguments, and the one it returns (or -1). */
  readonly argIds: readonly number[];
  readonly retId: number;
  /** The code's own names that later code may read (locals): defined here, so at most one. */
  readonly ownIds: readonly number[];
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
  return template(codeOf(lines), isLocal, kindOf)?.snippet ?? null;
}

/** `toSnippet`, keeping what `alike` needs to derive the snippets of code like it. */
export function template(code: Code, isLocal: (name: string) => boolean, kindOf: (name: string) => string): Template | null {
  const text = code.text;
  // string literals (a wrapper's dtype, say), trailing comments and non-decimal numbers would
  // have their words taken for names: keep such code inline
  if (!text.includes("for (") || /\breturn\b|["'`]|\/\/|\b0[xXbBoO]/.test(text)) return null;
  let sound = true;
  const ids = new Map<string, number>(), canon: string[] = [], pieces: string[][] = [], firstRuns: number[][] = [];
  const argIds: number[] = [], ownIds: number[] = [];
  const owner: number[] = [], first: number[] = [];
  let own = 0;
  // one native split, then a loop over the names (no callback per token)
  const parts = text.split(NAME);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === undefined) continue;
    const runs = part.match(DIGITS)?.length ?? 0;
    if (i % 3 !== 1) {
      // code between names, or an assignment: its digits are numbers
      for (let k = 0; k < runs; k++) owner.push(-1), first.push(-1);
      continue;
    }
    let id = ids.get(part);
    if (id === undefined) {
      // the code's own names are declared where first met (`const x =`, `let a = 0, x =`)
      const before = parts[i - 1], assign = parts[i + 1];
      const keyword = /(?:\bconst|\blet)\s*$/.test(before);
      if (keyword ? assign === undefined : assign !== undefined && !/,\s*$/.test(before)) sound = false;
      id = canon.length;
      ids.set(part, id);
      pieces.push(part.split(DIGITS));
      firstRuns.push(Array.from({ length: runs }, (_, k) => owner.length + k));
      if (assign !== undefined) {
        canon.push(`$L${own++}`);
        if (isLocal(part)) ownIds.push(id);
      } else {
        canon.push(`$P${argIds.length}`);
        argIds.push(id);
      }
    }
    for (let k = 0; k < runs; k++) owner.push(id), first.push(firstRuns[id][k]);
    parts[i] = canon[id];
  }
  const body = parts.join("").split("\n");
  // a name read from outside must never be written here (it is passed by value)
  if (!sound || ownIds.length > 1 || /\$P\d+\s*(?:[-+*/%]?=(?!=)|\+\+|--)/.test(body.join("\n"))) return null;
  const retId = ownIds[0] ?? -1;
  if (retId >= 0) body.push(`  return ${canon[retId]};`);
  const names = [...ids.keys()];
  const snippet = snippetOf(code, body, argIds.map((d) => names[d]), retId < 0 ? null : names[retId], kindOf);
  return {
    snippet, shape: code.shape, runs: text.match(DIGITS) ?? [], owner: Int32Array.from(owner), first: Int32Array.from(first),
    pieces, firstRuns, argIds, retId, ownIds,
  };
}

/**
 * The snippet of `lines` when they are `t`'s code with other numbers in names (same text once
 * digits are blanked, numbers equal, each name of t one name here and distinct names distinct):
 * then it is the same kernel. Undefined otherwise: the caller then analyses the lines themselves.
 */
export function alike(t: Template, code: Code, isLocal: (name: string) => boolean, kindOf: (name: string) => string): Snippet | undefined {
  if (code.shape !== t.shape) return undefined;
  const runs = code.text.match(DIGITS) ?? [];
  if (runs.length !== t.runs.length) return undefined;
  for (let j = 0; j < runs.length; j++) {
    // a number must be the same number; a name's digits the same wherever the name occurs
    if (t.owner[j] < 0 ? runs[j] !== t.runs[j] : runs[j] !== runs[t.first[j]]) return undefined;
  }
  const names = t.pieces.map((p, d) => {
    let name = p[0];
    for (let k = 1; k < p.length; k++) name += runs[t.firstRuns[d][k - 1]] + p[k];
    return name;
  });
  if (new Set(names).size !== names.length) return undefined;
  // the names later code may read must be the template's (those the kernel returns)
  if (t.ownIds.some((d) => !isLocal(names[d]))) return undefined;
  for (let d = 0; d < names.length; d++) if (!t.ownIds.includes(d) && !t.argIds.includes(d) && isLocal(names[d])) return undefined;
  return snippetOf(code, t.snippet.body, t.argIds.map((d) => names[d]), t.retId < 0 ? null : names[t.retId], kindOf);
}

function snippetOf(code: Code, body: readonly string[], args: readonly string[], ret: string | null, kindOf: (name: string) => string): Snippet {
  const key = `${body.join("\n")}\n#${args.map(kindOf).join(",")}`;
  return { lines: code.lines, key, body, args, ret, comments: code.comments };
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
