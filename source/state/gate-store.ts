import path from 'node:path';
import type {GateRecords} from '../core/adapters.js';
import {isGateRecord, type GateRecord} from '../core/gate-records.js';
import {JsonLinesFile} from './json-lines.js';

/** `gates.jsonl`: hold releases and approvals, a line each; a torn line is never read as a release or an approval (json-lines.ts). */
export class GateStore extends JsonLinesFile<GateRecord> implements GateRecords {
	constructor(stateDirectory: string, warn: (message: string) => void = () => undefined) {
		super(path.join(stateDirectory, 'gates.jsonl'), isGateRecord, warn);
	}
}
