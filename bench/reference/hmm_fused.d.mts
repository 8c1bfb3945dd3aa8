// Types for the hand-fused reference (shared/reference/hmm_fused.mjs, copied unchanged).
export declare function makeHmmLogpGrad(
  observed: readonly (readonly number[])[],
): (signal: number, noise: number, logPInit: ArrayLike<number>, logPTrans: ArrayLike<number>, grad: Float64Array) => number;
