/**
 * The /training page's data: the shipped training log (static/weights/training-log.json, written by
 * src/lib/train/release.ts `writeTrainingLog`) and the manifest's training config and evaluation,
 * read defensively (the page must show a clear state, never crash, when a file is missing or of
 * another shape), and the paper's hyper-parameters to set beside ours. Pure; no DOM.
 */
import { TRAINED } from '$lib/fcn/nets';
import { boolParam } from '$lib/url';

/** The page's URL state: which curves are shown (`loss=0` hides the training loss, `val=0` validation). */
export const TRAINING_SPECS = {
	loss: boolParam({ label: 'training loss', default: true }),
	val: boolParam({ label: 'validation', default: true })
};

/** Where a stage's net runs live: a route of the site and the query (with anchor) that picks the net. */
export function liveLinks(
	stage: 'classifier' | 'surgery' | 'fcn32s' | 'fcn16s' | 'fcn8s'
): { route: '/fc-to-conv' | '/network' | '/skip-fusion'; query: string; label: string }[] {
	if (stage === 'classifier' || stage === 'surgery') return [{ route: '/fc-to-conv', query: '', label: 'FC → conv' }];
	return [
		{ route: '/network', query: `?net=${stage}`, label: 'layer by layer' },
		{ route: '/skip-fusion', query: `?net=${stage.slice(3)}#live`, label: 'in skip fusion' }
	];
}

