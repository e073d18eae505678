// GDPR over real gRPC and Redis: erasure leaves nothing personal in Redis
// (every key and value of the tenant is searched) and publishes
// patient.erased atomically; export returns what was stored; the audit trail
// records FULL reads and medical changes without their values.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "gmock/gmock.h"
#include "services/patient/domain/patient_errors.h"
#include "tests/integration/patient/patient_test_fixture.h"

namespace dermaflow::patient::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class PatientGdprTest : public PatientServiceTest {
 protected:
  // A patient whose data is easy to spot in a dump of Redis.
  v1::Patient Distinctive() {
    v1::Patient patient = ValidPatient();
    patient.set_given_name("Xaverine");
    patient.set_family_name("Quintus-Übermann");
    patient.mutable_contact()->set_email("Xaverine.Quintus@Example.org");
    patient.mutable_contact()->set_phone("+4917698765432");
    patient.mutable_birth_date()->set_year(1977);
    patient.mutable_birth_date()->set_month(11);
    patient.mutable_birth_date()->set_day(23);
    patient.mutable_medical_profile()->add_allergies()->set_substance(v1::ALLERGY_SUBSTANCE_OTHER);
    patient.mutable_medical_profile()->mutable_allergies(1)->set_free_text(
        "Zyklopentanol-Ausschlag");
    return patient;
  }

  // Every form in which the patient's data could sit in Redis.
  std::vector<std::string> Traces(const v1::Patient& p) {
    return {p.given_name(),
            p.family_name(),
            "xaverine",
            "quintus-ubermann",
            p.contact().email(),
            absl::AsciiStrToLower(p.contact().email()),
            p.contact().phone(),
            "4917698765432",
            "Zyklopentanol",
            p.birth_date().SerializeAsString(),
            p.contact().SerializeAsString()};
  }
};

