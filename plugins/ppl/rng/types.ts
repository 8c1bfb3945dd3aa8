// The seam between random-variable ops and bit generators. RNG state travels through graphs
// as an ordinary int32 tensor, so draws are pure functions of (state, params) → (state', draw).

/** A stream of random bits, positioned at some state. */
export interface BitGenerator {
  /** Uniform on [0, 2³²) as a non-negative integer. */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits, as numpy's `random()`. */
  nextDouble(): number;
  /** The next raw 64-bit output as [high, low] uint32 halves, written into `out` when given
   * (allocation-free) — what 64-bit algorithms such as the ziggurat consume. */
  nextUint64Parts(out?: Uint32Array): Uint32Array;
  /** The current state, to continue the stream later. */
  state(): Int32Array;
}

export interface RngAlgorithm {
  readonly name: string;
  /** Length of the int32 state vector. */
  readonly stateSize: number;
  /** The state a seed gives (same seed → same stream on every runtime). */
  seed(seed: number | readonly number[]): Int32Array;
  /** Independent child states, e.g. one per chain or per random variable. */
  spawn(seed: number | readonly number[], n: number): Int32Array[];
  /** A generator continuing from `state` (not modified). */
  resume(state: Int32Array): BitGenerator;
}
