import {UsageError} from './errors.js';

/** `30s`, `5m`, `1h30m`, `24h`, `2d`: a length of time as people write it, in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
	const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
	let total = 0;
	for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(amount) * units[unit!]!;
	return total;
}

/** `29m 5s`, `1h 2m`, `45s`: how long remains, to the second, as a countdown says it. */
export function formatDuration(milliseconds: number): string {
	const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
	const days = Math.floor(seconds / 86_400);
	const hours = Math.floor((seconds % 86_400) / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = seconds % 60;
	const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', rest || seconds === 0 ? `${rest}s` : ''].filter(Boolean);
	return parts.slice(0, 2).join(' ');
}

/** `--lock-wait 5m` in milliseconds (0 without it); a UsageError for what is no duration. */
export function lockWaitOf(text: string | undefined): number {
	if (text === undefined) return 0;
	const milliseconds = parseDuration(text);
	if (milliseconds === undefined) throw new UsageError(`--lock-wait "${text}" is not a duration; write it like 30s, 5m or 1h`);
	return milliseconds;
}
