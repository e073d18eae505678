// The front-end check: a Node.js client that knows only protos/ books a
// treatment against the running suite — set up a clinic, register a patient,
// screen, find a slot, book — and reads a validation error's details the way
// a form would. Run by tests/e2e/node_client (which starts the suite and sets
// DERMAFLOW_*_ADDR and DERMAFLOW_TOKEN), or by hand against ./dev up:
//   DERMAFLOW_TOKEN=... node --test tests/node/booking_flow.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadDermaflow, grpc } from './dermaflow_client.mjs';

const df = loadDermaflow({ token: process.env.DERMAFLOW_TOKEN });
const hour = (hours) => ({ hours, minutes: 0, seconds: 0, nanos: 0 });
const everyDay = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const toTimestamp = (ms) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });

test('a front end books a hydralift session with the generated contract', async () => {
  const seeded = await df.protocol.seedCatalog({ catalogKeys: ['mesotherapy_hydralift'] });
  let hydraliftId = seeded.created.find((p) => p.source.catalogKey === 'mesotherapy_hydralift')?.id;
  if (!hydraliftId) {
    const list = await df.protocol.listProtocols({ category: 'PROTOCOL_CATEGORY_MESOTHERAPY' });
    hydraliftId = list.protocols.find((p) => p.source.catalogKey === 'mesotherapy_hydralift').id;
  }

  const clinic = await df.scheduling.createClinic({
    requestId: randomUUID(),
    clinic: {
      displayName: 'Dermaflow Hamburg (node check)',
      timeZone: 'Europe/Berlin',
      openingHours: everyDay.map((day) => ({ dayOfWeek: day, open: hour(8), close: hour(20) })),
    },
  });
  const practitioner = await df.scheduling.createPractitioner({
    requestId: randomUUID(),
    practitioner: {
      displayName: 'Dr. Jonas Brandt',
      clinicIds: [clinic.id],
      isPhysician: true,
      qualifiedCategories: ['PROTOCOL_CATEGORY_MESOTHERAPY'],
      workingHours: everyDay.map((day) => ({ clinicId: clinic.id, dayOfWeek: day, start: hour(8), end: hour(20) })),
    },
  });
  await df.scheduling.createRoom({ requestId: randomUUID(), room: { clinicId: clinic.id, displayName: 'Raum 1' } });

  const patient = await df.patient.createPatient({
    requestId: randomUUID(),
    patient: {
      givenName: 'Lena',
      familyName: 'Vogt',
      birthDate: { year: 1991, month: 7, day: 14 },
      locale: 'de',
      contact: { email: 'lena.vogt@example.org' },
      preferredChannel: 'CHANNEL_IN_APP',
      consents: [{ channel: 'CHANNEL_IN_APP', state: 'CONSENT_STATE_GIVEN', reason: 'patient app sign-up' }],
      medicalProfile: {
        pregnant: false, breastfeeding: false, diabetes: false, cancerTreatment: false,
        epilepsy: false, anticoagulants: false, hasAllergies: false,
      },
    },
  });
  assert.ok(patient.id, 'server-assigned id');
  assert.ok(patient.etag, 'etag for later updates');

  const screening = await df.protocol.screenEligibility({ patientId: patient.id, protocolId: hydraliftId });
  assert.equal(screening.eligible, true, JSON.stringify(screening));

  const now = Date.now();
  const slots = await df.scheduling.findAvailableSlots({
    clinicId: clinic.id,
    protocolId: hydraliftId,
    timeRange: { startTime: toTimestamp(now), endTime: toTimestamp(now + 7 * 86_400_000) },
    pageSize: 5,
  });
  assert.ok(slots.slots.length > 0, 'free slots within a week');
  const slot = slots.slots[0];

  const appointment = await df.scheduling.bookAppointment({
    requestId: randomUUID(),
    patientId: patient.id,
    protocolId: hydraliftId,
    clinicId: clinic.id,
    practitionerId: slot.practitionerId,
    roomId: slot.roomId,
    startTime: slot.startTime,
    areas: ['TREATMENT_AREA_FACE'],
  });
  assert.equal(appointment.state, 'APPOINTMENT_STATE_BOOKED');
  assert.equal(appointment.timeZone, 'Europe/Berlin');
  assert.equal(appointment.practitionerId, practitioner.id);
  assert.deepEqual(appointment.localStartDate, slot.localStartDate);

  // Taking the same slot again loses: ALREADY_EXISTS naming the busy resources.
  await assert.rejects(
    df.scheduling.bookAppointment({
      requestId: randomUUID(), patientId: patient.id, protocolId: hydraliftId, clinicId: clinic.id,
      practitionerId: slot.practitionerId, startTime: slot.startTime,
    }),
    (error) => {
      assert.equal(error.code, grpc.status.ALREADY_EXISTS);
      assert.ok(error.rpc.details.some((d) => d.type === 'google.rpc.ErrorInfo' && d.reason === 'SLOT_CONFLICT'),
                JSON.stringify(error.rpc));
      return true;
    });
});

test('a form shows which field is wrong from google.rpc.BadRequest', async () => {
  await assert.rejects(
    df.patient.createPatient({
      requestId: randomUUID(),
      patient: { givenName: 'Max', familyName: 'Roth', birthDate: { year: 1980, month: 1, day: 2 },
                 locale: 'de', contact: { phone: '0151 1234567' } },
    }),
    (error) => {
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      const bad = error.rpc.details.find((d) => d.type === 'google.rpc.BadRequest');
      assert.ok(bad, JSON.stringify(error.rpc));
      assert.ok(bad.fieldViolations.some((v) => v.field === 'patient.contact.phone'), JSON.stringify(bad));
      return true;
    });
});

test('calls without a token are UNAUTHENTICATED', async () => {
  const anonymous = loadDermaflow({ token: '' });
  await assert.rejects(anonymous.scheduling.listClinics({}), (error) => error.code === grpc.status.UNAUTHENTICATED);
  anonymous.close();
});

test.after(() => df.close());
