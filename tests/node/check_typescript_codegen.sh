#!/usr/bin/env bash
# Runs the TypeScript generation of docs/frontend.md (buf generate with
# protoc-gen-es, template tests/node/buf.gen.yaml) into a temp dir and
# type-checks the result with tsc against @bufbuild/protobuf, so the
# front-end instructions cannot rot. Exit code = test result.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$repo/tools/node/node_modules/.bin
for tool in buf protoc-gen-es tsc; do
  [[ -x $bin/$tool ]] || { echo "missing $bin/$tool: run scripts/install-deps.sh" >&2; exit 1; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# A copy of protos/ with its own staged google protos, so this test never
# races buf_lint over protos/.third_party.
mkdir -p "$out/protos"
cp -r "$repo/protos/buf.yaml" "$repo/protos/dermaflow" "$out/protos/"
bash "$repo/protos/scripts/stage_google_protos.sh" "$out/protos/.third_party"
(cd "$out/protos" && PATH="$bin:$PATH" buf generate --template "$repo/tests/node/buf.gen.yaml" -o "$out")

for f in dermaflow/patient/v1/patient_service_pb.ts dermaflow/protocol/v1/protocol_service_pb.ts \
         dermaflow/scheduling/v1/scheduling_service_pb.ts dermaflow/notification/v1/notification_service_pb.ts \
         dermaflow/events/v1/events_pb.ts google/type/date_pb.ts; do
  [[ -s $out/gen/$f ]] || { echo "buf generate did not write gen/$f" >&2; find "$out" -type f >&2; exit 1; }
done
grep -q 'PatientService' "$out/gen/dermaflow/patient/v1/patient_service_pb.ts" ||
  { echo "no PatientService descriptor in patient_service_pb.ts" >&2; exit 1; }

# A small front-end module using the generated types must compile.
cat >"$out/gen/usage.ts" <<'TS'
import { create, toJson } from "@bufbuild/protobuf";
import { CreatePatientRequestSchema, PatientService } from "./dermaflow/patient/v1/patient_service_pb";
import { Channel, ConsentState } from "./dermaflow/patient/v1/patient_pb";
const request = create(CreatePatientRequestSchema, {
  requestId: "0b5d3c1e-0000-4000-8000-000000000000",
  patient: {
    givenName: "Anna", familyName: "Müller", locale: "de",
    birthDate: { year: 1988, month: 4, day: 12 },
    preferredChannel: Channel.IN_APP,
    consents: [{ channel: Channel.IN_APP, state: ConsentState.GIVEN }],
  },
});
export const json = toJson(CreatePatientRequestSchema, request);
export const method: string = PatientService.method.createPatient.name;
TS
cat >"$out/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler",
    "strict": true, "noEmit": true, "skipLibCheck": true }, "include": ["gen/**/*.ts"] }
JSON
ln -s "$repo/tools/node/node_modules" "$out/node_modules"
"$bin/tsc" -p "$out/tsconfig.json"
echo "ok: $(find "$out/gen" -name '*_pb.ts' | wc -l) TypeScript files generated and type-checked"
