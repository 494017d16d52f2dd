/**
 * Uploads are judged by their header before anything is decoded: `sniffImage` names the format and
 * reads the picture's size (and a GIF's frame count) without decoding a pixel, so that
 * `decodeImageFile` can refuse an empty file, an SVG, a file that is no picture, or a picture too
 * large to decode (a 20000×20000 PNG) with a clear message, and keep the tab responsive.
 * Fixtures are built in code (tests/fixtures/images.ts) or here, byte by byte.
 */
import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { crc32, gifAnimated, pngBits, pngChunk, pngGrey, pngRgba } from '../../fixtures/images.ts';
import { UPLOAD_LIMITS, decodeImageFile } from '$lib/data/decode';
import { sniffImage } from '$lib/data/sniff';

const bytes = (...parts: (number[] | string | Uint8Array)[]) =>
	new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [...p])));
const u16be = (n: number) => [n >> 8, n & 0xff];
const u16le = (n: number) => [n & 0xff, n >> 8];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];

/** A JPEG header: SOI, then segments (marker, body), with an entropy-coded scan after them. */
function jpeg(...segments: [number, number[]][]): Uint8Array {
	return bytes(
		[0xff, 0xd8],
		...segments.map(([m, body]) => [0xff, m, ...u16be(body.length + 2), ...body]),
		[0xff, 0xda, 0, 2, 0x12, 0x34, 0xff, 0xd9]
	);
}
/** A frame header body: precision 8, height, width, one component. */
const sof = (w: number, h: number) => [8, ...u16be(h), ...u16be(w), 1, 1, 0x11, 0];

/** A RIFF/WebP file from its chunks (fourcc, data), each padded to an even length. */
function webp(...chunks: [string, number[]][]): Uint8Array {
	const body = bytes('WEBP', ...chunks.map(([cc, d]) => bytes(cc, u32le(d.length), d, d.length & 1 ? [0] : [])));
	return bytes('RIFF', u32le(body.length), body);
}

/** The 20000×20000 all-black 1-bit PNG (built once: it inflates to 50 MB). */
let hugePng: Buffer | undefined;
const huge = () => (hugePng ??= pngBits(20000, 20000));

/** Three 40×30 frames, each a different bright square on black. */
function threeFrameGif() {
	const w = 40;
	const h = 30;
	const frames = [0, 1, 2].map((k) => {
		const f = new Uint8Array(w * h);
		for (let y = 5; y < 15; y++) for (let x = 5 + 10 * k; x < 15 + 10 * k; x++) f[y * w + x] = 1;
		return f;
	});
	return {
		w,
		h,
		frames,
		gif: gifAnimated(
			w,
			h,
			[
				[0, 0, 0],
				[255, 255, 255]
			],
			frames
		)
	};
}

