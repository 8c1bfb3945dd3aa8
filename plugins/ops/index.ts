// The standard op families as one plugin: each family's tensor functions go into `pt`.
import type { Plugin } from "../../core/runtime.ts";
import { elemwiseFunctions } from "./elemwise.ts";
import { mathFunctions } from "./elemwise_math.ts";
import { broadcastTo } from "./broadcast.ts";
import { tensorFunctions } from "./tensor.ts";
import { type VerifyGradOptions, grad, verifyGradWith, vjp } from "./gradient.ts";
import type { Variable } from "../../core/graph.ts";
import type { ArrayLike } from "../../core/ndarray.ts";
import { productFunctions, tril, triu } from "./linalg.ts";
import { linalgFunctions } from "./linalg_decomp.ts";
import { creationFunctions } from "./creation.ts";
import { shapeFunctions } from "./shape.ts";
import { subtensorFunctions } from "./subtensor.ts";
import { hessian, jacobian } from "./jacobian.ts";
import { scan } from "./scan.ts";
import { specialFunctions } from "./elemwise_special.ts";
import { reduceFunctions } from "./reduce.ts";
import { softmaxFunctions } from "./softmax.ts";
import { cumulativeFunctions } from "./cumulative.ts";
import { dimshuffle, expandDims, squeeze, transpose } from "./dimshuffle.ts";

/** Every standard tensor function, flat (`pt.add`) except namespaces like `pt.linalg`. */
export const stdFunctions = {
  ...tensorFunctions,
  ...elemwiseFunctions,
  ...mathFunctions,
  ...specialFunctions,
  ...creationFunctions,
  ...reduceFunctions,
  ...softmaxFunctions,
  ...cumulativeFunctions,
  ...shapeFunctions,
  ...subtensorFunctions,
  ...productFunctions,
  tril,
  triu,
  linalg: linalgFunctions,
  broadcastTo,
  dimshuffle,
  expandDims,
  squeeze,
  transpose,
  grad,
  vjp,
  jacobian,
  hessian,
  scan,
};
export type StdPt = typeof stdFunctions & {
  /** verifyGrad compiles with the runtime it was registered in. */
  verifyGrad(f: (...xs: Variable[]) => Variable, point: readonly ArrayLike[], opts?: VerifyGradOptions): void;
};

export const opsPlugin: Plugin = {
  name: "ops/standard",
  register(rt) {
    const { linalg, ...flat } = stdFunctions;
    rt.ops.define(flat);
    rt.ops.define(linalg, "linalg");
    rt.ops.add("verifyGrad", (f: (...xs: Variable[]) => Variable, point: readonly ArrayLike[], opts?: VerifyGradOptions) => verifyGradWith(rt.pt, f, point, opts));
  },
};
