import {createContext, useContext} from 'react';
import type {StyleOptions, Tone} from '../presentation/style.js';

export const StyleContext = createContext<StyleOptions>({color: true, ascii: false});

export function useStyle(): StyleOptions {
	return useContext(StyleContext);
}

const toneColors: Record<Tone, string | undefined> = {good: 'green', warn: 'yellow', bad: 'red', muted: undefined, plain: undefined};

/** Ink text props for a tone: a colour only when colour is wanted; muted reads as dim either way. */
export function toneProps(tone: Tone, style: StyleOptions): {color?: string; dimColor?: boolean} {
	const color = style.color ? toneColors[tone] : undefined;
	return {...(color ? {color} : {}), ...(tone === 'muted' ? {dimColor: true} : {})};
}
