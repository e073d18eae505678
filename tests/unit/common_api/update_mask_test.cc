#include "common/api/update_mask.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace v1 = ::dermaflow::patient::v1;

const UpdatableFields kFields{
    .paths = {"given_name", "contact", "contact.email", "medical_profile", "medical_profile.*"},
    .read_only = {"medical_profile.update_time"},
    .hint = "consents change through SetConsent"};

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

std::vector<std::string> Checked(std::vector<std::string> paths) {
  absl::StatusOr<google::protobuf::FieldMask> mask =
      CheckUpdateMask(v1::Patient::descriptor(), Mask(std::move(paths)), kFields);
  EXPECT_TRUE(mask.ok()) << mask.status();
  return mask.ok() ? std::vector<std::string>(mask->paths().begin(), mask->paths().end())
                   : std::vector<std::string>{};
}

TEST(UpdateMaskTest, ExpandsStarToTopLevelPathsInOrderWithoutRepeats) {
  EXPECT_THAT(Checked({"contact.email", "*", "given_name"}),
              ElementsAre("contact.email", "given_name", "contact", "medical_profile"));
  EXPECT_THAT(Checked({"medical_profile.pregnant"}), ElementsAre("medical_profile.pregnant"));
}

TEST(UpdateMaskTest, RefusesEmptyUnknownAndReadOnlyPaths) {
  for (const auto& paths : std::vector<std::vector<std::string>>{{},
                                                                 {"family_name"},
                                                                 {"nope"},
                                                                 {"consents"},
                                                                 {"medical_profile.update_time"},
                                                                 {"contact.phone"},
                                                                 {"medical_profile.nope"}}) {
    absl::Status status = CheckUpdateMask(v1::Patient::descriptor(), Mask(paths), kFields).status();
    EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask")) << paths.size();
  }
  absl::Status consents =
      CheckUpdateMask(v1::Patient::descriptor(), Mask({"consents"}), kFields).status();
  EXPECT_THAT(consents.message(), HasSubstr("SetConsent"));
}

TEST(UpdateMaskTest, CopiesNamedFieldsAndClearsNamedButUnset) {
  v1::Patient stored;
  stored.set_given_name("Anna");
  stored.set_family_name("Muster");
  stored.mutable_contact()->set_email("a@example.org");
  stored.mutable_contact()->set_phone("+4915100000000");
  v1::Patient update;
  update.set_given_name("Anne");
  update.set_family_name("Ignored");
  // contact unset in the update: contact.email is cleared, phone kept.
  ASSERT_TRUE(ApplyUpdateMask(update, Mask({"given_name", "contact.email"}), kFields, stored).ok());
  EXPECT_EQ(stored.given_name(), "Anne");
  EXPECT_EQ(stored.family_name(), "Muster");
  EXPECT_EQ(stored.contact().email(), "");
  EXPECT_EQ(stored.contact().phone(), "+4915100000000");

  // A message named as a whole is replaced as a whole.
  update.mutable_contact()->set_email("b@example.org");
  ASSERT_TRUE(ApplyUpdateMask(update, Mask({"contact"}), kFields, stored).ok());
  EXPECT_EQ(stored.contact().email(), "b@example.org");
  EXPECT_EQ(stored.contact().phone(), "");
}

}  // namespace
}  // namespace dermaflow::common
