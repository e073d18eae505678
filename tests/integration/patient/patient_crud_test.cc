// CreatePatient, GetPatient, UpdatePatient and SetConsent over real gRPC and
// Redis: views, validation of every field (nothing written), idempotent
// creates, etags, roles, consent events.
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "gmock/gmock.h"
#include "services/patient/domain/patient_errors.h"
#include "tests/integration/patient/patient_test_fixture.h"

namespace dermaflow::patient::testing {
namespace {

using ::testing::ElementsAre;

class PatientCrudTest : public PatientServiceTest {};

TEST_F(PatientCrudTest, CreateThenGetInBothViews) {
  absl::StatusOr<v1::Patient> created = Create(kStaffA, ValidPatient(), "req-1");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->id().empty());
  EXPECT_FALSE(created->etag().empty());
  EXPECT_EQ(common::ToTime(created->create_time()), clock_.Now());
  EXPECT_EQ(created->consents(0).changed_by(), "dr-weber");
  EXPECT_EQ(created->medical_profile().updated_by(), "dr-weber");

  absl::StatusOr<v1::Patient> basic = Get(kStaffA, created->id());
  ASSERT_TRUE(basic.ok()) << basic.status();
  EXPECT_FALSE(basic->has_medical_profile());
  // What notification needs at delivery time is all in the BASIC view.
  EXPECT_EQ(basic->given_name(), "Anna");
  EXPECT_EQ(basic->locale(), "de");
  EXPECT_EQ(basic->time_zone(), "Europe/Berlin");
  EXPECT_EQ(basic->preferred_channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(basic->quiet_hours().start().hours(), 21);
  ASSERT_EQ(basic->consents_size(), 1);
  EXPECT_EQ(basic->consents(0).state(), v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(basic->contact().phone(), "+4915112345678");
  EXPECT_EQ(basic->etag(), created->etag());

  absl::StatusOr<v1::Patient> full = Get(kStaffA, created->id(), v1::PATIENT_VIEW_FULL);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_TRUE(full->medical_profile().has_pregnant());
  EXPECT_EQ(full->medical_profile().allergies(0).substance(), v1::ALLERGY_SUBSTANCE_LIDOCAINE);
  EXPECT_EQ(full->SerializeAsString(), created->SerializeAsString());
}

TEST_F(PatientCrudTest, UnknownIdsAreNotFound) {
  for (const std::string id : {"0123456789abcdef0123456789abcdef", "pt_unknown"}) {
    absl::StatusOr<v1::Patient> got = Get(kStaffA, id);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound) << id;
    EXPECT_EQ(common::ErrorInfoReason(got.status()), "NOT_FOUND");
  }
  // Ids that could reach into another key are refused before any read.
  for (const std::string& id :
       std::vector<std::string>{"", "not:an:id", "{clinic-b}", std::string(70'000, 'a')}) {
    EXPECT_THAT(common::ViolatedFields(Get(kStaffA, id).status()), ElementsAre("id"));
  }
}

class CreateValidationTest : public PatientServiceTest,
                             public ::testing::WithParamInterface<InvalidPatientCase> {};

TEST_P(CreateValidationTest, NamesTheFieldAndWritesNothing) {
  v1::Patient patient = ValidPatient();
  GetParam().mutate(patient, absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
  const int64_t keys_before = KeyCount();
  absl::StatusOr<v1::Patient> created = Create(kStaffA, patient, "req-invalid");
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(common::ViolatedFields(created.status()), ElementsAre(GetParam().field));
  EXPECT_EQ(KeyCount(), keys_before);
  // The request_id was not used up by the rejected request.
  EXPECT_TRUE(Create(kStaffA, ValidPatient(), "req-invalid").ok());
}

INSTANTIATE_TEST_SUITE_P(PatientRules, CreateValidationTest,
                         ::testing::ValuesIn(InvalidPatientCases()),
                         [](const auto& info) { return info.param.name; });

TEST_F(PatientCrudTest, RequestIdIsRequiredAndKeySafe) {
  for (const std::string request_id : std::vector<std::string>{"", "a:b", std::string(65, 'r')}) {
    absl::StatusOr<v1::Patient> created = Create(kStaffA, ValidPatient(), request_id);
    EXPECT_THAT(common::ViolatedFields(created.status()), ElementsAre("request_id")) << request_id;
  }
  EXPECT_EQ(KeyCount(), 0);
}

TEST_F(PatientCrudTest, CreateIsIdempotentPerRequestId) {
  absl::StatusOr<v1::Patient> first = Create(kStaffA, ValidPatient(), "req-1");
  ASSERT_TRUE(first.ok()) << first.status();
  const int64_t keys = KeyCount();
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<v1::Patient> retry = Create(kStaffA, ValidPatient(), "req-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(KeyCount(), keys);
  EXPECT_EQ(Redis({"ZCARD", "df:{clinic-a}:patient_index:name"}).integer(), 1);

  v1::Patient other = ValidPatient();
  other.set_given_name("Berta");
  absl::StatusOr<v1::Patient> reused = Create(kStaffA, other, "req-1");
  EXPECT_THAT(common::ViolatedFields(reused.status()), ElementsAre("request_id"));

  absl::StatusOr<v1::Patient> second = Create(kStaffA, ValidPatient(), "req-2");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->id(), first->id());  // namesakes are allowed
}

TEST_F(PatientCrudTest, UpdateAppliesTheMaskAndMovesTheEtag) {
  v1::Patient created = *Create(kStaffA, ValidPatient(), "req-1");
  clock_.Advance(absl::Hours(1));
  v1::Patient patch;
  patch.set_id(created.id());
  patch.set_etag(created.etag());
  patch.set_family_name("  Schmidt ");
  patch.set_given_name("ignored: not in the mask");
  patch.mutable_contact()->set_email("anna.schmidt@example.org");
  absl::StatusOr<v1::Patient> updated =
      Update(kReceptionA, patch, {"family_name", "contact.email"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->family_name(), "Schmidt");
  EXPECT_EQ(updated->given_name(), "Anna");
  EXPECT_EQ(updated->contact().phone(), "+4915112345678");
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_FALSE(updated->has_medical_profile());  // BASIC: no medical path in the mask
  EXPECT_EQ(common::ToTime(updated->update_time()), clock_.Now());

  v1::Patient stored = *Get(kStaffA, created.id(), v1::PATIENT_VIEW_FULL);
  EXPECT_EQ(stored.family_name(), "Schmidt");
  EXPECT_EQ(stored.etag(), updated->etag());
  EXPECT_EQ(stored.medical_profile().SerializeAsString(),
            created.medical_profile().SerializeAsString());
  // The indexes followed: the new e-mail and name find her, the old do not.
  v1::ListPatientsRequest by_email;
  by_email.set_email("ANNA.SCHMIDT@example.org");
  EXPECT_EQ(List(kStaffA, by_email)->patients_size(), 1);
  by_email.set_email("anna.mueller@example.org");
  EXPECT_EQ(List(kStaffA, by_email)->patients_size(), 0);
  v1::ListPatientsRequest by_name;
  by_name.set_family_name_prefix("mül");
  EXPECT_EQ(List(kStaffA, by_name)->patients_size(), 0);
}

TEST_F(PatientCrudTest, StaleEtagIsAbortedAndChangesNothing) {
  v1::Patient created = *Create(kStaffA, ValidPatient(), "req-1");
  v1::Patient first = created;
  first.set_given_name("Anne");
  ASSERT_TRUE(Update(kStaffA, first, {"given_name"}).ok());

  v1::Patient stale = created;  // still the first etag
  stale.set_given_name("Annika");
  absl::StatusOr<v1::Patient> result = Update(kStaffA, stale, {"given_name"});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(common::ErrorInfoReason(result.status()), "ETAG_MISMATCH");
  EXPECT_EQ(Get(kStaffA, created.id())->given_name(), "Anne");
}

TEST_F(PatientCrudTest, UpdateRefusesBadMasksMissingEtagsAndBadValues) {
  v1::Patient created = *Create(kStaffA, ValidPatient(), "req-1");
  EXPECT_THAT(common::ViolatedFields(Update(kStaffA, created, {}).status()),
              ElementsAre("update_mask"));
  EXPECT_THAT(common::ViolatedFields(Update(kStaffA, created, {"consents"}).status()),
              ElementsAre("update_mask"));
  EXPECT_THAT(common::ViolatedFields(Update(kStaffA, created, {"favourite_colour"}).status()),
              ElementsAre("update_mask"));
  v1::Patient no_etag = created;
  no_etag.clear_etag();
  EXPECT_THAT(common::ViolatedFields(Update(kStaffA, no_etag, {"given_name"}).status()),
              ElementsAre("patient.etag"));
  v1::Patient bad = created;
  bad.mutable_contact()->set_phone("0151 1234");
  bad.set_locale("xx");
  const std::string before = TenantDump("clinic-a");
  EXPECT_THAT(common::ViolatedFields(Update(kStaffA, bad, {"contact.phone", "locale"}).status()),
              ElementsAre("patient.locale", "patient.contact.phone"));
  EXPECT_EQ(TenantDump("clinic-a"), before);
}

TEST_F(PatientCrudTest, MedicalProfileNeedsPractitionerAndIsAudited) {
  v1::Patient patient = ValidPatient();
  EXPECT_EQ(Create(kReceptionA, patient, "req-1").status().code(),
            absl::StatusCode::kPermissionDenied);
  patient.clear_medical_profile();
  v1::Patient created = *Create(kReceptionA, patient, "req-2");
  // Reception may read (booking screens with its token; audited) but not write.
  EXPECT_TRUE(Get(kReceptionA, created.id(), v1::PATIENT_VIEW_FULL).ok());

  v1::Patient patch = created;
  patch.mutable_medical_profile()->set_pregnant(true);
  EXPECT_EQ(Update(kReceptionA, patch, {"medical_profile.pregnant"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Patient> updated = Update(kStaffA, patch, {"medical_profile.pregnant"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->medical_profile().pregnant());  // FULL after a medical change
  EXPECT_EQ(updated->medical_profile().updated_by(), "dr-weber");
}

TEST_F(PatientCrudTest, SetConsentRecordsHistoryAndPublishesOnlyChanges) {
  v1::Patient created = *Create(kStaffA, ValidPatient(), "req-1");
  clock_.Advance(absl::Hours(2));
  v1::SetConsentRequest request;
  request.set_patient_id(created.id());
  request.set_channel(v1::CHANNEL_SMS);
  request.set_state(v1::CONSENT_STATE_WITHDRAWN);
  request.set_reason("asked by phone to stop SMS");
  absl::StatusOr<v1::Patient> withdrawn = SetConsent(kReceptionA, request);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->consents(0).state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn->consents(0).changed_by(), "front-desk-1");
  EXPECT_EQ(common::ToTime(withdrawn->consents(0).change_time()), clock_.Now());
  EXPECT_NE(withdrawn->etag(), created.etag());
  EXPECT_FALSE(withdrawn->has_medical_profile());

  std::vector<events::Event> published = Events("clinic-a");
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].organization(), "clinic-a");
  EXPECT_EQ(published[0].producer(), "patient");
  EXPECT_EQ(published[0].actor(), "front-desk-1");
  EXPECT_EQ(published[0].patient_consent_changed().patient_id(), created.id());
  EXPECT_EQ(published[0].patient_consent_changed().channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(published[0].patient_consent_changed().state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(Redis({"SISMEMBER", "df:orgs", "clinic-a"}).integer(), 1);

  // The same state again: OK, nothing recorded, nothing published.
  absl::StatusOr<v1::Patient> again = SetConsent(kReceptionA, request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->etag(), withdrawn->etag());
  EXPECT_EQ(Events("clinic-a").size(), 1u);

  // A stale etag, when given, is ABORTED.
  request.set_state(v1::CONSENT_STATE_GIVEN);
  request.set_etag(created.etag());
  EXPECT_EQ(SetConsent(kReceptionA, request).status().code(), absl::StatusCode::kAborted);

  v1::SetConsentRequest bad;
  bad.set_reason(std::string(501, 'x'));
  EXPECT_THAT(common::ViolatedFields(SetConsent(kReceptionA, bad).status()),
              ElementsAre("patient_id", "channel", "state", "reason"));

  v1::ExportPatientResponse exported = *Export(kStaffA, created.id());
  ASSERT_EQ(exported.consent_history_size(), 2);
  EXPECT_EQ(exported.consent_history(0).state(), v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(exported.consent_history(1).state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(exported.consent_history(1).reason(), "asked by phone to stop SMS");
}

TEST_F(PatientCrudTest, UnauthenticatedCallsAreRefused) {
  grpc::ClientContext context;
  v1::GetPatientRequest request;
  request.set_id("x");
  v1::Patient response;
  EXPECT_EQ(stub_->GetPatient(&context, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace dermaflow::patient::testing
