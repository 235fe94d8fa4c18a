// Loads the test Echo contract, the standard health contract and the Analysis contract with @grpc/proto-loader.
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function load(protoRoots) {
  const files = ['echo.proto', 'grpc/health/v1/health.proto', 'analysis.proto'];
  const definition = protoLoader.loadSync(files, {
    keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: protoRoots,
  });
  return grpc.loadPackageDefinition(definition);
}

module.exports = { grpc, load, path };
