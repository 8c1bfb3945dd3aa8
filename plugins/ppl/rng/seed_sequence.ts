// numpy's SeedSequence (numpy.random.bit_generator): hashes user entropy (an int or a list of ints)
// into a 4-word pool, derives any number of well-mixed state words from it, and spawns children
// that are independent because their spawn key is part of the hashed entropy. Same seed → same
// words as numpy, so `default_rng(seed)` streams can be reproduced bit for bit.

const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16; // half the bits of a uint32 word
const TWO32 = 4294967296;

/** Entropy as numpy accepts it here: a non-negative integer or a list of them (each ≤ 2⁵³ − 1). */
export type Entropy = number | readonly number[];

/** An integer → its little-endian uint32 words, as numpy's `_int_to_uint32_array` (0 → [0]). */
function intWords(n: number, what: string): number[] {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`SeedSequence: ${what} must be a non-negative integer below 2^53, got ${n}`);
  }
  const words = [n % TWO32];
  for (let rest = Math.floor(n / TWO32); rest > 0; rest = Math.floor(rest / TWO32)) words.push(rest % TWO32);
  return words;
}

function entropyWords(e: Entropy, what: string): number[] {
  return typeof e === "number" ? intWords(e, what) : e.flatMap((x, i) => intWords(x, `${what}[${i}]`));
}

export class SeedSequence {
  /** The mixed entropy pool (4 uint32 words). */
  readonly pool: Uint32Array;
  /** How many children `spawn` has handed out; the next child gets this index in its key. */
  nChildrenSpawned = 0;

  constructor(readonly entropy: Entropy, readonly spawnKey: readonly number[] = []) {
    let run = entropyWords(entropy, "seed");
    const key = entropyWords(spawnKey, "spawn key");
    // numpy pads short run entropy to the pool size when there is a spawn key, so a child's key
    // words can never be mistaken for seed words.
    if (key.length > 0 && run.length < POOL_SIZE) run = [...run, ...new Array<number>(POOL_SIZE - run.length).fill(0)];
    this.pool = mixEntropy([...run, ...key]);
  }

  /** `n` uint32 words of state (numpy's `generate_state(n, np.uint32)`). */
  generateState(n: number): Uint32Array {
    const out = new Uint32Array(n);
    let hash = INIT_B;
    for (let i = 0; i < n; i++) {
      let v = (this.pool[i % POOL_SIZE] ^ hash) >>> 0;
      hash = Math.imul(hash, MULT_B);
      v = Math.imul(v, hash);
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return out;
  }

  /** `n` children, continuing after those already spawned (numpy's `spawn`). */
  spawn(n: number): SeedSequence[] {
    const kids: SeedSequence[] = [];
    for (let i = 0; i < n; i++) kids.push(new SeedSequence(this.entropy, [...this.spawnKey, this.nChildrenSpawned + i]));
    this.nChildrenSpawned += n;
    return kids;
  }
}

/** numpy's `mix_entropy`: hash the words into the pool, cross-mix every pool word with every other,
 * then fold in any entropy beyond the pool size. */
function mixEntropy(entropy: readonly number[]): Uint32Array {
  const pool = new Uint32Array(POOL_SIZE);
  let hash = INIT_A;
  const hashmix = (value: number): number => {
    value = (value ^ hash) >>> 0;
    hash = Math.imul(hash, MULT_A);
    value = Math.imul(value, hash);
    return (value ^ (value >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> XSHIFT)) >>> 0;
  };
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  return pool;
}
