import {useRef, useState} from 'react';
import type {StartOperation} from '../../app/operation-face.js';
import type {ConfirmationNeed} from '../../core/confirmation.js';
import type {FlowState} from '../../core/operation-flow.js';

/**
 * Runs an operation from a component: its flow state, a pending plan review and confirmation the
 * component answers (the Promises the flow awaits), and cancel. The flow itself lives in core/app.
 */
export default function useOperation() {
	const [state, setState] = useState<FlowState>();
	const [confirmation, setConfirmation] = useState<{need: ConfirmationNeed; answer: (confirmed: boolean) => void}>();
	const [review, setReview] = useState<{answer: (proceed: boolean) => void}>();
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
			reviewPlan: async () => new Promise<boolean>(resolve => {
				setReview({answer: proceed => {
					setReview(undefined);
					resolve(proceed);
				}});
			}),
			onState: setState,
			signal: controller.current.signal,
		}).then(setFinished, (error: Error) => setProblem(error.message));
	};

	return {state, confirmation, review, finished, problem, start, cancel: () => controller.current.abort()};
}
