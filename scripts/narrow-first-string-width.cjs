// Stands in for string-width in the bundle, for Ink and its helpers as for opsconsole's own code.
// Loading string-width builds its \p{RGI_Emoji} pattern, 50 to 80 ms of every screen's start,
// though what a screen shows is nearly all narrow text. Text made only of narrow characters (see
// narrow-text.ts) is measured by its length; anything else, or other options, loads the real one.
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
