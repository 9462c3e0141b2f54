// Public surface of the profiler core (pure: handed a `tf`, never picks a backend).
export { profileModel, defaultMethod, ProfileError, type ProfileOptions, type ProfileProgress } from "./profile";
export type { ProfileResult, NodeProfile, GroupProfile, LatencyStats, FusedNodeProfile } from "./result";
export { PROFILE_RESULT_VERSION, fusedByLayer } from "./result";
export { toCsv, compareProfiles, fusedReason, CSV_HEADER, type ProfileComparison, type NodeDelta } from "./export";
export { buildPlan, disposePlan, type Plan, type Step, type Skipped, type FusedNode } from "./lower";
export { planFusion, type FusionGroup } from "./fusion";
export { foldBatchNorm } from "./lower-fused";
export { runPass, consumerCounts, disposeOutputs, Cancelled } from "./forward";
export { kernelTimesByStep, type TimingMethod } from "./timing";
export { estimateMemory, memoryProblem, type MemoryEstimate } from "./memory";
export { measurePeak, type Peak } from "./peak";
export { slowest } from "./rollup";
export { builtShape, layoutOf, type TensorLayout } from "./layout";
export type { Tf, TfTensor } from "./tf-api";
export { NODE_BACKENDS, isBackendName, type BackendName, type BackendChoice, type BackendProbe, type ProbeStatus } from "./backend-choice";
export { serializeResult, parseResult, isProfileResult, profileResultProblem, MAX_PROFILED_NODES, type ParsedResult } from "./serialize";
