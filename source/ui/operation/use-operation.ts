import {useRef, useState} from 'react';
import {OperationControl} from '../../app/operation-control.js';
import type {StartOperation} from '../../app/operation-face.js';
import type {ConfirmationNeed} from '../../core/confirmation.js';
import type {FailureChoice, FailureDecision, FlowState} from '../../core/operation-flow.js';

/**
 * Runs an operation from a component: its flow state, a pending plan review, confirmation and
 * failure choice the component answers (the Promises the flow awaits), and cancel. The flow
 * itself lives in core/app.
 */
export default function useOperation() {
	const [state, setState] = useState<FlowState>();
	const [confirmation, setConfirmation] = useState<{need: ConfirmationNeed; answer: (confirmed: boolean) => void}>();
	const [review, setReview] = useState<{answer: (proceed: boolean) => void}>();
	const [failure, setFailure] = useState<{decision: FailureDecision; answer: (choice: FailureChoice) => void}>();
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
			decideFailure: async decision => new Promise<FailureChoice>(resolve => {
				setFailure({decision, answer: choice => {
					setFailure(undefined);
					resolve(choice);
				}});
			}),
			onState(current) {
				// The flow may move on without an answer (the countdown ran out, or a cancel).
				if (current.phase !== 'deciding') setFailure(undefined);
				setState(current);
			},
			control: control.current,
		}).then(setFinished, (error: Error) => setProblem(error.message));
	};

	return {state, confirmation, review, failure, finished, problem, start, cancel: () => control.current.cancel()};
}
