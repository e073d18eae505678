// Clinics, practitioners and rooms over gRPC and Redis: validation naming
// fields, request_id idempotency, etags, unique names and ordered pages.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::ElementsAre;

class ResourcesTest : public ::testing::Test {
 protected:
  ResourcesTest() : org_(env_.SetUpOrganization("clinic-a")) {}
  std::unique_ptr<grpc::ClientContext> Admin() { return SchedulingEnv::Ctx(org_.admin_token); }

  SchedulingEnv env_;
  Organization org_;
};

TEST_F(ResourcesTest, CreateClinicValidatesAndIsIdempotent) {
  v1::CreateClinicRequest req;
  req.set_request_id("c-1");
  req.mutable_clinic()->set_display_name("Hamburg");
  req.mutable_clinic()->set_time_zone("Europe/Hamburg-ish");
  auto* h = req.mutable_clinic()->add_opening_hours();
  h->set_day_of_week(google::type::MONDAY);
  h->mutable_open()->set_hours(18);
  h->mutable_close()->set_hours(9);
  v1::Clinic clinic;
  grpc::Status s = env_.scheduling().CreateClinic(Admin().get(), req, &clinic);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("clinic.time_zone", "clinic.opening_hours[0].close"));

  req.mutable_clinic()->set_time_zone("Europe/Berlin");
  h->mutable_open()->set_hours(9);
  h->mutable_close()->set_hours(18);
  ASSERT_TRUE(env_.scheduling().CreateClinic(Admin().get(), req, &clinic).ok());
  v1::Clinic again;
  ASSERT_TRUE(env_.scheduling().CreateClinic(Admin().get(), req, &again).ok());
  EXPECT_EQ(again.id(), clinic.id());
  req.mutable_clinic()->set_display_name("Altona");
  grpc::Status reused = env_.scheduling().CreateClinic(Admin().get(), req, &again);
  EXPECT_THAT(BadFieldsOf(reused), ElementsAre("request_id")) << reused.error_message();
}

TEST_F(ResourcesTest, UpdateUsesMaskAndEtag) {
  v1::GetClinicRequest get;
  get.set_id(org_.clinic_id);
  v1::Clinic clinic;
  ASSERT_TRUE(env_.scheduling().GetClinic(Admin().get(), get, &clinic).ok());
  v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic;
  update.mutable_clinic()->set_display_name("Dermaflow Mitte");
  update.mutable_clinic()->set_time_zone("Asia/Tokyo");  // not in the mask: ignored
  update.mutable_update_mask()->add_paths("display_name");
  v1::Clinic updated;
  ASSERT_TRUE(env_.scheduling().UpdateClinic(Admin().get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Dermaflow Mitte");
  EXPECT_EQ(updated.time_zone(), "Europe/Berlin");
  EXPECT_NE(updated.etag(), clinic.etag());
  grpc::Status s = env_.scheduling().UpdateClinic(Admin().get(), update, &updated);  // stale etag
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReasonOf(s), "ETAG_MISMATCH");
  update.mutable_clinic()->set_etag(updated.etag());
  update.mutable_update_mask()->add_paths("time_zone");
  s = env_.scheduling().UpdateClinic(Admin().get(), update, &updated);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("update_mask"));
}

TEST_F(ResourcesTest, UniqueSubjectsAndRoomNames) {
  v1::CreatePractitionerRequest p;
  p.set_request_id("p-dup");
  p.mutable_practitioner()->set_display_name("Impostor");
  p.mutable_practitioner()->add_clinic_ids(org_.clinic_id);
  p.mutable_practitioner()->set_subject("dr-weber");
  v1::Practitioner created;
  grpc::Status s = env_.scheduling().CreatePractitioner(Admin().get(), p, &created);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReasonOf(s), "SUBJECT_IN_USE");
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), org_.practitioner_id);
  p.mutable_practitioner()->add_clinic_ids("cl_unknown");
  EXPECT_THAT(BadFieldsOf(env_.scheduling().CreatePractitioner(Admin().get(), p, &created)),
              ElementsAre("practitioner.clinic_ids[1]"));

  // "Room 1" is one of the two rooms SetUpOrganization made.
  v1::Room room_1;
  for (const std::string& id : org_.room_ids) {
    v1::GetRoomRequest get;
    get.set_id(id);
    v1::Room room;
    ASSERT_TRUE(env_.scheduling().GetRoom(Admin().get(), get, &room).ok());
    if (room.display_name() == "Room 1") room_1 = room;
  }
  ASSERT_FALSE(room_1.id().empty());

  v1::CreateRoomRequest r;
  r.set_request_id("r-dup");
  r.mutable_room()->set_clinic_id(org_.clinic_id);
  r.mutable_room()->set_display_name("room 1");  // names ignore case
  v1::Room room;
  s = env_.scheduling().CreateRoom(Admin().get(), r, &room);
  EXPECT_EQ(ErrorReasonOf(s), "DISPLAY_NAME_IN_USE");
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), room_1.id());
  // Renaming frees the old name.
  v1::UpdateRoomRequest rename;
  *rename.mutable_room() = room_1;
  rename.mutable_room()->set_display_name("Laser room");
  rename.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(env_.scheduling().UpdateRoom(Admin().get(), rename, &room).ok());
  EXPECT_TRUE(env_.scheduling().CreateRoom(Admin().get(), r, &room).ok());
}

TEST_F(ResourcesTest, ListsAreOrderedAndPaged) {
  for (const char* name : {"Dr. Zoe", "Dr. Adam", "Dr. Mia"}) env_.AddPractitioner(org_, name);
  v1::ListPractitionersRequest req;
  req.set_page_size(2);
  std::vector<std::string> names;
  std::string token;
  do {
    req.set_page_token(token);
    v1::ListPractitionersResponse page;
    ASSERT_TRUE(env_.scheduling().ListPractitioners(Admin().get(), req, &page).ok());
    for (const auto& p : page.practitioners()) names.push_back(p.display_name());
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_THAT(names, ElementsAre("Dr. Adam", "Dr. Anna Weber", "Dr. Mia", "Dr. Zoe"));
  req.set_page_token("garbage");
  v1::ListPractitionersResponse page;
  EXPECT_THAT(BadFieldsOf(env_.scheduling().ListPractitioners(Admin().get(), req, &page)),
              ElementsAre("page_token"));
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
