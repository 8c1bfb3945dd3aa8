// Samplers as pure functions of a BitGenerator and parameters — one module per family:
//   sample_continuous.ts    uniform, normal (ziggurat), exponential (ziggurat), gamma (Marsaglia–Tsang),
//                           beta, chi-square, Student t, Cauchy, Laplace, logistic, lognormal, Weibull,
//                           half-normal/-Cauchy/-Student t, inverse gamma, truncated normal (Robert 1995)
//   sample_discrete.ts      Bernoulli, binomial (inversion | BTRD), Poisson (inversion | PTRS),
//                           negative binomial, geometric, discrete uniform (numpy's Lemire), categorical
//   sample_multivariate.ts  Dirichlet, multinomial, multivariate normal (from a Cholesky factor)
// Scalar samplers have the shape (g, ...params) => number, which distributions' `sampleScalar` expects.
export * from "./sample_continuous.ts";
export * from "./sample_discrete.ts";
export * from "./sample_multivariate.ts";
