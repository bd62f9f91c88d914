// Stands in for uuid in the bundle: dockerode reads `require('uuid').v4` at load time, for BuildKit
// sessions only (see no-buildkit.cjs). The real module, and the crypto it pulls in, load at the
// first call instead of at every start.
let uuid;
const load = () => (uuid ??= require('../node_modules/uuid/dist/index.js'));

module.exports = {
	v4: (...args) => load().v4(...args),
};
