/**
 * The one URL-state module. Pure (Node-testable): typed parameter specs, parsing with clamping and
 * notices, writing back. The browser's read and write (`readQuery`, `writeQuery`) are in
 * `$lib/url/browser`, kept apart because they import SvelteKit's `$app` modules.
 */
export {
	boolParam,
	clampInt,
	clampTo,
	enumParam,
	floatParam,
	formatValue,
	hrefWith,
	intParam,
	parseQuery,
	parseValue,
	SITE_KEYS,
	textParam,
	toQuery,
	type BoolParam,
	type EnumParam,
	type FloatParam,
	type IntParam,
	type ParamSpec,
	type ParamSpecs,
	type ParseOptions,
	type Parsed,
	type StateOf,
	type TextParam,
	type UrlNotice,
	type ValueOf
} from './query';
export { BACKEND_KEY, CELL_KEY, LAST, PRESENT_KEY, pinFromQuery, presentFromQuery, type CellRequest } from './site';
