// grpc-js as a client of a project service (health, then the Analysis service when ANALYSIS_TARGET is set). Usage: node client.js <host:port> <protoRoot>...
// Prints one JSON object with the outcome of each call, for the C# test to assert on.
const { grpc, load } = require('./load');

const [target, ...roots] = process.argv.slice(2);
const pkg = load(roots);
const call = (client, method, request, options = {}) => new Promise((resolve) => {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(options.metadata || {})) metadata.set(k, v);
  const callOptions = options.deadlineMs ? { deadline: new Date(Date.now() + options.deadlineMs) } : {};
  client[method](request, metadata, callOptions, (error, reply) => resolve(error
    ? { code: error.code, details: error.details }
    : { code: 0, reply }));
});

(async () => {
  const credentials = grpc.credentials.createInsecure();
  const health = new pkg.grpc.health.v1.Health(target, credentials);
  const out = {
    health: await call(health, 'Check', { service: '' }),
    healthUnknown: await call(health, 'Check', { service: 'no.such.Service' }),
  };
  if (process.env.ANALYSIS_TARGET) {
    const analysis = new pkg.voiceanalytics.analysis.v1.Analysis(process.env.ANALYSIS_TARGET, credentials);
    out.analysisStats = await call(analysis, 'GetQueueStats', {});
    out.analysisMissing = await call(analysis, 'GetAnalysis', { conversation_id: 'conv_does_not_exist' });
    out.analysisInvalid = await call(analysis, 'GetAnalysis', { conversation_id: '' });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
})();
