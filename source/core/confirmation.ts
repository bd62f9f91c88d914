import type {EnvironmentConfig} from './environment-schema.js';

/** What the target's protection asks of the operator before anything changes. */
export type ConfirmationNeed =
	| {readonly level: 'none'}
	| {readonly level: 'yes'; readonly env: string}
	| {readonly level: 'typed'; readonly env: string};

export function confirmationFor(environment: Pick<EnvironmentConfig, 'name' | 'protection'>): ConfirmationNeed {
	const level = environment.protection.confirm;
	return level === 'none' ? {level} : {level, env: environment.name};
}

export type ConfirmationFlags = {
	readonly yes?: boolean;
	readonly confirm?: string;
};

/** True when flags alone confirm: `--yes` for `yes`; for `typed`, only `--confirm ENV` with the right name. */
export function flagsConfirm(need: ConfirmationNeed, flags: ConfirmationFlags): boolean {
	if (need.level === 'none') return true;
	if (flags.confirm === need.env) return true;
	return need.level === 'yes' && flags.yes === true;
}

/** The flag that would have confirmed, for a refusal message. */
export function confirmingFlag(need: ConfirmationNeed): string {
	if (need.level === 'typed') return `--confirm ${need.env}`;
	return '--yes';
}

/** A typed confirmation must be exactly the name: no default, no case folding, no stray spaces or control characters. */
export function typedConfirmationMatches(need: ConfirmationNeed, typed: string): boolean {
	return need.level !== 'typed' || typed === need.env;
}
