import stringWidth from 'string-width';
import {narrowText} from './narrow-text.js';

// Made at the first wide text: ICU's segmenter costs a start-up ~5 ms that narrow text never needs.
let graphemes: Intl.Segmenter | undefined;

/**
 * Terminal columns `text` takes (wide characters count double). What a screen shows is nearly all
 * narrow text, a column a character; string-width is kept for the rest, since loading it costs a
 * screen's start 50 to 80 ms (the bundle defers that load for Ink too: narrow-first-string-width.cjs).
 */
export function columns(text: string): number {
	return narrowText.test(text) ? text.length : stringWidth(text);
}

/** A duration in the largest unit that keeps it short: 45s, 12m, 3h, 5d. */
export function formatDuration(milliseconds: number): string {
	const seconds = Math.max(0, Math.floor(milliseconds / 1000));
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours}h`;
	return `${Math.floor(hours / 24)}d`;
}

/** An uptime at the coarseness a once-a-minute clock can keep true: `<1m`, `12m`, `3h`, `5d`. */
export function formatUptime(iso: string | null | undefined, now: number): string {
	if (!iso) return '—';
	const time = Date.parse(iso);
	if (Number.isNaN(time)) return '—';
	return now - time < 60_000 ? '<1m' : formatDuration(now - time);
}

/** How long ago an ISO time was, or an em dash for none. */
export function formatAge(iso: string | null | undefined, now: number): string {
	if (!iso) return '—';
	const time = Date.parse(iso);
	return Number.isNaN(time) ? '—' : formatDuration(now - time);
}

/** `11-23 06:51 b7dc12e` for `staging-20261123-065142-b7dc12e`: when and what, without the environment the screen already names. */
export function shortRelease(id: string): string {
	const match = /-\d{4}(\d{2})(\d{2})-(\d{2})(\d{2})\d{2}-([0-9a-f]{7,})$/.exec(id);
	return match ? `${match[1]}-${match[2]} ${match[3]}:${match[4]} ${match[5]!.slice(0, 7)}` : id;
}

/** An image's tag as a person reads it: a commit tag to seven characters, any other tag as it is. */
export function shortImageTag(image: string): string {
	const tag = imageTag(image);
	return /^[0-9a-f]{12,40}$/.test(tag) ? tag.slice(0, 7) : tag;
}

/** The tag part of an image reference (`demo-web:1a2b3c4` → `1a2b3c4`), `latest` when untagged, a short id for `sha256:` refs. */
export function imageTag(image: string): string {
	if (image.startsWith('sha256:')) return image.slice(7, 19);
	const digestAt = image.indexOf('@');
	if (digestAt !== -1) return image.slice(digestAt + 1, digestAt + 20);
	const lastSlash = image.lastIndexOf('/');
	const colon = image.indexOf(':', lastSlash + 1);
	return colon === -1 ? 'latest' : image.slice(colon + 1);
}

/** Pads or cuts `text` to exactly `width` terminal columns (wide characters count double; cut text ends in an ellipsis). */
export function fit(text: string, width: number, ascii = false): string {
	const ellipsis = ascii ? '~' : '…';
	if (narrowText.test(text)) {
		if (text.length <= width) return text + ' '.repeat(width - text.length);
		return width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + ellipsis;
	}

	const used = stringWidth(text);
	if (used <= width) return text + ' '.repeat(width - used);
	const room = width <= 1 ? width : width - 1;
	let kept = '';
	let keptColumns = 0;
	graphemes ??= new Intl.Segmenter();
	for (const {segment} of graphemes.segment(text)) {
		const segmentWidth = stringWidth(segment);
		if (keptColumns + segmentWidth > room) break;
		kept += segment;
		keptColumns += segmentWidth;
	}

	return width <= 1 ? kept + ' '.repeat(width - keptColumns) : kept + ' '.repeat(room - keptColumns) + ellipsis;
}

/**
 * `text` in lines of at most `width` columns, broken between words (a word longer than a line is
 * cut), at most `maxLines` of them: the last ends in an ellipsis when text is left over.
 */
export function wrapText(text: string, width: number, maxLines: number, ascii = false): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const joined = line ? `${line} ${word}` : word;
		if (columns(joined) <= width || !line) {
			line = joined;
			continue;
		}

		lines.push(line);
		line = word;
	}

	if (line) lines.push(line);
	const kept = lines.slice(0, maxLines).map(kept => (columns(kept) > width ? fit(kept, width, ascii) : kept));
	if (lines.length > maxLines) {
		const last = kept.length - 1;
		kept[last] = fit(`${kept[last]!} ${lines.slice(maxLines).join(' ')}`, width, ascii);
	}

	return kept;
}
