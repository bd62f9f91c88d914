// Stands in for string-width in the bundle, for Ink and its helpers as for opsconsole's own code.
// Loading string-width builds its \p{RGI_Emoji} pattern, 50 to 80 ms of every screen's start,
// though what a screen shows is nearly all narrow text. Text made only of narrow characters (see
// narrow-text.ts) is measured by its length; anything else, or other options, loads the real one.
// Ink's wrap-ansi gets string-width 8 this way too, instead of its own 7, whose emoji list counts a
// bare ⚠ ✔ ✖ as two columns: Ink now wraps text by the widths it lays it out with.
const {narrowText} = require('../source/presentation/narrow-text.ts');
const stripAnsi = require('strip-ansi').default;

let stringWidth;
const load = () => (stringWidth ??= require('../node_modules/string-width/index.js').default);

module.exports = function narrowFirstStringWidth(text, options = {}) {
	if (typeof text === 'string' && options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes) {
		const visible = stripAnsi(text);
		if (narrowText.test(visible)) return visible.length;
	}

	return load()(text, options);
};
module.exports.default = module.exports;
