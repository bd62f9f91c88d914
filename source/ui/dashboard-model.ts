import type {EnvironmentStatus} from '../app/collect-status.js';
import {isRetained, type ContainerSnapshot} from '../core/container.js';

/** The containers a panel lists (retained ones summarised instead), after the operator's filter. */
export function visibleContainers(status: EnvironmentStatus, filter: string): ContainerSnapshot[] {
	const needle = filter.trim().toLowerCase();
	return status.containers.filter(container => !isRetained(container, status.release ?? undefined)
		&& (!needle || [container.name, container.service ?? '', container.image, container.state, container.health].some(text => text.toLowerCase().includes(needle))));
}

export function retainedCount(status: EnvironmentStatus): number {
	return status.containers.filter(container => isRetained(container, status.release ?? undefined)).length;
}