describe('sniffImage(bytes): format and size from the header', () => {
	it('reads a PNG’s size from IHDR (grey, RGBA and 1-bit encodings)', () => {
		expect(sniffImage(pngGrey(7, 3, new Uint8Array(21)))).toEqual({ format: 'png', width: 7, height: 3, frames: 1 });
		expect(sniffImage(pngRgba(2, 5, new Uint8Array(40)))).toEqual({ format: 'png', width: 2, height: 5, frames: 1 });
		expect(sniffImage(pngBits(1, 1))).toEqual({ format: 'png', width: 1, height: 1, frames: 1 });
	});

	it('reads the frame count of an animated PNG from its acTL chunk (the first frame is what gets decoded)', () => {
		const still = pngGrey(4, 4, new Uint8Array(16));
		const actl = pngChunk('acTL', Buffer.from([0, 0, 0, 6, 0, 0, 0, 0])); // 6 frames, loop forever
		const apng = Buffer.concat([still.subarray(0, 33), actl, still.subarray(33)]); // after signature + IHDR
		expect(sniffImage(apng)).toEqual({ format: 'png', width: 4, height: 4, frames: 6 });
	});

	it('reads a 20000×20000 PNG’s size from its 50 kB file, which is a valid PNG (CRCs hold, IDAT inflates to every row)', () => {
		const big = huge();
		expect(big.length).toBeLessThan(100_000);
		expect(sniffImage(big)).toEqual({ format: 'png', width: 20000, height: 20000, frames: 1 });
		// Walk the chunks: each CRC is right, and the image data holds height rows of (1 + ⌈width / 8⌉) bytes.
		const idat: Buffer[] = [];
		for (let p = 8; p < big.length;) {
			const len = big.readUInt32BE(p);
			const type = big.toString('latin1', p + 4, p + 8);
			expect(big.readUInt32BE(p + 8 + len), `CRC of ${type}`).toBe(crc32(big.subarray(p + 4, p + 8 + len)));
			if (type === 'IDAT') idat.push(big.subarray(p + 8, p + 8 + len));
			p += 12 + len;
		}
		expect(inflateSync(Buffer.concat(idat)).length).toBe(20000 * (1 + 20000 / 8));
	});

	it('reads a GIF’s logical screen size and counts its frames', () => {
		const { w, h, frames, gif } = threeFrameGif();
		expect(sniffImage(gif)).toEqual({ format: 'gif', width: w, height: h, frames: frames.length });
		expect(sniffImage(gifAnimated(1, 1, [[9, 9, 9]], [new Uint8Array(1)]))).toEqual({
			format: 'gif',
			width: 1,
			height: 1,
			frames: 1
		});
	});

	it('counts GIF frames past extensions, local colour tables and data that contain block bytes (0x21, 0x2c, 0x3b)', () => {
		const trap = [0x21, 0x2c, 0x3b, 0x2c];
		const frame = [
			[0x21, 0xf9, 4, 0, 10, 0, 0, 0], // graphic control extension
			[0x2c, ...u16le(0), ...u16le(0), ...u16le(2), ...u16le(1), 0x81], // descriptor with a 4-colour local table
			[...trap, ...trap, ...trap], // the local colour table (12 bytes)
			[2, 4, ...trap, 0] // LZW code size, one 4-byte sub-block, terminator
		].flat();
		const gif = bytes(
			'GIF89a',
			[...u16le(2), ...u16le(1), 0x00, 0, 0],
			[0x21, 0xfe, 4, ...trap, 0],
			frame,
			frame,
			[0x3b]
		);
		expect(sniffImage(gif)).toEqual({ format: 'gif', width: 2, height: 1, frames: 2 });
	});

	it('walks JPEG segments (APPn, DQT, DHT, fill bytes) to the first frame header, baseline or progressive', () => {
		const app1 = [...bytes('Exif\0\0'), 0xff, 0xc0, 0, 17, 8, 0, 1, 0, 1]; // an APP1 body that looks like a SOF0
		const dht = [0x00, 0xff, 0xd9, 0xff, 0xc0];
		expect(
			sniffImage(
				jpeg(
					[0xe0, [...bytes('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]],
					[0xe1, app1],
					[0xdb, new Array(65).fill(1)],
					[0xc4, dht],
					[0xc0, sof(640, 480)]
				)
			)
		).toEqual({
			format: 'jpeg',
			width: 640,
			height: 480,
			frames: 1
		});
		const progressive = jpeg([0xc2, sof(3000, 4000)]);
		expect(sniffImage(progressive)).toEqual({ format: 'jpeg', width: 3000, height: 4000, frames: 1 });
		// Fill bytes (0xff) may precede a marker.
		const filled = bytes([0xff, 0xd8, 0xff, 0xff, 0xff, 0xc1, ...u16be(2 + sof(1, 2).length), ...sof(1, 2)]);
		expect(sniffImage(filled)).toEqual({ format: 'jpeg', width: 1, height: 2, frames: 1 });
	});

	it('reads the size of a lossy (VP8), lossless (VP8L) and extended (VP8X) WebP, and counts an animated one’s frames', () => {
		const vp8 = webp([
			'VP8 ',
			[0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...u16le(300 | (1 << 14)), ...u16le(200 | (2 << 14)), 0, 0]
		]);
		expect(sniffImage(vp8)).toEqual({ format: 'webp', width: 300, height: 200, frames: 1 }); // top 2 bits: scaling, not size
		const vp8l = webp(['VP8L', [0x2f, ...u32le((999 - 1) | ((77 - 1) << 14) | (1 << 28)), 0]]);
		expect(sniffImage(vp8l)).toEqual({ format: 'webp', width: 999, height: 77, frames: 1 });
		const still = webp(['VP8X', [0x10, 0, 0, 0, ...u24le(5000 - 1), ...u24le(4 - 1)]], ['ALPH', [1, 2, 3]]);
		expect(sniffImage(still)).toEqual({ format: 'webp', width: 5000, height: 4, frames: 1 });
		const anmf: [string, number[]] = ['ANMF', new Array(17).fill(0)]; // odd length: padded
		const animated = webp(
			['VP8X', [0x02, 0, 0, 0, ...u24le(64 - 1), ...u24le(48 - 1)]],
			['ANIM', [0, 0, 0, 0, 0, 0]],
			anmf,
			anmf,
			anmf,
			anmf
		);
		expect(sniffImage(animated)).toEqual({ format: 'webp', width: 64, height: 48, frames: 4 });
	});

	it('recognises SVG text after a byte-order mark, white space, an XML declaration, comments and a doctype', () => {
		const svg = (s: string) => sniffImage(new TextEncoder().encode(s)).format;
		expect(svg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')).toBe('svg');
		expect(
			svg('\uFEFF\n  <?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: a drawing program <svg> -->\n<svg>')
		).toBe('svg');
		expect(
			svg(
				'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg\n width="1">'
			)
		).toBe('svg');
		expect(svg('<!DOCTYPE svg [ <!ENTITY a "<b>"> ]><svg:svg xmlns:svg="http://www.w3.org/2000/svg"></svg:svg>')).toBe(
			'svg'
		);
		// Not an SVG document: other XML, HTML that embeds an SVG, an element that only starts with "svg", a comment never closed.
		expect(svg('<?xml version="1.0"?><note>svg</note>')).toBe('unknown');
		expect(svg('<html><body><svg></svg></body></html>')).toBe('unknown');
		expect(svg('<svgx>')).toBe('unknown');
		expect(svg('<!-- <svg>')).toBe('unknown');
	});

	it('calls anything else unknown: text, other formats, random bytes, nothing at all', () => {
		let seed = 7;
		const random = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
		for (const b of [
			bytes('these are notes, not a picture\n'),
			bytes('BM', [0, 0, 0, 0]),
			bytes('GIF8'),
			random,
			new Uint8Array(0)
		]) {
			expect(sniffImage(b)).toEqual({ format: 'unknown' });
		}
	});

	it('gives a truncated header its format but no size, never throws, and never counts more GIF frames than there are', () => {
		const { gif, frames } = threeFrameGif();
		const files = [
			pngGrey(7, 3, new Uint8Array(21)),
			gif,
			jpeg([0xe0, new Array(14).fill(0)], [0xc0, sof(640, 480)]),
			webp(['VP8 ', [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...u16le(300), ...u16le(200), 0, 0]]),
			webp(['VP8L', [0x2f, ...u32le(99 | (88 << 14)), 0]]),
			webp(['VP8X', [0x02, 0, 0, 0, ...u24le(63), ...u24le(47)]], ['ANMF', [1, 2]])
		];
		for (const file of files) {
			const full = sniffImage(file);
			for (let n = 0; n <= file.length; n++) {
				const s = sniffImage(file.subarray(0, n));
				if (s.format === 'unknown') continue; // too short for the magic bytes
				expect(s.format).toBe(full.format);
				if (s.width !== undefined) expect([s.width, s.height]).toEqual([full.width, full.height]);
				expect(s.frames ?? 0).toBeLessThanOrEqual(full.frames!);
			}
			expect(sniffImage(file.subarray(0, 10)).width).toBeUndefined();
		}
		// A GIF cut where its third frame begins has two.
		const third = gif.lastIndexOf(Buffer.from([0x21, 0xf9, 4])); // its graphic control extension
		expect(sniffImage(gif.subarray(0, third)).frames).toBe(frames.length - 1);
	});
});

describe('decodeImageFile(file) refuses, before decoding, with a message for the reader', () => {
	const file = (parts: BlobPart[], name: string, type: string) => new File(parts, name, { type });

	it('an empty file, naming it and its 0 bytes', async () => {
		await expect(decodeImageFile(file([], 'x.png', 'image/png'))).rejects.toThrow(
			/^“x\.png” is empty \(0 bytes\); choose a PNG, JPEG, WebP or GIF picture\.$/
		);
	});

	it('a file over the byte limit, naming its size and the limit', async () => {
		const big = file([new Uint8Array(60_000_000)], 'scan.png', 'image/png');
		await expect(decodeImageFile(big)).rejects.toThrow(
			new RegExp(`^“scan\\.png” is 60 MB; files up to ${UPLOAD_LIMITS.maxBytes / 1e6} MB are read`)
		);
	});

	it('an SVG, by its content or its type, saying to export it as a PNG', async () => {
		const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
		await expect(decodeImageFile(file([svg], 'drawing.svg', 'image/svg+xml'))).rejects.toThrow(
			/“drawing\.svg” is an SVG.*vector drawings are not read.*export it as a PNG/
		);
		await expect(decodeImageFile(file([svg], 'drawing', ''))).rejects.toThrow(/is an SVG/);
		await expect(decodeImageFile(file(['not xml at all'], 'd.svg', 'image/svg+xml'))).rejects.toThrow(/is an SVG/);
	});

	it('a 20000×20000 PNG by its header, naming its size in pixels and the limit (it never reaches the decoder)', async () => {
		await expect(decodeImageFile(file([new Uint8Array(huge())], 'huge.png', 'image/png'))).rejects.toThrow(
			new RegExp(
				`“huge\\.png” is 20000×20000 pixels \\(400 megapixels\\); pictures up to ${UPLOAD_LIMITS.maxPixels / 1e6} megapixels are read`
			)
		);
	});

	it('text named .png, and a file that is not an image type, with the existing messages', async () => {
		await expect(decodeImageFile(file(['these are notes\n'], 'notes.png', 'image/png'))).rejects.toThrow(
			/^“notes\.png” could not be read as an image; choose a PNG/
		);
		await expect(decodeImageFile(file(['a,b\n'], 'data.csv', 'text/csv'))).rejects.toThrow(
			/“data\.csv” is not an image \(text\/csv\)/
		);
	});
});
