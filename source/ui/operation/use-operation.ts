import {useRef, useState} from 'react';
import {OperationControl} from '../../app/operation-control.js';
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
	const control = useRef(new OperationControl());

	/** Starts it; with `reviewPlan`, the flow waits on `review` after planning. */
	const start = (run: StartOperation, options: {reviewPlan?: boolean} = {}) => {
		control.current = new OperationControl();
		run({
			confirm: async need => new Promise<boolean>(resolve => {
				setConfirmation({need, answer: confirmed => {
					setConfirmation(undefined);
					resolve(confirmed);
				}});
			}),
			...(options.reviewPlan ? {
				reviewPlan: async () => new Promise<boolean>(resolve => {
					setReview({answer: proceed => {
						setReview(undefined);
						resolve(proceed);
					}});
				}),
			} : {}),
			onState: setState,
			control: control.current,
		}).then(setFinished, (error: Error) => setProblem(error.message));
	};

	return {state, confirmation, review, finished, problem, start, cancel: () => control.current.cancel()};
}
