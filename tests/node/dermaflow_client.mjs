// A minimal dermaflow client for Node.js, as a front-end team (or its
// backend-for-frontend) would write one: load the .proto contract at run time
// with @grpc/proto-loader, call the four services with @grpc/grpc-js, send the
// access token as `authorization: Bearer ...`, and decode the google.rpc error
// details (BadRequest, PreconditionFailure, ResourceInfo, ErrorInfo) that
// every dermaflow error carries. docs/frontend.md walks through it.
//
//   const df = loadDermaflow({ token: process.env.DERMAFLOW_TOKEN });
//   const patient = await df.patient.createPatient({ patient: {...}, requestId: randomUUID() });
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
// The npm packages live in tools/node (scripts/install-deps.sh installs them).
const require = createRequire(path.join(repo, 'tools/node/package.json'));
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const SERVICES = {
  patient: ['dermaflow/patient/v1/patient_service.proto', 'dermaflow.patient.v1.PatientService', 50051],
  protocol: ['dermaflow/protocol/v1/protocol_service.proto', 'dermaflow.protocol.v1.ProtocolService', 50052],
  scheduling: ['dermaflow/scheduling/v1/scheduling_service.proto', 'dermaflow.scheduling.v1.SchedulingService', 50053],
  notification: ['dermaflow/notification/v1/notification_service.proto', 'dermaflow.notification.v1.NotificationService', 50054],
};

// protos/ plus the staged google/{api,rpc,type} protos
// (protos/scripts/stage_google_protos.sh protos/.third_party).
export function protoIncludeDirs() {
  const thirdParty = process.env.DERMAFLOW_THIRD_PARTY_PROTOS || path.join(repo, 'protos/.third_party');
  return [path.join(repo, 'protos'), thirdParty];
}

// Decodes the `grpc-status-details-bin` trailer of a failed call into
// { code, message, details: [{ type: 'google.rpc.BadRequest', ...fields }] }.
export function errorDetails(error) {
  const bin = error?.metadata?.get('grpc-status-details-bin')?.[0];
  if (!bin) return { code: error?.code, message: error?.details, details: [] };
  const root = errorRoot();
  const status = root.lookupType('google.rpc.Status').decode(bin);
  const details = status.details.map((any) => {
    const url = any.typeUrl ?? any.type_url; // protobufjs's built-in Any keeps proto names
    const type = url.slice(url.lastIndexOf('/') + 1);
    let fields = {};
    try {
      const messageType = root.lookupType(type);
      fields = messageType.toObject(messageType.decode(any.value), { enums: String, longs: String });
    } catch {
      // A detail type this client does not know: keep its name only.
    }
    return { type, ...fields };
  });
  return { code: status.code, message: status.message, details };
}

let cachedErrorRoot;
function errorRoot() {
  if (cachedErrorRoot) return cachedErrorRoot;
  const root = new protobuf.Root();
  const dirs = protoIncludeDirs();
  root.resolvePath = (origin, target) => {
    for (const dir of dirs) {
      const candidate = path.join(dir, target);
      try {
        require('node:fs').accessSync(candidate);
        return candidate;
      } catch {}
    }
    return target; // google/protobuf/*.proto are built into protobufjs
  };
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto',
                 'dermaflow/protocol/v1/protocol_service.proto'], { keepCase: false });
  cachedErrorRoot = root;
  return root;
}

// Stubs for the four services whose unary methods return promises. Options:
// token (sent on every call), addresses ({patient: 'host:port', ...}, else
// DERMAFLOW_<SERVICE>_ADDR, else 127.0.0.1:5005x), deadlineMs (default 10 s).
export function loadDermaflow({ token, addresses = {}, deadlineMs = 10_000 } = {}) {
  const definition = protoLoader.loadSync(Object.values(SERVICES).map(([file]) => file), {
    includeDirs: protoIncludeDirs(),
    keepCase: false, // JSON-style field names: givenName, birthDate
    longs: String,
    enums: String, // 'CHANNEL_IN_APP'
    defaults: true,
    oneofs: true,
  });
  const proto = grpc.loadPackageDefinition(definition);
  const client = {};
  for (const [name, [, serviceName, port]] of Object.entries(SERVICES)) {
    const address = addresses[name] || process.env[`DERMAFLOW_${name.toUpperCase()}_ADDR`] || `127.0.0.1:${port}`;
    const Service = serviceName.split('.').reduce((o, k) => o[k], proto);
    const stub = new Service(address, grpc.credentials.createInsecure());
    client[name] = promisify(stub, token, deadlineMs);
    client[name].raw = stub; // for streams: raw.watchNotifications(request, metadata)
  }
  client.metadata = () => authMetadata(token);
  client.close = () => Object.values(client).forEach((s) => s.raw?.close());
  return client;
}

function authMetadata(token) {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

function promisify(stub, token, deadlineMs) {
  const calls = {};
  for (const [name, def] of Object.entries(stub.constructor.service)) {
    if (def.requestStream || def.responseStream) continue;
    const method = def.originalName ?? name; // createPatient
    calls[method] = (request) => new Promise((resolve, reject) => {
      stub[method](request, authMetadata(token), { deadline: Date.now() + deadlineMs }, (error, response) => {
        if (error) reject(Object.assign(error, { rpc: errorDetails(error) }));
        else resolve(response);
      });
    });
  }
  return calls;
}

export { grpc };