export const STAGE_NAMES = ['classifier', 'fcn32s', 'fcn16s', 'fcn8s'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export const STAGE_LABEL: Record<StageName, string> = {
	classifier: 'Classifier',
	fcn32s: 'FCN-32s',
	fcn16s: 'FCN-16s',
	fcn8s: 'FCN-8s'
};

/** One stage of the log (src/lib/train/pipeline.ts StageLog); everything but the curves optional. */
export interface StageLog {
	/** [step, loss]: FCN losses are per labelled pixel (the summed loss / pixels). */
	loss: [number, number][];
	/** [epoch, value]: validation accuracy (classifier) or validation mean IU (FCNs). */
	val: [number, number][];
	imagesPerSecond?: number[];
	probeLoss?: { start: number; end: number | null };
	surgeryMaxAbsDiff?: number;
	optimizer?: string;
	lr?: number;
	batch?: number;
	epochs?: number;
	steps?: number;
}

export interface TrainingLog {
	stages: StageName[];
	log: Partial<Record<StageName, StageLog>>;
}

const isPair = (p: unknown): p is [number, number] =>
	Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && (typeof p[1] === 'number' || p[1] === null);

/** Validate a parsed training-log.json; throws an Error saying what is wrong. */
export function parseTrainingLog(x: unknown): TrainingLog {
	if (!x || typeof x !== 'object') throw new Error('training-log.json is not a JSON object');
	const o = x as { log?: unknown; stages?: unknown };
	if (!o.log || typeof o.log !== 'object') throw new Error("training-log.json has no 'log'");
	const log: TrainingLog['log'] = {};
	const stages: StageName[] = [];
	for (const s of STAGE_NAMES) {
		const l = (o.log as Record<string, unknown>)[s] as Partial<StageLog> | undefined;
		if (!l) continue;
		if (!Array.isArray(l.loss) || !l.loss.every(isPair))
			throw new Error(`training-log.json: stage ${s} has no loss curve of [step, loss] pairs`);
		if (!Array.isArray(l.val) || !l.val.every(isPair))
			throw new Error(`training-log.json: stage ${s} has no validation curve of [epoch, value] pairs`);
		log[s] = {
			...l,
			loss: l.loss.filter((p) => Number.isFinite(p[1])),
			val: l.val.filter((p) => Number.isFinite(p[1]))
		} as StageLog;
		stages.push(s);
	}
	if (!stages.length) throw new Error('training-log.json holds no stage');
	return { stages, log };
}

/** The validation mean IU of the three FCNs on one epoch axis (FCN-16s continues after FCN-32s, …). */
export function stagedValidation(t: TrainingLog): { stage: StageName; points: [number, number][] }[] {
	let offset = 0;
	const out: { stage: StageName; points: [number, number][] }[] = [];
	for (const s of ['fcn32s', 'fcn16s', 'fcn8s'] as const) {
		const l = t.log[s];
		if (!l) continue;
		out.push({ stage: s, points: l.val.map(([e, v]) => [offset + e, v]) });
		offset += l.epochs ?? (l.val.length ? l.val[l.val.length - 1][0] : 0);
	}
	return out;
}

/** Seconds a stage took, from its images/s per epoch (steps · batch images per epoch); null when unknown. */
export function stageSeconds(l: StageLog): number | null {
	if (!l.imagesPerSecond?.length || !l.steps || !l.batch) return null;
	return l.imagesPerSecond.reduce((t, ips) => t + (ips > 0 ? (l.steps! * l.batch!) / ips : 0), 0);
}

/** Last value of a curve, or null. */
export function last(points: readonly [number, number][]): number | null {
	return points.length ? points[points.length - 1][1] : null;
}

/** The manifest fields the page reads (src/lib/train/release.ts Manifest), all optional. */
export interface ManifestLike {
	classes?: string[];
	models?: Partial<Record<StageName, { width?: number; eval?: Record<string, unknown> | null; bytes?: number }>>;
	training?: { backend?: string; seconds?: number | null; config?: TrainConfigLike };
	data?: { testScenes?: { count?: number; seed?: number; minSide?: number; maxSide?: number } };
}

export interface StageConfigLike {
	optimizer?: string;
	/** Learning-rate multiplier of the layers new in a stage (Caffe's lr_mult). */
	newLayerLrMult?: number;
	epochs?: number;
	steps?: number;
	batch?: number;
	lr?: number;
	baseLr?: number;
	momentum?: number;
	easyEpochs?: number;
}

export interface TrainConfigLike {
	seed?: number;
	width?: number;
	classifierInput?: number;
	sceneSides?: number[];
	classifier?: StageConfigLike;
	fcn?: StageConfigLike;
}

/** Our evaluation of one FCN from the manifest (fractions), or null when absent / malformed. */
export function fcnEval(
	m: ManifestLike | null,
	s: 'fcn32s' | 'fcn16s' | 'fcn8s'
): { pixelAcc: number; meanAcc: number; meanIU: number; fwIU: number; testScenes?: number } | null {
	const e = m?.models?.[s]?.eval as Record<string, unknown> | null | undefined;
	if (!e) return null;
	const keys = ['pixelAcc', 'meanAcc', 'meanIU', 'fwIU'] as const;
	if (!keys.every((k) => typeof e[k] === 'number')) return null;
	return {
		pixelAcc: e.pixelAcc as number,
		meanAcc: e.meanAcc as number,
		meanIU: e.meanIU as number,
		fwIU: e.fwIU as number,
		testScenes: typeof e.testScenes === 'number' ? e.testScenes : undefined
	};
}

/**
 * The classifier's test accuracy from the manifest, or null: on test digits drawn as in training, and
 * (when recorded) on large centred ones (the MNIST protocol) and with the scenes' scribbles.
 */
export function classifierAccuracy(
	m: ManifestLike | null
): { accuracy: number; centred?: number; scribbles?: number; count?: number } | null {
	const e = m?.models?.classifier?.eval as Record<string, unknown> | null | undefined;
	if (!e || typeof e.accuracy !== 'number') return null;
	const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
	return {
		accuracy: e.accuracy,
		centred: num(e.accuracyCentred),
		scribbles: num(e.accuracyScribbles),
		count: num(e.testDigits)
	};
}

/** One row of the hyper-parameter table: ours beside the paper's. */
export interface HyperRow {
	name: string;
	ours: string;
	paper: string;
	/** Why ours differs (empty when it follows the paper). */
	note: string;
}

/**
 * The paper's training setup for FCN-VGG16 (CVPR 2015 §4.3 "Optimization" and §3.1/§4.2), as
 * printed there. The weight decay is printed "5^-4 or 2^-4" (read: 5·10⁻⁴ or 2·10⁻⁴). Neither paper
 * gives an epoch count (a "175" in summaries of the paper is not in it); CVPR gives training time.
 */
export const PAPER_HYPER = {
	optimizer: 'SGD with momentum',
	momentum: '0.9',
	batch: '20 images',
	lr: '10⁻⁴ fixed (FCN-VGG16), by line search; biases at 2×',
	loss: 'per-pixel softmax, summed over the image (unnormalised)',
	weightDecay: '5⁻⁴ or 2⁻⁴ as printed (5·10⁻⁴ or 2·10⁻⁴)',
	epochs: 'not given as epochs; CVPR reports wall time instead',
	init: 'ImageNet VGG-16; score layers zero-initialised',
	data: 'PASCAL VOC 2011 train / SBD, 21 classes, void ignored'
} as const;

const fmtNum = (v: number | undefined) => (v === undefined ? '—' : Number(v.toPrecision(3)).toString());

/** Ours (from the manifest's config) beside the paper's, row by row. */
export function hyperRows(c: TrainConfigLike | undefined, testScenes?: number): HyperRow[] {
	const cl = c?.classifier ?? {};
	const f = c?.fcn ?? {};
	const epochs = (s: StageConfigLike) =>
		s.epochs !== undefined && s.steps !== undefined ? `${s.epochs} × ${s.steps} steps` : fmtNum(s.epochs);
	const opt = (s: StageConfigLike) => (s.optimizer === 'adam' ? 'Adam' : 'SGD with momentum');
	const adam = f.optimizer === 'adam' || cl.optimizer === 'adam';
	const mult = f.newLayerLrMult && f.newLayerLrMult !== 1 ? `, layers new in a stage ×${f.newLayerLrMult}` : '';
	const fcnLr =
		f.optimizer === 'adam' || f.baseLr === undefined
			? `${fmtNum(f.lr)}${mult}`
			: `${fmtNum(f.baseLr)} for the per-pixel mean loss, i.e. ${f.lr !== undefined ? f.lr.toExponential(2) : '—'} on the summed loss${mult}`;
	return [
		{
			name: 'optimiser',
			ours: `FCNs: ${opt(f)}; classifier: ${opt(cl)}`,
			paper: PAPER_HYPER.optimizer,
			note: adam
				? 'our classifier is trained from scratch (the paper starts from ImageNet weights) and plain SGD left it, and our FCNs, near chance in the time we had (docs/training.md)'
				: ''
		},
		{
			name: 'momentum',
			ours: `${fmtNum(f.momentum)}${f.optimizer === 'adam' ? ' (Adam’s β₁)' : ''}`,
			paper: PAPER_HYPER.momentum,
			note: ''
		},
		{
			name: 'batch',
			ours: `${fmtNum(f.batch)} scenes (FCNs), ${fmtNum(cl.batch)} digits (classifier)`,
			paper: PAPER_HYPER.batch,
			note: f.batch !== 20 ? 'smaller, for 2 CPU cores' : ''
		},
		{
			name: 'learning rate',
			ours: `FCNs: ${fcnLr}; classifier: ${fmtNum(cl.lr)}`,
			paper: PAPER_HYPER.lr,
			note:
				f.optimizer === 'adam'
					? 'with Adam the sum-vs-mean normalisation of the loss no longer changes the step size'
					: 'chosen for our small net and data'
		},
		{ name: 'loss', ours: 'per-pixel softmax, summed over pixels, void ignored', paper: PAPER_HYPER.loss, note: '' },
		{
			name: 'weight decay',
			ours: 'none',
			paper: PAPER_HYPER.weightDecay,
			note: 'short runs on abundant synthetic scenes'
		},
		{
			name: 'training length',
			ours: `FCNs: ${epochs(f)} each; classifier: ${epochs(cl)}`,
			paper: PAPER_HYPER.epochs,
			note: 'a ≤ 90-minute budget on 2 cores'
		},
		{
			name: 'initialisation',
			ours: 'our classifier, convolutionalised (surgery); score layers zero, ×2 upsamplings bilinear',
			paper: PAPER_HYPER.init,
			note: ''
		},
		{
			name: 'data',
			ours: `scenes of MNIST digits (training sides ${c?.sceneSides?.join(', ') ?? '—'} px), ${TRAINED.segClasses} classes, void ignored${testScenes ? `; ${testScenes} held-out test scenes` : ''}`,
			paper: PAPER_HYPER.data,
			note: 'VOC cannot be downloaded here'
		}
	];
}
