// grpc.health.v1 Check against each address given, plaintext, as the
// kubelet's gRPC probe does. Prints one JSON line per address:
//   {"address": "127.0.0.1:8086", "status": "SERVING"}   (or "error": "...")
// Usage: node grpc_health.js REPO_ROOT ADDRESS...
'use strict';
const path = require('path');
const {createRequire} = require('module');

const repo = process.argv[2];
const requireTools = createRequire(path.join(repo, 'tools', 'node', 'package.json'));
const grpc = requireTools('@grpc/grpc-js');
const protoLoader = requireTools('@grpc/proto-loader');

const def = protoLoader.loadSync('grpc/health/v1/health.proto', {
  includeDirs: ['/usr/share/grpc-proto'], enums: String,
});
const Health = grpc.loadPackageDefinition(def).grpc.health.v1.Health;

function check(address) {
  return new Promise((resolve) => {
    const client = new Health(address, grpc.credentials.createInsecure());
    client.check({service: ''}, {deadline: Date.now() + 3000}, (err, res) => {
      client.close();
      resolve(err ? {address, error: `${grpc.status[err.code]}: ${err.details}`}
                  : {address, status: res.status});
    });
  });
}

Promise.all(process.argv.slice(3).map(check)).then((results) => {
  for (const r of results) console.log(JSON.stringify(r));
});
