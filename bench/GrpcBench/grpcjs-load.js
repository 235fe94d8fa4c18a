// grpc-js closed-loop load against the project server: node grpcjs-load.js <host:port> <callers> <seconds>
// Run from Tests/Infrastructure.Tests/Interop (where @grpc/grpc-js is installed).
const path = require('path');
const { grpc, load } = require(path.resolve('load.js'));

const [target, callers, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const root = path.resolve('..', '..', '..');
const pkg = load([path.join(root, 'Protos'), path.join(root, 'Tests', 'Infrastructure.Tests', 'Protos')]);
const client = new pkg.voiceanalytics.test.v1.Echo(target, grpc.credentials.createInsecure());

const say = () => new Promise((resolve, reject) =>
  client.Say({ text: 'ping' }, (err, reply) => (err ? reject(err) : resolve(reply))));

(async () => {
  for (let i = 0; i < 200; i++) await say(); // warm-up
  const latencies = [];
  const end = process.hrtime.bigint() + BigInt(seconds) * 1_000_000_000n;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (process.hrtime.bigint() < end) {
      const t = process.hrtime.bigint();
      await say();
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  console.log(`${(latencies.length / elapsed).toFixed(0).padStart(8)} calls/s  p50 ${pct(0.5).toFixed(3)} ms  p99 ${pct(0.99).toFixed(3)} ms  (${latencies.length} calls)`);
  process.exit(0);
})();
