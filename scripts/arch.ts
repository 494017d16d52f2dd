/**
 * npm run arch -- --net vgg16|fcn32s|fcn16s|fcn8s|alexnet|fcn-alexnet [--input 224 | --input HxW]
 *                 [--geometry caffe|same] [--classes N] [--width W] [--json]
 *
 * Prints the geometry of a network layer by layer (src/lib/fcn computes every number). Bad flags
 * or an input the net cannot take: one line on stderr, exit code 2.
 */
import {
	analyze,
	formatArchTable,
	GeometryError,
	NET_NAMES,
	networkByName,
	type Geometry,
	type NetName,
	type NetOptions
} from '$lib/fcn';

class UsageError extends Error {}

const USAGE =
	'usage: npm run arch -- --net ' +
	NET_NAMES.join('|') +
	' [--input 224 | --input HxW] [--geometry caffe|same] [--classes N] [--width W] [--json]';

interface Args {
	net: NetName;
	input?: [number, number];
	opts: NetOptions;
	json: boolean;
}

function parse(argv: string[]): Args {
	let net: NetName | undefined;
	let input: [number, number] | undefined;
	const opts: NetOptions = {};
	let json = false;
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--json') {
			json = true;
			continue;
		}
		if (flag === '--help' || flag === '-h') throw new UsageError(USAGE);
		const value = argv[i + 1];
		const known = ['--net', '--input', '--geometry', '--classes', '--width'];
		if (!known.includes(flag)) throw new UsageError(`unknown flag '${flag}'; ${USAGE}`);
		if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
		i++;
		switch (flag) {
			case '--net':
				if (!(NET_NAMES as readonly string[]).includes(value)) {
					throw new UsageError(`unknown net '${value}' (one of ${NET_NAMES.join(', ')})`);
				}
				net = value as NetName;
				break;
			case '--input': {
				const m = /^(\d+)(?:[x×](\d+))?$/.exec(value);
				if (!m) throw new UsageError(`--input takes a size like 224 or 500x375 (height×width), not '${value}'`);
				const h = Number(m[1]);
				const w = Number(m[2] ?? m[1]);
				if (h < 1 || w < 1) throw new UsageError(`--input must be at least 1×1, not '${value}'`);
				input = [h, w];
				break;
			}
			case '--geometry':
				if (value !== 'caffe' && value !== 'same') throw new UsageError(`--geometry is caffe or same, not '${value}'`);
				opts.geometry = value as Geometry;
				break;
			case '--classes': {
				const n = Number(value);
				if (!Number.isInteger(n) || n < 1) throw new UsageError(`--classes takes a whole number ≥ 1, not '${value}'`);
				opts.classes = n;
				break;
			}
			case '--width': {
				const w = Number(value);
				if (!Number.isFinite(w) || w <= 0) throw new UsageError(`--width takes a number > 0, not '${value}'`);
				opts.width = w;
				break;
			}
		}
	}
	if (!net) throw new UsageError(`--net is required; ${USAGE}`);
	return { net, input, opts, json };
}

function main(argv: string[]): number {
	try {
		const args = parse(argv);
		const net = networkByName(args.net, args.opts);
		// Default input: the classifier's own (224 for VGG-16, 227 for AlexNet).
		const input = args.input ?? net.fixedInput ?? (args.net.includes('alexnet') ? [227, 227] : [224, 224]);
		if (net.fixedInput && (input[0] !== net.fixedInput[0] || input[1] !== net.fixedInput[1])) {
			const fcn = args.net === 'vgg16' ? 'fcn32s' : 'fcn-alexnet';
			throw new UsageError(
				`${args.net} is a classifier with dense layers: it accepts only its fixed ${net.fixedInput.join('×')} input, not ${input.join('×')} (use --net ${fcn} for any size)`
			);
		}
		const report = analyze(net, input);
		process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatArchTable(report) + '\n');
		return 0;
	} catch (e) {
		if (e instanceof UsageError || e instanceof GeometryError) {
			process.stderr.write(`arch: ${e.message}\n`);
			return 2;
		}
		// The network definitions throw plain Errors for options they cannot build (e.g. alexnet --geometry same).
		if (e instanceof Error && !(e instanceof TypeError) && !(e instanceof ReferenceError)) {
			process.stderr.write(`arch: ${e.message}\n`);
			return 2;
		}
		throw e;
	}
}

process.exitCode = main(process.argv.slice(2));
