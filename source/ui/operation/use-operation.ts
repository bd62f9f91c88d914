import {useRef, useState} from 'react';
import type {StartOperation} from '../../app/operation-face.js';
import type {ConfirmationNeed} from '../../core/confirmation.js';
import type {FlowState} from '../../core/operation-flow.js';

/**
 * Runs an operation from a component: its flow state, a pending confirmation the component
 * answers (the Promise the flow awaits), and cancel. The flow itself lives in core/app.
 */
export default function useOperation() {
	const [state, setState] = useState<FlowState>();
	const [confirmation, setConfirmation] = useState<{need: ConfirmationNeed; answer: (confirmed: boolean) => void}>();
	const [finished, setFinished] = useState<FlowState>();
	const [problem, setProblem] = useState<string>();
	const controller = useRef(new AbortController());

	const start = (run: StartOperation) => {
		controller.current = new AbortController();
		run({
			confirm: async need => new Promise<boolean>(resolve => {
				setConfirmation({need, answer: confirmed => {
					setConfirmation(undefined);
					resolve(confirmed);
				}});
			}),
			onState: setState,
			signal: controller.current.signal,
		}).then(setFinished, (error: Error) => setProblem(error.message));
	};

	return {state, confirmation, finished, problem, start, cancel: () => controller.current.abort()};
}
