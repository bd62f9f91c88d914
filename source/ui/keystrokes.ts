import type {Key} from 'ink';

/**
 * Ink reads Esc followed quickly by a key (a slow link delivers them together) as that key with
 * Alt held. opsconsole binds no Alt keys, so such a key is what the person typed: Esc, then the key.
 */
export function keystrokes(input: string, key: Key): Array<[string, Key]> {
	if (!key.meta || key.escape || input.length !== 1 || input < ' ') return [[input, key]];
	return [['', {...key, meta: false, escape: true}], [input, {...key, meta: false}]];
}
