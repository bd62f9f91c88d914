import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {renderReport, reportFormatFor} from '../core/check-report.js';
import type {CheckRun} from '../core/checks.js';
import {UsageError} from '../core/errors.js';

/** Writes a run's report, its format chosen by the file's extension; resolves to the absolute path written. */
export function writeCheckReport(file: string, run: CheckRun): string {
	const format = reportFormatFor(file);
	const target = path.resolve(file);
	try {
		writeFileSync(target, renderReport(run, format));
	} catch (error) {
		throw new UsageError(`cannot write the report to ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} — choose a writable path`);
	}

	return target;
}
