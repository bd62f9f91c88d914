import {z} from 'zod';
import {parseDuration} from './duration.js';
import {freezeWindowSchema} from './freeze-windows.js';
import {gateProtectionSchema, retentionSchema} from './gate-schema.js';
import {sshAddressProblem} from './ssh-address.js';

/** Environment names double as file names, lock names and container labels. */
export const environmentNamePattern = /^[a-z0-9][a-z0-9-]*$/;

const environmentName = z
	.string()
	.regex(environmentNamePattern, 'must be lowercase letters, digits and dashes, starting with a letter or digit');

/** Control characters, escapes and the Unicode controls that reorder text: none belongs in a name shown on a terminal. */
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * The rules of `git check-ref-format` for a branch name. Shell metacharacters are legal in git
 * branch names, so they are legal here too: values reach shells only through zx's quoting.
 */
function branchNameProblem(name: string): string | undefined {
	if (name.length === 0) return 'must not be empty';
	if (name.startsWith('-')) return 'must not start with a dash';
	if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'has an empty path component';
	if (name.endsWith('.') || name.endsWith('.lock')) return 'must not end with "." or ".lock"';
	if (name.includes('..') || name.includes('@{') || name === '@') return 'must not contain "..", "@{" or be "@"';
	if (name.split('/').some(part => part.startsWith('.'))) return 'no path component may start with "."';
	if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name) || controlCharacters.test(name)) return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
	return undefined;
}

const branchName = z.string().max(255).superRefine((value, context) => {
	const problem = branchNameProblem(value);
	if (problem) context.addIssue({code: 'custom', message: `not a valid git branch name: ${problem}`});
});

export const dockerHostPattern = /^(unix|tcp|ssh|npipe):\/\/.+/;

const dockerHost = z
	.string()
	.regex(dockerHostPattern, 'must be a unix://, tcp://, ssh:// or npipe:// address')
	.superRefine((value, context) => {
		const problem = value.startsWith('ssh://') ? sshAddressProblem(value) : undefined;
		if (problem) context.addIssue({code: 'custom', message: problem});
	});

/** Docker's own rule for context names. */
export const dockerContextPattern = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/** Certificate files for a tcp:// engine; paths relative to the project root, `~` for the home folder. */
const tlsSchema = z.strictObject({
	ca: z.string().min(1).optional(),
	cert: z.string().min(1).optional(),
	key: z.string().min(1).optional(),
	/** Check the engine's certificate against `ca` (or the system's CAs). Off is allowed, and shown as a warning everywhere. */
	verify: z.boolean().default(true),
});

/** Docker's own rule for stack names (they prefix every service and network of the stack). */
const stackName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a stack name: letters, digits and _ . -, starting with a letter or digit').max(63);

/** A Swarm service update's update_config, as the environment asks for it; failure_action rolls a failing service back on its own. */
const swarmUpdateSchema = z.strictObject({
	parallelism: z.number().int().min(0).default(1),
	delayMs: z.number().int().min(0).default(0),
	monitorMs: z.number().int().min(0).default(5000),
	order: z.enum(['start-first', 'stop-first']).default('start-first'),
	failureAction: z.enum(['rollback', 'pause']).default('rollback'),
});

const dockerObjectSchema = z
	.strictObject({
		/** Absent means containers: single-host containers selected by their compose project label. */
		mode: z.enum(['containers', 'swarm']).optional(),
		stack: stackName.optional(),
		/** Swarm only; absent means every default below. */
		update: swarmUpdateSchema.optional(),
		host: dockerHost.optional(),
		context: z.string().regex(dockerContextPattern, 'must be a Docker context name: letters, digits and _ . + -, starting with a letter or digit').optional(),
		tls: tlsSchema.optional(),
		/** Containers: the compose project label that selects them. Swarm: defaults to the stack's name (locks, labels). */
		project: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a compose project name: lowercase letters, digits, dashes and underscores').optional(),
	})
	.superRefine((docker, context) => {
		if (docker.host && docker.context) {
			context.addIssue({code: 'custom', path: ['context'], message: 'name either host or context, not both: a context carries its own address'});
		}

		if (docker.tls && docker.context) {
			context.addIssue({code: 'custom', path: ['tls'], message: 'a context carries its own TLS material (`docker context create NAME --docker host=…,ca=…,cert=…,key=…`); remove tls here'});
		} else if (docker.tls && !docker.host?.startsWith('tcp://')) {
			context.addIssue({code: 'custom', path: ['tls'], message: 'applies only to a tcp:// host; set docker.host: tcp://HOST:2376'});
		}

		if (docker.mode !== 'swarm' && docker.project === undefined) {
			context.addIssue({code: 'custom', path: ['project'], message: 'is required'});
		}

		if (docker.mode === 'swarm' && docker.stack === undefined) {
			context.addIssue({code: 'custom', path: ['stack'], message: 'a swarm environment names its stack (the com.docker.stack.namespace of its services): add stack: NAME'});
		} else if (docker.mode !== 'swarm' && docker.stack !== undefined) {
			context.addIssue({code: 'custom', path: ['stack'], message: 'applies only to mode: swarm; add mode: swarm or remove stack'});
		}

		if (docker.tls?.cert !== undefined && docker.tls.key === undefined) {
			context.addIssue({code: 'custom', path: ['tls', 'cert'], message: 'a client certificate needs its key: add tls.key'});
		} else if (docker.tls?.key !== undefined && docker.tls.cert === undefined) {
			context.addIssue({code: 'custom', path: ['tls', 'key'], message: 'a client key needs its certificate: add tls.cert'});
		}
	});

