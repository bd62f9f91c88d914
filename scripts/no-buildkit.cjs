// Stands in for @grpc/grpc-js, @grpc/proto-loader and protobufjs in the bundle. dockerode needs them
// only for BuildKit sessions (`buildImage` with version "2") and BuildKit progress; opsconsole builds
// with the classic builder and never asks for either. Leaving them out spares every start the
// parsing of about 400 KB. Touching any of it says why instead of failing obscurely.
const refuse = () => {
	throw new Error('BuildKit sessions are not bundled: opsconsole builds images with the classic builder');
};

module.exports = new Proxy({}, {get: (_, name) => (name === '__esModule' ? false : refuse)});
