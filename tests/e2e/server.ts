/**
 * A small static file server for the built site (`build/`), bound to 127.0.0.1 on a random port.
 * It resolves `/x` to `x.html` or `x/index.html` as adapter-static writes them, and answers anything
 * else with `404.html` (the SPA fallback) and status 404. Every response is cross-origin isolated
 * (COOP + COEP, src/lib/isolation.ts), as `vite preview` and a host that sets headers serve the site.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ISOLATION_HEADERS } from '../../src/lib/isolation.ts';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.wasm': 'application/wasm',
	'.bin': 'application/octet-stream',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf'
};

export interface StaticServer {
	/** `http://127.0.0.1:<port>` */
	origin: string;
	close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}

/**
 * Serves `root` (default `build/`) until `close()`. `isolate: false` leaves out the isolation headers:
 * a static host that cannot set headers, where the service worker adds them.
 */
export async function serveStatic(root = 'build', opts: { isolate?: boolean } = {}): Promise<StaticServer> {
	const isolation = opts.isolate === false ? {} : ISOLATION_HEADERS;
	const base = resolve(root);
	if (!(await isFile(join(base, 'index.html')))) {
		throw new Error(`no built site in ${base}: run \`npm run build\` first`);
	}

	async function resolvePath(pathname: string): Promise<string | undefined> {
		const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
		const file = join(base, rel);
		if (file !== base && !file.startsWith(base + sep)) return undefined; // no escape from root
		const candidates = extname(file)
			? [file]
			: [file, `${file}.html`, join(file, 'index.html')].map((f) => f.replace(/[/\\]\.html$/, '.html'));
		for (const c of candidates) if (await isFile(c)) return c;
		return undefined;
	}

	const server: Server = createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const file = await resolvePath(url.pathname);
			const status = file ? 200 : 404;
			const path = file ?? join(base, '404.html');
			const body = await readFile(path);
			res.writeHead(status, {
				'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
				'cache-control': 'no-store',
				...isolation
			});
			res.end(req.method === 'HEAD' ? undefined : body);
		} catch (e) {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(e));
		}
	});
	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => ok());
	});
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((ok) => {
				server.closeAllConnections();
				server.close(() => ok());
			})
	};
}
