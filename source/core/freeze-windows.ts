import {z} from 'zod';

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = typeof weekdays[number];

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour), like 16:00');

/** A time zone Intl knows (`Europe/Amsterdam`, `UTC`): checked here, so a typo fails `validate`, not a promotion. */
const timeZone = z.string().min(1).refine(value => {
	try {
		new Intl.DateTimeFormat('en-US', {timeZone: value});
		return true;
	} catch {
		return false;
	}
}, 'must be an IANA time zone, like Europe/Amsterdam or UTC');

/** One recurring freeze: on each listed day from `from` to `to` (the next day when `to` is not after `from`), in `timezone`. */
export const freezeWindowSchema = z.strictObject({
	days: z.array(z.enum(weekdays)).min(1).default([...weekdays]),
	from: clockTime,
	to: clockTime,
	timezone: timeZone.default('UTC'),
	reason: z.string().min(1).max(500).refine(value => !/[\u0000-\u001F\u007F-\u009F]/.test(value), 'must be printable text on one line'),
});

export type FreezeWindow = z.output<typeof freezeWindowSchema>;

function minutesOf(clock: string): number {
	const [hours, minutes] = clock.split(':').map(Number);
	return hours! * 60 + minutes!;
}

/** The weekday and minute of the day at `at` on the wall clocks of `timezone`. */
function wallClock(at: Date, timezone: string): {day: number; minute: number} {
	const parts = new Intl.DateTimeFormat('en-US', {timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}).formatToParts(at);
	const part = (type: string) => parts.find(item => item.type === type)!.value;
	return {day: weekdays.indexOf(part('weekday').toLowerCase() as Weekday), minute: Number(part('hour')) * 60 + Number(part('minute'))};
}

/** `Mon 09:00 Europe/Amsterdam`. */
export function formatWallTime(at: Date, timezone: string): string {
	const text = new Intl.DateTimeFormat('en-GB', {timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}).format(at);
	return `${text} ${timezone}`;
}

/** The freeze in force at `at`, and when it ends; undefined when `at` is in no window. */
export function activeFreezeWindow(windows: readonly FreezeWindow[], at: Date): {window: FreezeWindow; endsAt: Date} | undefined {
	let found: {window: FreezeWindow; endsAt: Date} | undefined;
	for (const window of windows) {
		const {day, minute} = wallClock(at, window.timezone);
		const from = minutesOf(window.from);
		const to = minutesOf(window.to);
		const spansMidnight = to <= from;
		const listed = (weekday: number) => window.days.includes(weekdays[(weekday + 7) % 7]!);
		let minutesLeft: number | undefined;
		if (listed(day) && minute >= from && (spansMidnight || minute < to)) minutesLeft = spansMidnight ? 1440 - minute + to : to - minute;
		else if (spansMidnight && listed(day - 1) && minute < to) minutesLeft = to - minute;
		if (minutesLeft === undefined) continue;
		const startOfMinute = at.getTime() - (at.getTime() % 60_000);
		const endsAt = new Date(startOfMinute + minutesLeft * 60_000);
		if (!found || endsAt > found.endsAt) found = {window, endsAt};
	}

	return found;
}

/**
 * Why the environment is frozen at `at`, in words with when it ends, or null: `freeze` is a
 * reason (frozen until someone lifts it) or a list of windows.
 */
export function freezeReason(freeze: string | readonly FreezeWindow[] | null, at: Date): string | null {
	if (freeze === null) return null;
	if (typeof freeze === 'string') return freeze;
	const active = activeFreezeWindow(freeze, at);
	return active ? `${active.window.reason} (until ${formatWallTime(active.endsAt, active.window.timezone)})` : null;
}
