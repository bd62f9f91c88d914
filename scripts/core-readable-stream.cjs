// Stands in for readable-stream 3 in the bundle: a copy of Node 10's streams that docker-modem
// requires at load time (and tar-stream and bl, through the lazy tar-fs). They take only the
// classes below, which Node's own streams provide, so its ~37 KB need not be parsed at every start.
// Node's streams destroy themselves at the end, which readable-stream 3's did not: that reaches
// docker-modem's HttpDuplex (attach and exec with stdin) and folder build contexts, neither of
// which opsconsole uses; logs, events and builds from a stream do not go through them.
const Stream = require('node:stream');

module.exports = {
	Stream,
	Readable: Stream.Readable,
	Writable: Stream.Writable,
	Duplex: Stream.Duplex,
	Transform: Stream.Transform,
	PassThrough: Stream.PassThrough,
	finished: Stream.finished,
	pipeline: Stream.pipeline,
};
