// grpc-js as a server for the project's client. Usage: node server.js <protoRoot>...
// Prints "PORT <n>" once listening; exits when stdin closes (the test ends).
const { grpc, load } = require('./load');

const pkg = load(process.argv.slice(2));
const server = new grpc.Server();
// Calls seen per request text, for the retry tests: "unavailable_once" fails the first attempt only.
const attempts = new Map();
server.addService(pkg.voiceanalytics.test.v1.Echo.service, {
  Say: (call, callback) => {
    const request = call.request;
    if (request.fail_with === 'not_found') {
      return callback({ code: grpc.status.NOT_FOUND, details: 'grpc-js says: no such thing' });
    }
    if (request.fail_with === 'unavailable_once') {
      const seen = (attempts.get(request.text) || 0) + 1;
      attempts.set(request.text, seen);
      if (seen === 1) return callback({ code: grpc.status.UNAVAILABLE, details: 'grpc-js says: try again' });
      return callback(null, { text: `attempt ${seen}`, metadata: {}, had_deadline: true });
    }
    if (request.fail_with === 'unicode') {
      return callback({ code: grpc.status.FAILED_PRECONDITION, details: 'Ошибка: 100% ✓' });
    }
    const finish = () => {
      const metadata = {};
      for (const key of request.echo_metadata) metadata[key] = String(call.metadata.get(key)[0] || '');
      const deadline = call.getDeadline();
      callback(null, { text: request.text, metadata, had_deadline: deadline instanceof Date || Number.isFinite(deadline) && deadline !== Infinity });
    };
    if (request.delay_ms > 0) setTimeout(finish, request.delay_ms); else finish();
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) { console.error(error); process.exit(1); }
  process.stdout.write(`PORT ${port}\n`);
});
process.stdin.on('end', () => server.forceShutdown());
process.stdin.resume();
