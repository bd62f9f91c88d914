// Stands in for tar-fs in the bundle: dockerode requires it (with tar-stream, bl and zlib) at load
// time, but uses it only to pack a build context given as a folder, which opsconsole never does
// (it builds from `git archive`'s stream). The real module loads at its first use instead of at
// every start.
let tarFs;
const load = () => (tarFs ??= require('../node_modules/tar-fs/index.js'));

module.exports = {
	pack: (...args) => load().pack(...args),
	extract: (...args) => load().extract(...args),
};
