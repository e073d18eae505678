// Version 1 and version n+1: output fields, update masks, etags.
#include "services/protocol/domain/protocol_versions.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/catalog.h"

namespace dermaflow::protocol {
namespace {

using ::testing::ElementsAre;

const VersionStamp kCreated{absl::FromUnixSeconds(1'800'000'000), "admin-1"};
const VersionStamp kUpdated{absl::FromUnixSeconds(1'800'003'600), "admin-2"};

v1::Protocol CatalogV1(std::string_view key) {
  const CatalogEntry* e = FindCatalogEntry(key);
  return FirstVersion(e->protocol, "abc", e->protocol.source(), {kCreated.time, "catalog"});
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

TEST(ProtocolVersionsTest, FirstVersionOwnsTheServerFields) {
  v1::Protocol requested = FindCatalogEntry("mesobotox")->protocol;
  requested.set_id("client-chosen");
  requested.set_version(9);
  requested.set_etag("v9");
  v1::ProtocolSource source;
  source.set_origin(v1::PROTOCOL_ORIGIN_ORGANIZATION);

  v1::Protocol first = FirstVersion(requested, "p123", source, kCreated);

  EXPECT_EQ(first.id(), "p123");
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.etag(), "v1");
  EXPECT_EQ(first.source().origin(), v1::PROTOCOL_ORIGIN_ORGANIZATION);
  EXPECT_TRUE(first.source().catalog_key().empty());
  EXPECT_EQ(first.create_time().seconds(), 1'800'000'000);
  EXPECT_EQ(first.update_time().seconds(), 1'800'000'000);
  EXPECT_EQ(first.updated_by(), "admin-1");
  EXPECT_EQ(first.session_duration().seconds(), requested.session_duration().seconds());
}

TEST(ProtocolVersionsTest, NextVersionChangesOnlyMaskedFields) {
  v1::Protocol latest = CatalogV1("mesotherapy_hydralift");
  v1::Protocol changes;
  changes.mutable_session_duration()->set_seconds(45 * 60);
  changes.mutable_course_plan()->set_session_count(4);  // not in the mask
  changes.set_change_note("longer sessions");

  auto next = NextVersion(latest, changes, Mask({"session_duration"}), kUpdated);

  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->version(), 2);
  EXPECT_EQ(next->etag(), "v2");
  EXPECT_EQ(next->id(), "abc");
  EXPECT_EQ(next->session_duration().seconds(), 45 * 60);
  EXPECT_EQ(next->course_plan().session_count(), 3);
  EXPECT_EQ(next->change_note(), "longer sessions");
  EXPECT_EQ(next->updated_by(), "admin-2");
  EXPECT_EQ(next->create_time().seconds(), 1'800'000'000);
  EXPECT_EQ(next->update_time().seconds(), 1'800'003'600);
  EXPECT_TRUE(next->source().modified());
  EXPECT_EQ(next->source().catalog_key(), "mesotherapy_hydralift");
}

TEST(ProtocolVersionsTest, ChangeNoteIsNotCarriedOver) {
  v1::Protocol latest = CatalogV1("thread_lift");
  latest.set_change_note("old note");
  v1::Protocol changes;
  changes.set_archived(true);
  auto next = NextVersion(latest, changes, Mask({"archived"}), kUpdated);
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(next->archived());
  EXPECT_EQ(next->change_note(), "");
}

TEST(ProtocolVersionsTest, MaskedButUnsetFieldIsCleared) {
  v1::Protocol latest = CatalogV1("collagen_injection");
  auto next = NextVersion(latest, v1::Protocol(), Mask({"maintenance", "follow_ups"}), kUpdated);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->has_maintenance());
  EXPECT_EQ(next->follow_ups_size(), 0);
}

TEST(ProtocolVersionsTest, SubPathsIntoCoursePlanAndMaintenance) {
  v1::Protocol latest = CatalogV1("mesotherapy_hydralift");
  v1::Protocol changes;
  changes.mutable_course_plan()->set_session_count(4);
  changes.mutable_maintenance()->set_interval_months(9);
  auto next =
      NextVersion(latest, changes,
                  Mask({"course_plan.session_count", "maintenance.interval_months"}), kUpdated);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->course_plan().session_count(), 4);
  EXPECT_EQ(next->course_plan().interval().seconds(), 7 * 86400);  // kept
  EXPECT_EQ(next->maintenance().interval_months(), 9);
  EXPECT_EQ(next->maintenance().reminder_lead().seconds(), 14 * 86400);  // kept
}

TEST(ProtocolVersionsTest, StarReplacesEveryUpdatableField) {
  v1::Protocol latest = CatalogV1("mesotherapy_hydralift");
  v1::Protocol changes = FindCatalogEntry("thread_lift")->protocol;
  changes.set_category(v1::PROTOCOL_CATEGORY_THREAD_LIFT);  // immutable: ignored
  auto next = NextVersion(latest, changes, Mask({"*"}), kUpdated);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->category(), v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_EQ(next->display_name().translations(1).text(), "Non-surgical thread lift");
  EXPECT_EQ(next->id(), "abc");
}

TEST(ProtocolVersionsTest, RejectsBadMasks) {
  v1::Protocol latest = CatalogV1("mesobotox");
  for (auto mask : {Mask({}), Mask({"category"}), Mask({"id"}), Mask({"version"}), Mask({"etag"}),
                    Mask({"source"}), Mask({"nonsense"}), Mask({"display_name.translations"}),
                    Mask({"course_plan.nonsense"})}) {
    auto next = NextVersion(latest, v1::Protocol(), mask, kUpdated);
    EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument) << mask.DebugString();
    EXPECT_THAT(common::ViolatedFields(next.status()), ElementsAre("update_mask"));
  }
}

TEST(ProtocolVersionsTest, InvalidResultNamesTheField) {
  v1::Protocol latest = CatalogV1("mesobotox");
  v1::Protocol changes;
  changes.mutable_session_duration()->set_seconds(-5);
  auto next = NextVersion(latest, changes, Mask({"session_duration", "areas"}), kUpdated);
  EXPECT_THAT(common::ViolatedFields(next.status()),
              ElementsAre("protocol.areas", "protocol.session_duration"));
}

TEST(ProtocolVersionsTest, EtagsRoundTrip) {
  EXPECT_EQ(VersionFromEtag(EtagForVersion(12)), 12);
  EXPECT_EQ(VersionFromEtag(""), -1);
  EXPECT_EQ(VersionFromEtag("v"), -1);
  EXPECT_EQ(VersionFromEtag("12"), -1);
  EXPECT_EQ(VersionFromEtag("v0"), -1);
  EXPECT_EQ(VersionFromEtag("vx"), -1);
}

TEST(ProtocolVersionsTest, IdsAreFreshAndKeySafe) {
  std::string a = NewProtocolId();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, NewProtocolId());
  EXPECT_EQ(a.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz"), std::string::npos);
}

}  // namespace
}  // namespace dermaflow::protocol
