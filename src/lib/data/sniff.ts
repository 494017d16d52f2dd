/** A picture file's format, size and frame count, read from its first bytes (no pixel decoded). */

/** Formats recognised by `sniffImage` from their first bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'svg' | 'unknown';

/** What a file's header says, read without decoding any pixel. */
export interface ImageSniff {
	format: ImageFormat;
	/** The picture's size in pixels from the header; absent when the header is cut short (and for SVG). */
	width?: number;
	height?: number;
	/**
	 * Number of frames: 1 for a still PNG, JPEG or WebP; for a GIF the image descriptors found by
	 * walking its blocks (a truncated GIF counts the frames it has); for an animated PNG the acTL
	 * count, for an animated WebP its ANMF chunks. Absent when the header is cut short (and for SVG).
	 */
	frames?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Recognises a PNG, JPEG, GIF, WebP or SVG file from its bytes (magic numbers; for SVG, text that
 * starts, after an optional byte-order mark, white space, XML declaration, comments and doctype,
 * with an `<svg` element) and reads the picture's size (and frame count) from its header: PNG IHDR,
 * GIF logical screen, JPEG's first SOFn segment, WebP's VP8 / VP8L / VP8X chunk. Cheap: the only
 * walk is over GIF blocks, JPEG segments and PNG / WebP chunks; no pixel is decoded. Never throws:
 * anything else, or too short to tell, is `unknown`.
 */
export function sniffImage(bytes: Uint8Array): ImageSniff {
	const b = bytes;
	if (PNG_SIGNATURE.every((v, i) => b[i] === v)) return sniffPng(b);
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
	if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return sniffGif(b);
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return sniffWebp(b);
	if (looksLikeSvg(b)) return { format: 'svg' };
	return { format: 'unknown' };
}

function ascii(b: Uint8Array, at: number, n: number): string {
	if (at + n > b.length) return '';
	return String.fromCharCode(...b.subarray(at, at + n));
}
const u16be = (b: Uint8Array, at: number) => b[at] * 256 + b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256;
const u24le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256 + b[at + 2] * 65536;
const u32be = (b: Uint8Array, at: number) => b[at] * 16777216 + b[at + 1] * 65536 + b[at + 2] * 256 + b[at + 3];
const u32le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256 + b[at + 2] * 65536 + b[at + 3] * 16777216;

function sniffPng(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'png' };
	if (ascii(b, 12, 4) !== 'IHDR' || b.length < 24) return r;
	r.width = u32be(b, 16);
	r.height = u32be(b, 20);
	r.frames = 1;
	// An animated PNG announces its frames in an acTL chunk before the first IDAT.
	for (let p = 8; p + 16 <= b.length; p += 12 + u32be(b, p)) {
		const type = ascii(b, p + 4, 4);
		if (type === 'acTL') r.frames = u32be(b, p + 8);
		if (type === 'acTL' || type === 'IDAT' || type === 'IEND') break;
	}
	return r;
}

function sniffJpeg(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'jpeg' };
	let p = 2;
	while (p + 4 <= b.length) {
		if (b[p] !== 0xff) return r; // not a marker: the file is damaged
		const m = b[p + 1];
		if (m === 0xff) {
			p++; // fill byte
			continue;
		}
		p += 2;
		if (m === 0x01 || m === 0xd8 || (m >= 0xd0 && m <= 0xd7)) continue; // markers without a length
		if (m === 0xd9 || m === 0xda) return r; // end of image, or scan data before any frame header
		const len = u16be(b, p);
		if (len < 2) return r;
		// SOF0…SOF15 (C4 = DHT, C8 = JPG extension, CC = DAC are not frame headers): length, precision, height, width.
		if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
			if (p + 7 <= b.length) {
				r.height = u16be(b, p + 3);
				r.width = u16be(b, p + 5);
				r.frames = 1;
			}
			return r;
		}
		p += len;
	}
	return r;
}

/** Size in bytes of a GIF colour table from the packed field that announces it (0 when absent). */
const gifColourTable = (packed: number) => (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);

function sniffGif(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'gif' };
	if (b.length < 13) return r;
	r.width = u16le(b, 6);
	r.height = u16le(b, 8);
	let frames = 0;
	let p = 13 + gifColourTable(b[10]);
	/** Skips data sub-blocks up to and including the zero-length terminator; false if the file ends first. */
	const skipSubBlocks = () => {
		while (p < b.length) {
			const n = b[p];
			p += 1 + n;
			if (n === 0) return true;
		}
		return false;
	};
	walk: while (p < b.length) {
		switch (b[p]) {
			case 0x2c: // image descriptor: separator, left, top, width, height (u16 each), packed
				frames++;
				if (p + 11 > b.length) break walk;
				p += 10 + gifColourTable(b[p + 9]) + 1; // + local colour table + LZW minimum code size
				if (!skipSubBlocks()) break walk;
				break;
			case 0x21: // extension: introducer, label, sub-blocks
				p += 2;
				if (!skipSubBlocks()) break walk;
				break;
			default: // 0x3b trailer, or not a block: stop
				break walk;
		}
	}
	r.frames = frames;
	return r;
}

function sniffWebp(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'webp' };
	const first = ascii(b, 12, 4);
	if (first === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
		// Lossy: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
		r.width = u16le(b, 26) & 0x3fff;
		r.height = u16le(b, 28) & 0x3fff;
		r.frames = 1;
	} else if (first === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
		// Lossless: signature 0x2f, then width − 1 and height − 1 in 14 bits each.
		const bits = u32le(b, 21);
		r.width = (bits & 0x3fff) + 1;
		r.height = ((bits >>> 14) & 0x3fff) + 1;
		r.frames = 1;
	} else if (first === 'VP8X' && b.length >= 30) {
		// Extended: flags, 3 reserved bytes, canvas width − 1 and height − 1 in 24 bits each.
		r.width = u24le(b, 24) + 1;
		r.height = u24le(b, 27) + 1;
		r.frames = 1;
		if (b[20] & 0x02) {
			let frames = 0;
			for (let p = 30; p + 8 <= b.length; p += 8 + u32le(b, p + 4) + (u32le(b, p + 4) & 1)) {
				if (ascii(b, p, 4) === 'ANMF') frames++;
			}
			r.frames = frames;
		}
	}
	return r;
}

/** Text that opens (after BOM, white space, XML declaration, comments, doctype) with an `<svg` element. */
function looksLikeSvg(b: Uint8Array): boolean {
	const s = new TextDecoder('utf-8').decode(b.subarray(0, 64 * 1024));
	/** The index just past `token` found from `from`, or -1. */
	const past = (token: string, from: number) => {
		const at = s.indexOf(token, from);
		return at < 0 ? -1 : at + token.length;
	};
	let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (;;) {
		while (i < s.length && /\s/.test(s[i])) i++;
		if (s.startsWith('<?', i)) i = past('?>', i + 2);
		else if (s.startsWith('<!--', i)) i = past('-->', i + 4);
		else if (s.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
			const close = s.indexOf('>', i);
			const subset = s.indexOf('[', i);
			// An internal subset `[ … ]` may hold `>` characters of its own.
			const from = subset >= 0 && subset < close ? past(']', subset) : i;
			i = from < 0 ? -1 : past('>', from);
		} else return /^<(?:[\w.-]+:)?svg[\s/>]/.test(s.slice(i, i + 64));
		if (i < 0) return false;
	}
}