const dockerSchema = dockerObjectSchema.transform(docker => ({...docker, project: docker.project ?? (docker.stack ?? '').toLowerCase().replace(/[^a-z0-9_-]/g, '-')}));

const httpUrl = z.string().refine(value => {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}, 'must be an http:// or https:// URL');

/** Free text that is shown to people (titles, names, reasons): one printable line. */
function plainText(maximum: number) {
	return z.string().min(1).max(maximum).refine(value => !controlCharacters.test(value), 'must be printable text on one line (no control characters or escape sequences)');
}

/** A recipe named by its path under `recipes/`: never absolute, never climbing out. */
const recipeFile = z.string().min(1).refine(
	value => !value.startsWith('/') && !value.includes('\\') && !/^[a-z]:/i.test(value) && !value.split('/').includes('..') && value.split('/').every(part => part.length > 0),
	'must be a file inside recipes/, like deploy.mjs or checks/smoke.mjs (not absolute, no "..")',
);

const httpStatus = z.number().int().min(100).max(599);
const positiveMilliseconds = z.number().int().positive();

const probeSchema = z.strictObject({
	name: plainText(100),
	url: httpUrl,
	expectStatus: httpStatus.default(200),
	timeoutMs: positiveMilliseconds.default(2000),
});

const serviceSchema = z.strictObject({
	image: plainText(255),
	build: z.string().min(1).optional(),
	port: z.number().int().min(1).max(65535).optional(),
	containerPort: z.number().int().min(1).max(65535).optional(),
	healthPath: z.string().startsWith('/').optional(),
	/** Swarm environments: how many tasks the service runs. */
	replicas: z.number().int().min(0).max(100).optional(),
	environment: z.record(z.string(), z.string()).optional(),
});

/** A regular expression given as text: it must compile, so a typo is a configuration error, not a check that never matches. */
const regexText = z.string().min(1).max(500).refine(value => {
	try {
		new RegExp(value);
		return true;
	} catch {
		return false;
	}
}, 'must be a valid regular expression');

/** A span of time people write: `30m`, `24h`, `7d`. */
const durationText = z.string().refine(value => parseDuration(value) !== undefined, 'must be a duration like 30m, 24h or 7d');

const tcpPort = z.number().int().min(1).max(65535);
const hostName = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a host name or IP address');

/** What every check has: a name, what it proves (present mode and reports show it) and how long it may take. */
const checkBase = {
	name: plainText(200),
	description: plainText(500).optional(),
};

/** The security headers a `headers` check expects when it names none; `x-frame-options` is also met by CSP frame-ancestors. */
export const defaultSecurityHeaders = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options'] as const;

/** Every check type, in the order the README lists them. */
export const checkTypes = ['health', 'http', 'latency', 'tcp', 'tls', 'headers', 'logs', 'recipe'] as const;

