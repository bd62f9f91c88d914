const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** `90s`, `30m`, `24h`, `7d` (or a sum like `1h30m`) in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
	const parts = /^(?:\d+[smhd])+$/.test(text) ? text.match(/\d+[smhd]/g) : null;
	if (!parts) return undefined;
	return parts.reduce((total, part) => total + Number(part.slice(0, -1)) * units[part.at(-1)!]!, 0);
}
