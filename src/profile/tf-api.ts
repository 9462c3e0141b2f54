// The slice of the TensorFlow.js namespace the profiler uses, declared structurally so src/ never
// imports tfjs: whoever calls the profiler hands it a real `tf` (tfjs-core with a backend already
// set, or the namespace tfjs-node returns) cast to `Tf`. Only ops every backend implements are listed.

export interface TfTensor {
  readonly shape: number[];
  readonly size: number;
  readonly dtype: string;
  dataSync(): ArrayLike<number>;
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

export type Padding = "valid" | "same" | number | [[number, number], [number, number], [number, number], [number, number]];
export type FusedActivation = "linear" | "relu" | "relu6" | "sigmoid" | "elu" | "leakyrelu";

/** Arguments of tf.fused.conv2d and tf.fused.depthwiseConv2d (NHWC). */
export interface FusedConvArgs {
  x: TfTensor;
  filter: TfTensor;
  strides: [number, number];
  pad: Padding;
  dilations?: [number, number];
  bias?: TfTensor;
  activation?: FusedActivation;
}

/** One record of `tf.profile`: a kernel the backend ran, with its own (GPU timer or wall) time. */
export interface TfKernelRecord {
  name: string;
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
  outputShapes?: (number[] | null)[];
}

export interface TfProfileInfo {
  kernels: TfKernelRecord[];
}

export interface Tf {
  version_core?: string;
  version?: Record<string, string> | string;
  getBackend(): string;
  ready(): Promise<void>;
  memory(): { numTensors: number; numBytes: number };
  profile(query: () => TfTensor | TfTensor[] | void | Promise<TfTensor | TfTensor[] | void>): Promise<TfProfileInfo>;
  engine(): { state: { activeProfile?: { kernels?: unknown[] } } };

  /** Disposes every tensor `fn` creates except those it returns (composite lowerings: LSTM, attention). */
  tidy<T extends TfTensor | TfTensor[]>(fn: () => T): T;

  /** With a `seed` the values are a function of it (tfjs seeds an Alea generator with its string). */
  randomUniform(shape: number[], minval?: number, maxval?: number, dtype?: "float32", seed?: number | string): TfTensor;
  fill(shape: number[], value: number): TfTensor;
  zeros(shape: number[]): TfTensor;
  cast(x: TfTensor, dtype: "int32" | "float32"): TfTensor;
  floor(x: TfTensor): TfTensor;

  conv2d(x: TfTensor, filter: TfTensor, strides: [number, number], pad: Padding, dataFormat?: "NHWC", dilations?: [number, number]): TfTensor;
  depthwiseConv2d(x: TfTensor, filter: TfTensor, strides: [number, number], pad: Padding, dataFormat?: "NHWC", dilations?: [number, number]): TfTensor;
  separableConv2d(x: TfTensor, depthwise: TfTensor, pointwise: TfTensor, strides: [number, number], pad: "valid" | "same", dilation?: [number, number]): TfTensor;
  fused?: {
    conv2d(args: FusedConvArgs): TfTensor;
    /** `filter` is [kh, kw, in, multiplier]; output channel c·multiplier + j reads input channel c. */
    depthwiseConv2d(args: FusedConvArgs): TfTensor;
    matMul(args: { a: TfTensor; b: TfTensor; bias?: TfTensor; activation?: FusedActivation }): TfTensor;
  };
  matMul(a: TfTensor, b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
  batchNorm(x: TfTensor, mean: TfTensor, variance: TfTensor, offset?: TfTensor, scale?: TfTensor, varianceEpsilon?: number): TfTensor;
  maxPool(x: TfTensor, filterSize: [number, number], strides: [number, number], pad: "valid" | "same"): TfTensor;
  avgPool(x: TfTensor, filterSize: [number, number], strides: [number, number], pad: "valid" | "same"): TfTensor;
  pad(x: TfTensor, paddings: [number, number][], constantValue?: number): TfTensor;
  mean(x: TfTensor, axis?: number | number[], keepDims?: boolean): TfTensor;
  moments(x: TfTensor, axes?: number | number[], keepDims?: boolean): { mean: TfTensor; variance: TfTensor };
  max(x: TfTensor, axis?: number | number[], keepDims?: boolean): TfTensor;
  reshape(x: TfTensor, shape: number[]): TfTensor;
  sum(x: TfTensor, axis?: number | number[], keepDims?: boolean): TfTensor;
  min(x: TfTensor, axis?: number | number[], keepDims?: boolean): TfTensor;
  prod(x: TfTensor, axis?: number | number[], keepDims?: boolean): TfTensor;
  einsum(equation: string, ...tensors: TfTensor[]): TfTensor;
  transpose(x: TfTensor, perm?: number[]): TfTensor;
  concat(xs: TfTensor[], axis?: number): TfTensor;
  split(x: TfTensor, numOrSizeSplits: number | number[], axis?: number): TfTensor[];
  slice(x: TfTensor, begin: number[], size?: number[]): TfTensor;
  stridedSlice(x: TfTensor, begin: number[], end: number[], strides?: number[]): TfTensor;
  stack(xs: TfTensor[], axis?: number): TfTensor;
  unstack(x: TfTensor, axis?: number): TfTensor[];
  broadcastTo(x: TfTensor, shape: number[]): TfTensor;
  /** `indices` must be an int32 tensor (token ids). */
  gather(x: TfTensor, indices: TfTensor, axis?: number): TfTensor;

  add(a: TfTensor, b: TfTensor | number): TfTensor;
  addN(xs: TfTensor[]): TfTensor;
  sub(a: TfTensor | number, b: TfTensor | number): TfTensor;
  mul(a: TfTensor, b: TfTensor | number): TfTensor;
  div(a: TfTensor | number, b: TfTensor | number): TfTensor;
  neg(x: TfTensor): TfTensor;
  sqrt(x: TfTensor): TfTensor;
  rsqrt(x: TfTensor): TfTensor;
  square(x: TfTensor): TfTensor;
  maximum(a: TfTensor, b: TfTensor): TfTensor;
  minimum(a: TfTensor, b: TfTensor): TfTensor;

  relu(x: TfTensor): TfTensor;
  relu6(x: TfTensor): TfTensor;
  leakyRelu(x: TfTensor, alpha?: number): TfTensor;
  elu(x: TfTensor): TfTensor;
  selu(x: TfTensor): TfTensor;
  sigmoid(x: TfTensor): TfTensor;
  tanh(x: TfTensor): TfTensor;
  softplus(x: TfTensor): TfTensor;
  erf(x: TfTensor): TfTensor;
  softmax(x: TfTensor, dim?: number): TfTensor;
  logSoftmax(x: TfTensor, axis?: number): TfTensor;
}

/** The tfjs-core version of a `tf` namespace, whichever way the build exposes it. */
export function tfVersion(tf: Tf): string {
  if (tf.version_core) return tf.version_core;
  if (typeof tf.version === "string") return tf.version;
  return tf.version?.["tfjs-core"] ?? "unknown";
}
