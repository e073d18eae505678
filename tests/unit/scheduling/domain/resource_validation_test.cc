// Validation of clinics, practitioners and rooms names every bad field.
#include "services/scheduling/domain/resource_validation.h"

#include <string>
#include <vector>

#include "common/api/update_mask.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

std::vector<std::string> ClinicFields(const v1::Clinic& c) {
  common::FieldViolations v;
  ValidateClinic(c, "clinic", v);
  return common::ViolatedFields(v.ToStatus());
}

TEST(ClinicValidationTest, ValidClinicPasses) {
  EXPECT_TRUE(ClinicFields(testing::BerlinClinic()).empty());
}

TEST(ClinicValidationTest, NamesEachBadField) {
  auto c = testing::BerlinClinic();
  c.set_display_name("");
  c.set_time_zone("Europe/Atlantis");
  c.set_contact_phone("030 123");
  c.mutable_address()->set_country_code("de");
  auto* h = c.add_opening_hours();  // overlaps Monday 09:00-18:00
  h->set_day_of_week(google::type::MONDAY);
  *h->mutable_open() = testing::Tod(17, 0);
  *h->mutable_close() = testing::Tod(19, 0);
  auto* bad = c.add_opening_hours();
  bad->set_day_of_week(google::type::TUESDAY);
  *bad->mutable_open() = testing::Tod(12, 0);
  *bad->mutable_close() = testing::Tod(11, 0);
  c.mutable_buffer()->set_seconds(int64_t{90} * 60);
  c.mutable_slot_interval()->set_seconds(7 * 60 + 30);
  google::type::Date feb30;
  feb30.set_year(2026);
  feb30.set_month(2);
  feb30.set_day(30);
  *c.add_closed_days() = feb30;
  EXPECT_EQ(
      ClinicFields(c),
      (std::vector<std::string>{"clinic.display_name", "clinic.time_zone", "clinic.address.lines",
                                "clinic.address.country_code", "clinic.contact_phone",
                                "clinic.opening_hours[6].close", "clinic.opening_hours[5]",
                                "clinic.closed_days[0]", "clinic.buffer", "clinic.slot_interval"}));
}

TEST(ClinicValidationTest, WaitlistPolicyInRange) {
  auto c = testing::BerlinClinic();
  c.mutable_waitlist_policy()->set_offers_per_slot(3);
  c.mutable_waitlist_policy()->set_hold_minutes(90);
  EXPECT_TRUE(ClinicFields(c).empty());
  c.mutable_waitlist_policy()->set_offers_per_slot(11);
  c.mutable_waitlist_policy()->set_hold_minutes(2);
  EXPECT_EQ(ClinicFields(c), (std::vector<std::string>{"clinic.waitlist_policy.offers_per_slot",
                                                       "clinic.waitlist_policy.hold_minutes"}));
}

TEST(ClinicValidationTest, MidnightCloseIsAllowedButNotAsOpen) {
  auto c = testing::BerlinClinic();
  *c.mutable_opening_hours(0)->mutable_close() = testing::Tod(24, 0);
  EXPECT_TRUE(ClinicFields(c).empty());
  *c.mutable_opening_hours(0)->mutable_open() = testing::Tod(24, 0);
  EXPECT_EQ(ClinicFields(c), std::vector<std::string>{"clinic.opening_hours[0].open"});
}

TEST(PractitionerValidationTest, ClinicsAndWorkingHours) {
  auto p = testing::Weber();
  common::FieldViolations ok;
  ValidatePractitioner(p, "practitioner", {"cl_berlin"}, ok);
  EXPECT_TRUE(ok.empty());

  p.add_clinic_ids("cl_unknown");
  auto* h = p.add_working_hours();  // Monday at another clinic, overlapping
  h->set_clinic_id("cl_hamburg");
  h->set_day_of_week(google::type::MONDAY);
  *h->mutable_start() = testing::Tod(16, 0);
  *h->mutable_end() = testing::Tod(18, 0);
  p.add_qualified_categories(protocol::v1::PROTOCOL_CATEGORY_UNSPECIFIED);
  auto* off = p.add_time_off();
  *off->mutable_start_time() = ToTimestamp(testing::Local(2026, 6, 2, 0, 0));
  *off->mutable_end_time() = ToTimestamp(testing::Local(2026, 6, 1, 0, 0));
  common::FieldViolations v;
  ValidatePractitioner(p, "practitioner", {"cl_berlin", "cl_hamburg"}, v);
  EXPECT_EQ(common::ViolatedFields(v.ToStatus()),
            (std::vector<std::string>{
                "practitioner.clinic_ids[1]", "practitioner.working_hours[5].clinic_id",
                "practitioner.working_hours[5]", "practitioner.qualified_categories[1]",
                "practitioner.time_off[0].end_time"}));
}

TEST(RoomValidationTest, ClinicMustExist) {
  v1::Room room;
  room.set_clinic_id("cl_x");
  room.set_display_name("Room 1");
  common::FieldViolations v;
  ValidateRoom(room, "room", {"cl_berlin"}, v);
  EXPECT_EQ(common::ViolatedFields(v.ToStatus()), std::vector<std::string>{"room.clinic_id"});
}

TEST(SharedValidationTest, PhoneEmail) {
  EXPECT_TRUE(IsE164("+49301234567"));
  EXPECT_FALSE(IsE164("+0301234567"));
  EXPECT_FALSE(IsE164("0049301234567"));
  EXPECT_TRUE(IsPlausibleEmail("info@clinic.de"));
  EXPECT_FALSE(IsPlausibleEmail("info@clinic"));
  EXPECT_FALSE(IsPlausibleEmail("in fo@clinic.de"));
}

// The clinic's updates through common/api/update_mask.h.
TEST(ClinicUpdateMaskTest, CopiesNamedFieldsAndClearsUnsetOnes) {
  using common::ApplyUpdateMask;
  auto stored = testing::BerlinClinic();
  v1::Clinic update;
  update.set_display_name("New name");
  update.set_time_zone("Asia/Tokyo");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("opening_hours");
  ASSERT_TRUE(
      ApplyUpdateMask(update, mask, {{"display_name", "opening_hours", "buffer"}}, stored).ok());
  EXPECT_EQ(stored.display_name(), "New name");
  EXPECT_EQ(stored.time_zone(), "Europe/Berlin");
  EXPECT_TRUE(stored.opening_hours().empty());
  EXPECT_TRUE(stored.has_buffer());

  mask.add_paths("time_zone");
  EXPECT_EQ(common::ViolatedFields(
                ApplyUpdateMask(update, mask, {{"display_name", "opening_hours"}}, stored)),
            std::vector<std::string>{"update_mask"});
  EXPECT_FALSE(
      ApplyUpdateMask(update, google::protobuf::FieldMask(), {{"display_name"}}, stored).ok());
  google::protobuf::FieldMask all;
  all.add_paths("*");
  ASSERT_TRUE(ApplyUpdateMask(update, all, {{"display_name", "buffer"}}, stored).ok());
  EXPECT_FALSE(stored.has_buffer());
}

}  // namespace
}  // namespace dermaflow::scheduling
