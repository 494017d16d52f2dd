/**
 * The ONE entry from components, lessons and routes to TensorFlow.js and the engine: nothing above
 * the model layer imports `@tensorflow/*` or `$lib/model/*`. Everything here hands out plain data
 * (typed arrays, numbers) and loads tfjs only when first called, so importing it costs a page nothing.
 *
 * - `engine`: the page's engine (start: weights source + backend the one way; loadModel, run,
 *   effectiveField, the registry `engine.models` of every tfjs model on the page).
 * - skip fusion (`loadFcn`, `runFusion`, `evaluateFcns`, …), fc-to-conv heads (`loadTrainedHeads`,
 *   `loadOwnHeads`, `compareHeads`, `scoreMap`), receptive-field probes (`probeFieldGradient`),
 *   learned kernels (`deconvKernels`), and the lessons' checks (`denseVsConv`, `conv2dTranspose`).
 * - the skip-fusion lab (`createSkipLab`: train FCN-32s's skips in the page; `onBackendChange`).
 */
export {
	engine,
	Engine,
	networkOf,
	BackendError,
	WeightsError,
	CAPTURE,
	type Started,
	type WeightsSource,
	type EngineConfig,
	type BackendName,
	type BackendChoice,
	type ProbeResult,
	type ModelName,
	type Manifest,
	type LoadProgress,
	type FeatureMap,
	type RunResult,
	type RunOptions,
	type EngineEvent,
	type Unit,
	type EffectiveField
} from '$lib/model/engine';
export type { GreyImage } from '$lib/fcn/padding';
export { BACKEND_NAMES, isBackendName } from '$lib/model/backend';
export { latestOnly, type LatestOnly } from '$lib/model/engine-scheduler';
export {
	loadFcn,
	runFusion,
	checkAgainstPredict,
	evaluateFcns,
	skipSources,
	argmaxMap,
	FCN_NAMES,
	ALL_SKIPS,
	type FcnName,
	type Skips,
	type StageMap,
	type FusionResult,
	type LoadedFcn,
	type EvalProgress
} from '$lib/model/fusion';
export {
	loadTrainedHeads,
	loadOwnHeads,
	compareHeads,
	scoreMap,
	isOutOfMemory,
	NotTrainedError,
	type Heads,
	type TrainedHeads,
	type OwnHeads,
	type HeadsInput
} from '$lib/model/heads';
export type { ClassifierPlan, HeadLayerPlan } from '$lib/model/convolutionalize';
export type { SurgeryReport } from '$lib/model/surgery';
export { loadStitch, shiftAndStitch, type StitchModels, type StitchResult } from '$lib/model/shift-stitch';
export { probeFieldGradient, releaseProbeFields } from '$lib/model/probe-field';
export { deconvKernels, type DeconvKernel } from '$lib/model/kernels';
export { denseVsConv, conv2dTranspose } from '$lib/model/checks';
export {
	fetchSelfie,
	openModelFiles,
	runReal,
	releaseReal,
	type RealFiles,
	type RealFrame,
	type RgbaImage,
	type NodeMap
} from '$lib/model/real';
export { backendFromUrl, startLive, startFcn8s, testScenes, sceneSquare, type LiveStart } from '$lib/live/cells';
export {
	createSkipLab,
	onBackendChange,
	type LabConfig,
	type LabInit,
	type LabScene,
	type LabSkips,
	type LabUp,
	type SkipLab
} from '$lib/live/skip-lab';
