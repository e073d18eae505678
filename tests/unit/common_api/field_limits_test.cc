#include "common/api/field_limits.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "dermaflow/patient/v1/patient_service.pb.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;

const google::protobuf::FieldDescriptor& Field(const google::protobuf::Descriptor& message,
                                               const std::string& name) {
  const google::protobuf::FieldDescriptor* field = message.FindFieldByName(name);
  EXPECT_NE(field, nullptr) << name;
  return *field;
}

TEST(FieldLimitsTest, FieldNamesChooseTheLimit) {
  const auto& clinic = *scheduling::v1::Clinic::descriptor();
  EXPECT_EQ(LimitFor(Field(clinic, "id")).shape, FieldShape::kIdentifier);
  EXPECT_EQ(LimitFor(Field(clinic, "id")).max_chars, 64u);
  EXPECT_EQ(LimitFor(Field(clinic, "time_zone")).shape, FieldShape::kTimeZone);
  EXPECT_EQ(LimitFor(Field(clinic, "display_name")).max_chars, kMaxTextLength);
  const auto& booking = *scheduling::v1::BookAppointmentRequest::descriptor();
  EXPECT_EQ(LimitFor(Field(booking, "request_id")).shape, FieldShape::kIdentifier);
  EXPECT_EQ(LimitFor(Field(booking, "patient_id")).shape, FieldShape::kIdentifier);
  EXPECT_EQ(LimitFor(Field(booking, "notes")).max_chars, kMaxLongTextLength);
  const auto& list = *patient::v1::ListPatientsRequest::descriptor();
  EXPECT_EQ(LimitFor(Field(list, "page_token")).max_chars, kMaxPageTokenLength);
}

TEST(FieldLimitsTest, AWellFormedRequestPasses) {
  scheduling::v1::CreateClinicRequest request;
  request.set_request_id("4f1c2a9e-0d7b-4c1e-9a51-3b2f8e6d7c10");
  request.mutable_clinic()->set_display_name("Zürich Seefeld");
  request.mutable_clinic()->set_time_zone("Europe/Zurich");
  request.mutable_clinic()->mutable_address()->add_lines("Seefeldstrasse 1");
  EXPECT_TRUE(CheckFieldLimits(request).ok());
}

TEST(FieldLimitsTest, AnOversizedIdIsRefusedAndNotEchoed) {
  patient::v1::GetPatientRequest request;
  request.set_id(std::string(1 << 20, 'a'));
  absl::Status status = CheckFieldLimits(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("id"));
  EXPECT_LT(status.ToString().size(), 1000u);  // the megabyte is not carried back
}

TEST(FieldLimitsTest, IdentifiersHaveAShape) {
  EXPECT_TRUE(IsIdentifier("pt_3f9c1d0b7e2a4c58a1b2"));
  EXPECT_TRUE(IsIdentifier("mesotherapy-face.v2~x"));
  EXPECT_FALSE(IsIdentifier(""));
  EXPECT_FALSE(IsIdentifier("../etc/passwd"));
  EXPECT_FALSE(IsIdentifier("a b"));
  EXPECT_FALSE(IsIdentifier(std::string("a\0b", 3)));
  EXPECT_FALSE(IsIdentifier(std::string(65, 'a')));

  protocol::v1::CreateProtocolRequest request;
  request.mutable_protocol()->set_id("<script>alert(1)</script>");
  EXPECT_THAT(ViolatedFields(CheckFieldLimits(request)), ElementsAre("protocol.id"));
}

TEST(FieldLimitsTest, TimeZonesArePathsNever) {
  for (const char* zone : {"/etc/localtime", "../../../../usr/share/zoneinfo/Europe/Berlin",
                           "localtime", "posixrules"}) {
    scheduling::v1::CreateClinicRequest request;
    request.mutable_clinic()->set_time_zone(zone);
    EXPECT_THAT(ViolatedFields(CheckFieldLimits(request)), ElementsAre("clinic.time_zone")) << zone;
  }
  scheduling::v1::CreateClinicRequest with_nul;
  with_nul.mutable_clinic()->set_time_zone(std::string("Europe/Berlin\0x", 15));
  EXPECT_THAT(ViolatedFields(CheckFieldLimits(with_nul)), ElementsAre("clinic.time_zone"));
}

TEST(FieldLimitsTest, LengthsCountCharactersNotBytes) {
  scheduling::v1::CreateClinicRequest request;
  std::string umlauts;
  for (size_t i = 0; i < kMaxTextLength; ++i) umlauts += "ü";  // 2 bytes each
  request.mutable_clinic()->set_display_name(umlauts);
  EXPECT_TRUE(CheckFieldLimits(request).ok());
  request.mutable_clinic()->set_display_name(umlauts + "ü");
  EXPECT_THAT(ViolatedFields(CheckFieldLimits(request)), ElementsAre("clinic.display_name"));
}

TEST(FieldLimitsTest, RepeatedFieldsAreCountedAndTheirElementsNamed) {
  scheduling::v1::CreateClinicRequest request;
  auto* lines = request.mutable_clinic()->mutable_address();
  lines->add_lines("ok");
  lines->add_lines(std::string(kMaxTextLength + 1, 'x'));
  EXPECT_THAT(ViolatedFields(CheckFieldLimits(request)), ElementsAre("clinic.address.lines[1]"));
  for (size_t i = 0; i < kMaxRepeatedCount; ++i) lines->add_lines("x");
  EXPECT_THAT(ViolatedFields(CheckFieldLimits(request)), ElementsAre("clinic.address.lines"));
}

TEST(FieldLimitsTest, SixHundredDuplicateConsentsAreOneViolation) {
  patient::v1::CreatePatientRequest request;
  for (int i = 0; i < 600; ++i)
    request.mutable_patient()->add_consents()->set_reason("asked at the desk");
  absl::Status status = CheckFieldLimits(request);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("patient.consents"));
}

// The whole walk stays far from the 10 ms the API promises even for a
// request at the server's largest size: a loose bound, so it never flakes.
TEST(FieldLimitsTest, AFourMegabyteRequestIsCheckedQuickly) {
  scheduling::v1::CreateClinicRequest request;
  for (int i = 0; i < 100; ++i) {
    request.mutable_clinic()->mutable_address()->add_lines(std::string(40'000, 'x'));
  }
  const absl::Time start = absl::Now();
  absl::Status status = CheckFieldLimits(request);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(200));
  EXPECT_EQ(ViolatedFields(status).size(), 20u);  // bounded; the message says how many more
  EXPECT_NE(status.message().find("80 more"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace dermaflow::common