TEST_F(PatientGdprTest, ErasureLeavesOnlyATombstoneAndPublishesTheEvent) {
  // A neighbour who must survive, and the patient with a full history.
  v1::Patient neighbour =
      CreateNamed(kStaffA, "Nina", "Nachbar", "+4915100000001", "nina@example.org");
  v1::Patient patient = *Create(kStaffA, Distinctive(), "req-erase");
  ASSERT_TRUE(Get(kStaffA, patient.id(), v1::PATIENT_VIEW_FULL).ok());
  v1::SetConsentRequest consent;
  consent.set_patient_id(patient.id());
  consent.set_channel(v1::CHANNEL_EMAIL);
  consent.set_state(v1::CONSENT_STATE_GIVEN);
  consent.set_reason("ticked box");
  v1::Patient current = *SetConsent(kStaffA, consent);
  v1::ListPatientsRequest page;
  page.set_page_size(1);
  ASSERT_FALSE(List(kStaffA, page)->next_page_token().empty());  // creates the page-token key

  std::string before = TenantDump("clinic-a");
  for (const std::string& trace : Traces(patient))
    ASSERT_THAT(before, HasSubstr(trace)) << "test is blind";

  EXPECT_EQ(Delete(kStaffA, patient.id(), patient.etag()).code(),
            absl::StatusCode::kAborted);  // stale
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(
      Delete(kStaffA, patient.id(), current.etag(), "erasure request by letter of 2026-03-01")
          .ok());

  const std::string after = TenantDump("clinic-a");
  for (const std::string& trace : Traces(patient))
    EXPECT_THAT(after, Not(HasSubstr(trace))) << trace;
  EXPECT_THAT(after, HasSubstr("Nachbar"));  // others are untouched

  // The tombstone: the id (in its key), when, by whom, why; nothing else.
  common::RedisReply tombstone = Redis({"HGETALL", "df:{clinic-a}:patient:" + patient.id()});
  std::vector<std::string> fields;
  for (size_t i = 0; i < tombstone.elements().size(); i += 2)
    fields.push_back(tombstone.elements()[i].str());
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("erase_time", "erased_by", "reason"));
  for (const std::string& key : TenantKeys("clinic-a")) {
    EXPECT_THAT(key, Not(HasSubstr("patient_consents:" + patient.id())));
  }
  // The request_id stays, pointing at the tombstone, so a retry cannot resurrect.
  EXPECT_EQ(Redis({"GET", "df:{clinic-a}:patient_request:req-erase"}).str(), patient.id());

  std::vector<events::Event> published = Events("clinic-a");
  ASSERT_FALSE(published.empty());
  const events::Event& erased = published.back();
  EXPECT_EQ(erased.patient_erased().patient_id(), patient.id());
  EXPECT_EQ(erased.organization(), "clinic-a");
  EXPECT_EQ(erased.actor(), "dr-weber");
  EXPECT_EQ(common::ToTime(erased.occur_time()), clock_.Now());

  absl::StatusOr<v1::Patient> got = Get(kStaffA, patient.id());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(common::ErrorInfoReason(got.status()), "PATIENT_ERASED");
  EXPECT_EQ(Export(kStaffA, patient.id()).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::Patient> recreated = Create(kStaffA, Distinctive(), "req-erase");
  EXPECT_EQ(recreated.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(common::ErrorInfoReason(recreated.status()), "PATIENT_ERASED");
  EXPECT_THAT(TenantDump("clinic-a"), Not(HasSubstr("Xaverine")));

  // Erasing again is OK and changes nothing; the list no longer has her.
  const size_t event_count = Events("clinic-a").size();
  EXPECT_TRUE(Delete(kStaffA, patient.id(), current.etag()).ok());
  EXPECT_EQ(Events("clinic-a").size(), event_count);
  v1::ListPatientsResponse all = *List(kStaffA, {});
  ASSERT_EQ(all.patients_size(), 1);
  EXPECT_EQ(all.patients(0).id(), neighbour.id());
  EXPECT_EQ(Get(kStaffA, neighbour.id())->contact().email(), "nina@example.org");

  // The audit trail stays (ids, actions and paths only) and ends with ERASE.
  v1::ListAuditEntriesRequest audit;
  audit.set_patient_id(patient.id());
  v1::ListAuditEntriesResponse trail = *ListAudit(kStaffA, audit);
  ASSERT_GE(trail.audit_entries_size(), 4);
  EXPECT_EQ(trail.audit_entries(0).action(), v1::AUDIT_ACTION_ERASE);
}

TEST_F(PatientGdprTest, DeleteNeedsIdEtagReasonAndTheAdminRole) {
  v1::Patient patient = *Create(kStaffA, ValidPatient(), "req-1");
  EXPECT_THAT(common::ViolatedFields(Delete(kStaffA, "", "", "  ")),
              ElementsAre("id", "etag", "reason"));
  EXPECT_EQ(Delete(kReceptionA, patient.id(), patient.etag()).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Delete(kStaffA, "0123456789abcdef0123456789abcdef", "1").code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(Get(kStaffA, patient.id()).ok());
}

TEST_F(PatientGdprTest, ExportReturnsWhatWasStored) {
  v1::Patient created = *Create(kStaffA, ValidPatient(), "req-1");
  v1::Patient patch = created;
  patch.mutable_medical_profile()->set_diabetes(true);
  v1::Patient updated = *Update(kStaffA, patch, {"medical_profile.diabetes"});
  clock_.Advance(absl::Hours(1));

  absl::StatusOr<v1::ExportPatientResponse> exported = Export(kStaffA, created.id());
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->patient().SerializeAsString(), updated.SerializeAsString());
  EXPECT_TRUE(exported->patient().medical_profile().diabetes());
  ASSERT_EQ(exported->consent_history_size(), 1);
  EXPECT_EQ(exported->consent_history(0).SerializeAsString(),
            created.consents(0).SerializeAsString());
  std::vector<v1::AuditAction> actions;
  for (const auto& entry : exported->audit_entries()) actions.push_back(entry.action());
  EXPECT_THAT(actions, ElementsAre(v1::AUDIT_ACTION_CREATE, v1::AUDIT_ACTION_UPDATE_MEDICAL_PROFILE,
                                   v1::AUDIT_ACTION_EXPORT));
  EXPECT_EQ(exported->audit_entries(0).request_id(), "req-1");
  EXPECT_FALSE(exported->audit_entries(2).id().empty());
  EXPECT_EQ(common::ToTime(exported->export_time()), clock_.Now());
  EXPECT_EQ(Export(kReceptionA, created.id()).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(PatientGdprTest, FullReadsAndMedicalChangesAreAuditedWithoutValues) {
  v1::Patient created = *Create(kStaffA, Distinctive(), "req-1");
  const Who practitioner{"clinic-a", "dr-lang", {"practitioner"}};
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(Get(practitioner, created.id(), v1::PATIENT_VIEW_FULL).ok());
  ASSERT_TRUE(Get(practitioner, created.id()).ok());  // BASIC: not audited
  clock_.Advance(absl::Minutes(1));
  v1::Patient patch = created;
  patch.mutable_medical_profile()->set_pregnant(true);
  patch.set_given_name("Xenia");
  ASSERT_TRUE(Update(practitioner, patch, {"medical_profile.pregnant", "given_name"}).ok());

  v1::ListAuditEntriesRequest request;
  request.set_patient_id(created.id());
  v1::ListAuditEntriesResponse trail = *ListAudit(kStaffA, request);
  ASSERT_EQ(trail.audit_entries_size(), 4);  // newest first
  const v1::AuditEntry& update_medical = trail.audit_entries(0);
  EXPECT_EQ(update_medical.action(), v1::AUDIT_ACTION_UPDATE_MEDICAL_PROFILE);
  EXPECT_THAT(update_medical.field_paths(), ElementsAre("medical_profile.pregnant"));
  EXPECT_EQ(trail.audit_entries(1).action(), v1::AUDIT_ACTION_UPDATE);
  EXPECT_THAT(trail.audit_entries(1).field_paths(), ElementsAre("given_name"));
  const v1::AuditEntry& read = trail.audit_entries(2);
  EXPECT_EQ(read.action(), v1::AUDIT_ACTION_READ_MEDICAL_PROFILE);
  EXPECT_EQ(read.actor(), "dr-lang");
  EXPECT_EQ(read.patient_id(), created.id());
  EXPECT_THAT(read.field_paths(), ElementsAre("medical_profile"));
  EXPECT_EQ(common::ToTime(read.time()), clock_.Now() - absl::Minutes(1));
  EXPECT_EQ(trail.audit_entries(3).action(), v1::AUDIT_ACTION_CREATE);

  // The audit streams (tenant-wide and per patient) hold no values.
  for (const std::string& stream : std::vector<std::string>{
           "df:{clinic-a}:patient_audit", "df:{clinic-a}:patient_audit:" + created.id()}) {
    std::string dump;
    const common::RedisReply entries = Redis({"XRANGE", stream, "-", "+"});
    for (const auto& entry : entries.elements()) {
      dump += entry.elements()[1].elements()[1].str();
    }
    EXPECT_EQ(Redis({"XLEN", stream}).integer(), 4) << stream;
    for (const std::string& value :
         {"Xaverine", "Xenia", "Zyklopentanol", "+4917698765432", "Quintus"}) {
      EXPECT_THAT(dump, Not(HasSubstr(value))) << stream;
    }
  }

  // Filters and pages.
  request.add_actions(v1::AUDIT_ACTION_READ_MEDICAL_PROFILE);
  EXPECT_EQ(ListAudit(kStaffA, request)->audit_entries_size(), 1);
  request.clear_actions();
  *request.mutable_time_range()->mutable_start_time() =
      common::ToTimestamp(clock_.Now() - absl::Minutes(1));
  EXPECT_EQ(ListAudit(kStaffA, request)->audit_entries_size(), 3);
  request.clear_time_range();
  request.set_page_size(3);
  v1::ListAuditEntriesResponse first = *ListAudit(kStaffA, request);
  ASSERT_EQ(first.audit_entries_size(), 3);
  request.set_page_token(first.next_page_token());
  v1::ListAuditEntriesResponse second = *ListAudit(kStaffA, request);
  ASSERT_EQ(second.audit_entries_size(), 1);
  EXPECT_EQ(second.audit_entries(0).action(), v1::AUDIT_ACTION_CREATE);
  EXPECT_TRUE(second.next_page_token().empty());

  v1::ListAuditEntriesRequest bad;
  *bad.mutable_time_range()->mutable_start_time() = common::ToTimestamp(clock_.Now());
  *bad.mutable_time_range()->mutable_end_time() =
      common::ToTimestamp(clock_.Now() - absl::Seconds(1));
  EXPECT_THAT(common::ViolatedFields(ListAudit(kStaffA, bad).status()),
              ElementsAre("patient_id", "time_range"));
  EXPECT_EQ(ListAudit(practitioner, request).status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace dermaflow::patient::testing
