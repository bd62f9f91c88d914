/** Names of environment variables whose values must never be shown or logged. */
export const secretNamePattern = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

export const mask = '••••••';

export function isSecretName(name: string): boolean {
	return secretNamePattern.test(name);
}

/** `NAME=value` with the value masked when the name looks secret (for container inspect views). */
export function maskAssignment(assignment: string): string {
	const separator = assignment.indexOf('=');
	if (separator === -1) return assignment;
	const name = assignment.slice(0, separator);
	return isSecretName(name) ? `${name}=${mask}` : assignment;
}

/** Values shorter than this are too common ("1", "yes") to scrub from free text without harm. */
const shortestScrubbedValue = 4;

/**
 * A function that replaces, anywhere in a text, the values of the secret-looking variables of
 * `environment` — the last line of defence for output that quotes URLs, commands or errors.
 */
export function createRedactor(environment: Readonly<Record<string, string | undefined>>): (text: string) => string {
	const values = Object.entries(environment)
		.filter(([name, value]) => isSecretName(name) && value !== undefined && value.length >= shortestScrubbedValue)
		.map(([, value]) => value!)
		.sort((a, b) => b.length - a.length);
	if (values.length === 0) return text => text;
	return text => {
		let redacted = text;
		for (const value of values) redacted = redacted.split(value).join(mask);
		return redacted;
	};
}