const checkSchema = z.discriminatedUnion('type', [
	z.strictObject({...checkBase, type: z.literal('health'), timeoutMs: positiveMilliseconds.default(10_000)}),
	z.strictObject({
		...checkBase,
		type: z.literal('http'),
		url: httpUrl,
		method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
		/** A request body (POST, PUT, PATCH), sent as is. */
		body: z.string().max(100_000).optional(),
		expectStatus: httpStatus.default(200),
		/** Text the response body must contain. */
		expectText: z.string().min(1).max(1000).optional(),
		/** A regular expression the response body must match. */
		expectPattern: regexText.optional(),
		maxLatencyMs: positiveMilliseconds.optional(),
		timeoutMs: positiveMilliseconds.default(5000),
	}),
	z.strictObject({
		...checkBase,
		type: z.literal('latency'),
		url: httpUrl,
		requests: z.number().int().min(1).max(1000).default(20),
		/** The 95th percentile must be within this budget. */
		p95Ms: positiveMilliseconds,
		timeoutMs: positiveMilliseconds.default(30_000),
	}),
	z.strictObject({...checkBase, type: z.literal('tcp'), host: hostName, port: tcpPort, timeoutMs: positiveMilliseconds.default(3000)}),
	z.strictObject({
		...checkBase,
		type: z.literal('tls'),
		host: hostName,
		port: tcpPort.default(443),
		/** The name the certificate must be valid for; default: host. */
		serverName: hostName.optional(),
		/** Fails when the certificate expires within this many days. */
		minDaysValid: z.number().int().min(0).max(3650).default(14),
		/** A CA certificate (PEM) to trust besides the system's, relative to the project root (e.g. an internal CA). */
		ca: z.string().min(1).optional(),
		timeoutMs: positiveMilliseconds.default(5000),
	}),
	z.strictObject({
		...checkBase,
		type: z.literal('headers'),
		url: httpUrl,
		expect: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name')).min(1).default([...defaultSecurityHeaders]),
		timeoutMs: positiveMilliseconds.default(5000),
	}),
	z.strictObject({
		...checkBase,
		type: z.literal('logs'),
		/** No line of the environment's running containers since its release started may match. */
		pattern: regexText.default('ERROR|FATAL|panic'),
		timeoutMs: positiveMilliseconds.default(10_000),
	}),
	z.strictObject({
		...checkBase,
		type: z.literal('recipe'),
		recipe: recipeFile.refine(value => value.startsWith('checks/'), 'a check recipe lives in recipes/checks/, like checks/integration.mjs'),
		timeoutMs: positiveMilliseconds.default(60_000),
	}),
]);

export const environmentSchema = z.strictObject({
	name: environmentName,
	title: plainText(100).optional(),
	branch: branchName,
	promotesTo: environmentName.nullable().optional(),
	readOnly: z.boolean().default(false),
	docker: dockerSchema,
	services: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'service names are lowercase letters, digits, dashes and underscores'), serviceSchema).default({}),
	probes: z.array(probeSchema).default([]),
	protection: z
		.strictObject({
			confirm: z.enum(['none', 'yes', 'typed']).default('yes'),
			requireCleanTree: z.boolean().default(false),
			approvers: z.array(plainText(200)).default([]),
			/** A reason (frozen until lifted) or recurring windows (core/freeze-windows.ts). */
			freeze: z.union([plainText(500), z.array(freezeWindowSchema).min(1)]).nullable().default(null),
			...gateProtectionSchema,
			/** Promoting out of this environment needs a passing checklist run on the release it runs. */
			requireChecks: z.boolean().default(false),
			/** How old that run may be. */
			checksMaxAge: durationText.default('24h'),
		})
		.prefault({}),
	verify: z
		.strictObject({
			timeoutMs: positiveMilliseconds.default(60_000),
			autoRollback: z.boolean().default(true),
		})
		.prefault({}),
	recipes: z
		.strictObject({
			promote: recipeFile.default('promote.mjs'),
			deploy: recipeFile.default('deploy.mjs'),
			rollback: recipeFile.default('rollback.mjs'),
			/** The longest any one recipe may run before it is stopped (SIGTERM, then SIGKILL). */
			timeoutMs: positiveMilliseconds.default(15 * 60_000),
			/** The shipped rollback recipe may force-push the branch back to origin (with a lease); off unless asked. */
			forcePush: z.boolean().default(false),
		})
		.prefault({}),
	checks: z.array(checkSchema).default([]),
	retention: retentionSchema,
});

/** An environment file after validation, with every default filled in. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ProbeConfig = EnvironmentConfig['probes'][number];
export type CheckConfig = EnvironmentConfig['checks'][number];
export type ServiceConfig = EnvironmentConfig['services'][string];
export type DockerConfig = EnvironmentConfig['docker'];
export type TlsConfig = NonNullable<DockerConfig['tls']>;
export type SwarmUpdateConfig = z.output<typeof swarmUpdateSchema>;
