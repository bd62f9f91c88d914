import type {Key} from 'ink';

const printable = /^[^\u0000-\u001F\u007F]+$/u;

/**
 * The keys a person typed, from what Ink read at once. Ink hands a burst of plain characters
 * (keys typed faster than it reads, a paste, a slow link) over as one input: `jjj` is three
 * moves, not one unknown key. And it reads Esc followed quickly by a key as that key with Alt
 * held; opsconsole binds no Alt keys, so that is Esc, then the key.
 */
export function keystrokes(input: string, key: Key): Array<[string, Key]> {
	if (key.meta && !key.escape && input.length === 1 && input >= ' ') return [['', {...key, meta: false, escape: true}], [input, {...key, meta: false}]];
	if (key.meta || key.ctrl || [...input].length < 2 || !printable.test(input)) return [[input, key]];
	return [...input].map(character => [character, {...key, shift: character !== character.toLowerCase()}]);
}
