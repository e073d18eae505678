// ProtocolService over real gRPC (in-process server on loopback) and a real
// redis-server: catalog seeding on first use, versions, etags, validation,
// idempotent creates, paging and filters, roles and tenant isolation.
#include "services/protocol/api/protocol_service.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/protocol/api/protocol_metrics.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/localized_text.h"
#include "services/protocol/store/redis_protocol_store.h"
#include "tests/integration/protocol/protocol_test_env.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_server.h"

namespace dermaflow::protocol {
namespace {

using testing::BadFields;
using ::testing::Contains;
using testing::Context;
using ::testing::ElementsAre;
using testing::ErrorMetadata;
using testing::ErrorReason;
using ::testing::IsEmpty;
using testing::ResourceType;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAreArray;

class ProtocolServiceTest : public ::testing::Test {
 protected:
  ProtocolServiceTest()
      : redis_client_(*common::ParseRedisUrl(redis_.url())),
        store_(redis_client_),
        auth_(*common::MakeAuthenticator({.mode = "jwt", .hs256_key_file = keys_.key_file()})),
        // Nothing listens there: screening cannot reach a patient service.
        patients_(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(dermaflow::testing::PickFreePort()),
                                grpc::InsecureChannelCredentials()),
            {.via_service = "protocol", .timeout = absl::Milliseconds(300)}),
        metrics_(registry_),
        service_(store_, patients_, *auth_, clock_, metrics_),
        server_({&service_}),
        stub_(v1::ProtocolService::NewStub(server_.channel())) {}

  std::string Admin(const std::string& org = "clinic-a") const {
    return keys_.Token(org, {"clinic_admin"}, "admin-1");
  }
  std::string Reception(const std::string& org = "clinic-a") const {
    return keys_.Token(org, {"reception"}, "desk-1");
  }

  v1::ListProtocolsResponse List(const std::string& token, v1::ListProtocolsRequest req = {}) {
    v1::ListProtocolsResponse resp;
    grpc::Status s = stub_->ListProtocols(Context(token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::Protocol CatalogProtocol(const std::string& key, const std::string& org = "clinic-a") {
    const auto listed = List(Admin(org));
    for (const auto& p : listed.protocols()) {
      if (p.source().catalog_key() == key) return p;
    }
    ADD_FAILURE() << "no " << key;
    return {};
  }

  grpc::Status Get(const std::string& token, const std::string& id, int64_t version,
                   v1::Protocol* out) {
    v1::GetProtocolRequest req;
    req.set_id(id);
    req.set_version(version);
    return stub_->GetProtocol(Context(token).get(), req, out);
  }

  grpc::Status Update(const std::string& token, const v1::Protocol& changes,
                      std::vector<std::string> paths, v1::Protocol* out) {
    v1::UpdateProtocolRequest req;
    *req.mutable_protocol() = changes;
    for (auto& p : paths) req.mutable_update_mask()->add_paths(p);
    return stub_->UpdateProtocol(Context(token).get(), req, out);
  }

  grpc::Status Create(const std::string& token, const v1::Protocol& p,
                      const std::string& request_id, v1::Protocol* out) {
    v1::CreateProtocolRequest req;
    *req.mutable_protocol() = p;
    req.set_request_id(request_id);
    return stub_->CreateProtocol(Context(token).get(), req, out);
  }

  // A clinic's own protocol.
  static v1::Protocol Peel() {
    v1::Protocol p;
    p.set_category(v1::PROTOCOL_CATEGORY_OTHER);
    *p.mutable_display_name() = MakeText({{"de", "Fruchtsäurepeeling"}, {"en", "Fruit acid peel"}});
    p.add_areas(v1::TREATMENT_AREA_FACE);
    p.mutable_session_duration()->set_seconds(20 * 60);
    p.mutable_course_plan()->set_session_count(1);
    return p;
  }

  int64_t RedisCount(const std::vector<std::string>& command) {
    auto reply = redis_client_.Command(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer() : -1;
  }

  dermaflow::testing::RedisServer redis_;
  testing::TestKeys keys_;
  common::FakeClock clock_;
  common::RedisClient redis_client_;
  RedisProtocolStore store_;
  std::unique_ptr<common::Authenticator> auth_;
  common::GrpcPatientClient patients_;
  prometheus::Registry registry_;
  ProtocolMetrics metrics_;
  ProtocolGrpcService service_;
  dermaflow::testing::TestServer server_;
  std::unique_ptr<v1::ProtocolService::Stub> stub_;
};

TEST_F(ProtocolServiceTest, FirstCallOfAnOrganizationSeedsTheCatalog) {
  auto resp = List(Reception());
  ASSERT_THAT(resp.protocols(), SizeIs(6));
  std::vector<std::string> keys;
  int previous_category = 0;
  for (const auto& p : resp.protocols()) {
    keys.push_back(p.source().catalog_key());
    EXPECT_GE(p.category(), previous_category);  // ordered by category
    previous_category = p.category();
    EXPECT_EQ(p.version(), 1);
    EXPECT_EQ(p.etag(), "v1");
    EXPECT_EQ(p.updated_by(), "catalog");
    EXPECT_EQ(p.source().origin(), v1::PROTOCOL_ORIGIN_CATALOG);
    EXPECT_FALSE(p.source().modified());
    EXPECT_EQ(p.create_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  }
  EXPECT_THAT(
      keys, UnorderedElementsAreArray({"mesotherapy_hydralift", "mesotherapy_body", "mesobotox",
                                       "collagen_injection", "collagen_induction", "thread_lift"}));
  EXPECT_EQ(RedisCount({"ZCARD", *common::TenantKey("clinic-a", "protocols")}), 6);
}

TEST_F(ProtocolServiceTest, ConcurrentFirstCallsSeedOneCatalog) {
  // Eight callers hit a fresh organization at once, through two service
  // instances (two replicas) sharing Redis.
  ProtocolGrpcService replica(store_, patients_, *auth_, clock_, metrics_);
  dermaflow::testing::TestServer replica_server({&replica});
  auto replica_stub = v1::ProtocolService::NewStub(replica_server.channel());

  std::atomic<int> ready{0};
  std::vector<std::set<std::string>> seen(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto* stub = i % 2 == 0 ? stub_.get() : replica_stub.get();
      ++ready;
      while (ready < 8) std::this_thread::yield();
      v1::ListProtocolsResponse resp;
      ASSERT_TRUE(stub->ListProtocols(Context(Reception("fresh-org")).get(), {}, &resp).ok());
      for (const auto& p : resp.protocols()) seen[i].insert(p.id());
    });
  }
  for (auto& t : threads) t.join();

  for (const auto& ids : seen) {
    EXPECT_THAT(ids, SizeIs(6));
    EXPECT_EQ(ids, seen[0]);
  }
  EXPECT_EQ(RedisCount({"ZCARD", *common::TenantKey("fresh-org", "protocols")}), 6);
  EXPECT_EQ(RedisCount({"HLEN", *common::TenantKey("fresh-org", "protocol_catalog")}), 6);

  v1::SeedCatalogResponse again;
  ASSERT_TRUE(stub_->SeedCatalog(Context(Admin("fresh-org")).get(), {}, &again).ok());
  EXPECT_THAT(again.created(), IsEmpty());
  EXPECT_THAT(again.existing_protocol_ids(), UnorderedElementsAreArray(seen[0]));
}

TEST_F(ProtocolServiceTest, SeedCatalogGivesOnlyWhatIsMissing) {
  v1::SeedCatalogRequest one;
  one.add_catalog_keys("collagen_injection");
  v1::SeedCatalogResponse first;
  ASSERT_TRUE(stub_->SeedCatalog(Context(Admin("new-org")).get(), one, &first).ok());
  ASSERT_THAT(first.created(), SizeIs(1));
  EXPECT_EQ(first.created(0).source().catalog_key(), "collagen_injection");
  EXPECT_EQ(first.created(0).follow_ups(0).offset().seconds(), 7 * 86400);

  v1::SeedCatalogResponse rest;
  ASSERT_TRUE(stub_->SeedCatalog(Context(Admin("new-org")).get(), {}, &rest).ok());
  EXPECT_THAT(rest.created(), SizeIs(5));
  EXPECT_THAT(rest.existing_protocol_ids(), ElementsAre(first.created(0).id()));

  v1::SeedCatalogRequest bad;
  bad.add_catalog_keys("thread_lift");
  bad.add_catalog_keys("liposuction");
  v1::SeedCatalogResponse unused;
  grpc::Status s = stub_->SeedCatalog(Context(Admin("new-org")).get(), bad, &unused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), ElementsAre("catalog_keys[1]"));
}

TEST_F(ProtocolServiceTest, EditedCatalogProtocolIsNeverReseeded) {
  v1::Protocol hydralift = CatalogProtocol("mesotherapy_hydralift");
  v1::Protocol changes;
  changes.set_id(hydralift.id());
  changes.set_etag(hydralift.etag());
  changes.set_archived(true);
  v1::Protocol archived;
  ASSERT_TRUE(Update(Admin(), changes, {"archived"}, &archived).ok());

  v1::SeedCatalogResponse resp;
  ASSERT_TRUE(stub_->SeedCatalog(Context(Admin()).get(), {}, &resp).ok());
  EXPECT_THAT(resp.created(), IsEmpty());
  EXPECT_THAT(List(Admin()).protocols(), SizeIs(5));  // archived ones are hidden
  v1::ListProtocolsRequest all;
  all.set_show_archived(true);
  EXPECT_THAT(List(Admin(), all).protocols(), SizeIs(6));
}

TEST_F(ProtocolServiceTest, UpdateMakesANewVersionAndKeepsTheOld) {
  v1::Protocol v1_hydralift = CatalogProtocol("mesotherapy_hydralift");
  clock_.Advance(absl::Hours(1));
  v1::Protocol changes;
  changes.set_id(v1_hydralift.id());
  changes.set_etag(v1_hydralift.etag());
  changes.mutable_session_duration()->set_seconds(45 * 60);
  changes.set_change_note("longer sessions");
  v1::Protocol v2;
  ASSERT_TRUE(Update(Admin(), changes, {"session_duration"}, &v2).ok());
  EXPECT_EQ(v2.version(), 2);
  EXPECT_EQ(v2.etag(), "v2");
  EXPECT_EQ(v2.updated_by(), "admin-1");
  EXPECT_TRUE(v2.source().modified());
  EXPECT_EQ(v2.update_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(v2.create_time().seconds(), v1_hydralift.create_time().seconds());

  v1::Protocol latest, old, missing;
  ASSERT_TRUE(Get(Reception(), v1_hydralift.id(), 0, &latest).ok());
  EXPECT_EQ(latest.version(), 2);
  EXPECT_EQ(latest.session_duration().seconds(), 45 * 60);
  ASSERT_TRUE(Get(Reception(), v1_hydralift.id(), 1, &old).ok());
  EXPECT_EQ(old.version(), 1);
  EXPECT_EQ(old.session_duration().seconds(), 30 * 60);
  EXPECT_EQ(old.etag(), "v1");

  grpc::Status s = Get(Reception(), v1_hydralift.id(), 3, &missing);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(s), "VERSION_NOT_FOUND");
  EXPECT_EQ(ErrorMetadata(s, "latest_version"), "2");

  // The history, newest first, one per page.
  v1::ListProtocolVersionsRequest req;
  req.set_id(v1_hydralift.id());
  req.set_page_size(1);
  v1::ListProtocolVersionsResponse page1, page2;
  const std::string practitioner = keys_.Token("clinic-a", {"practitioner"});
  ASSERT_TRUE(stub_->ListProtocolVersions(Context(practitioner).get(), req, &page1).ok());
  ASSERT_THAT(page1.protocols(), SizeIs(1));
  EXPECT_EQ(page1.protocols(0).version(), 2);
  EXPECT_EQ(page1.protocols(0).change_note(), "longer sessions");
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(stub_->ListProtocolVersions(Context(practitioner).get(), req, &page2).ok());
  ASSERT_THAT(page2.protocols(), SizeIs(1));
  EXPECT_EQ(page2.protocols(0).version(), 1);
  EXPECT_TRUE(page2.next_page_token().empty());
}

TEST_F(ProtocolServiceTest, StaleEtagIsAborted) {
  v1::Protocol mesobotox = CatalogProtocol("mesobotox");
  v1::Protocol changes;
  changes.set_id(mesobotox.id());
  changes.set_etag(mesobotox.etag());
  changes.set_requires_physician(false);
  v1::Protocol out;
  ASSERT_TRUE(Update(Admin(), changes, {"requires_physician"}, &out).ok());

  grpc::Status stale = Update(Admin(), changes, {"requires_physician"}, &out);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(stale), "ETAG_MISMATCH");
  EXPECT_EQ(ErrorMetadata(stale, "latest_version"), "2");
}

TEST_F(ProtocolServiceTest, RacingUpdatesFromOneVersionMakeExactlyOneNewVersion) {
  v1::Protocol thread_lift = CatalogProtocol("thread_lift");
  std::atomic<int> ok{0}, aborted{0}, ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      v1::Protocol changes;
      changes.set_id(thread_lift.id());
      changes.set_etag(thread_lift.etag());
      changes.set_change_note("writer " + std::to_string(i));
      ++ready;
      while (ready < 8) std::this_thread::yield();
      v1::Protocol out;
      grpc::Status s = Update(Admin(), changes, {"change_note"}, &out);
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, 7);
  v1::Protocol latest;
  ASSERT_TRUE(Get(Admin(), thread_lift.id(), 0, &latest).ok());
  EXPECT_EQ(latest.version(), 2);
}

TEST_F(ProtocolServiceTest, UpdateRequestsAreValidated) {
  v1::Protocol hydralift = CatalogProtocol("mesotherapy_hydralift");
  v1::Protocol out;

  v1::Protocol no_etag;
  no_etag.set_id(hydralift.id());
  EXPECT_THAT(BadFields(Update(Admin(), no_etag, {"archived"}, &out)),
              ElementsAre("protocol.etag"));

  v1::Protocol changes;
  changes.set_id(hydralift.id());
  changes.set_etag(hydralift.etag());
  EXPECT_THAT(BadFields(Update(Admin(), changes, {"category"}, &out)), ElementsAre("update_mask"));
  EXPECT_THAT(BadFields(Update(Admin(), changes, {}, &out)), ElementsAre("update_mask"));

  changes.mutable_course_plan()->set_session_count(25);
  changes.mutable_session_duration()->set_nanos(5);
  grpc::Status s =
      Update(Admin(), changes, {"course_plan.session_count", "session_duration"}, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s),
              ElementsAre("protocol.session_duration", "protocol.course_plan.session_count"));

  changes.set_id("unknown");
  EXPECT_EQ(Update(Admin(), changes, {"archived"}, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  // Nothing of the rejected updates was written.
  v1::Protocol latest;
  ASSERT_TRUE(Get(Admin(), hydralift.id(), 0, &latest).ok());
  EXPECT_EQ(latest.version(), 1);
}

TEST_F(ProtocolServiceTest, CreateValidatesEveryFieldAndWritesNothingOnError) {
  v1::Protocol bad = Peel();
  bad.clear_areas();
  bad.mutable_session_duration()->set_seconds(-60);
  *bad.mutable_display_name() = MakeText({{"de", "Nur Deutsch"}});
  auto* contra = bad.add_contraindications();
  contra->set_code(static_cast<v1::ContraindicationCode>(1234));
  contra->set_severity(v1::CONTRAINDICATION_SEVERITY_ABSOLUTE);
  v1::Protocol out;
  grpc::Status s = Create(Admin(), bad, "req-1", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAreArray({"protocol.display_name", "protocol.areas",
                                                       "protocol.session_duration",
                                                       "protocol.contraindications[0].code"}));
  EXPECT_THAT(BadFields(Create(Admin(), Peel(), "", &out)), ElementsAre("request_id"));
  EXPECT_THAT(BadFields(Create(Admin(), Peel(), std::string(65, 'r'), &out)),
              ElementsAre("request_id"));

  v1::ListProtocolsRequest own;
  own.set_origin(v1::PROTOCOL_ORIGIN_ORGANIZATION);
  EXPECT_THAT(List(Admin(), own).protocols(), IsEmpty());
}

TEST_F(ProtocolServiceTest, CreateIsIdempotentPerRequestId) {
  v1::Protocol first, retry, other;
  ASSERT_TRUE(Create(Admin(), Peel(), "req-42", &first).ok());
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.source().origin(), v1::PROTOCOL_ORIGIN_ORGANIZATION);
  EXPECT_EQ(first.updated_by(), "admin-1");

  ASSERT_TRUE(Create(Admin(), Peel(), "req-42", &retry).ok());
  EXPECT_EQ(retry.id(), first.id());

  v1::Protocol different = Peel();
  different.mutable_session_duration()->set_seconds(25 * 60);
  grpc::Status s = Create(Admin(), different, "req-42", &other);
  EXPECT_THAT(BadFields(s), ElementsAre("request_id"));

  v1::ListProtocolsRequest own;
  own.set_origin(v1::PROTOCOL_ORIGIN_ORGANIZATION);
  auto listed = List(Admin(), own);
  ASSERT_THAT(listed.protocols(), SizeIs(1));
  EXPECT_EQ(listed.protocols(0).id(), first.id());
}

TEST_F(ProtocolServiceTest, OtherOrganizationsCannotSeeOrChangeAProtocol) {
  v1::Protocol own;
  ASSERT_TRUE(Create(Admin("clinic-a"), Peel(), "req-a", &own).ok());

  v1::Protocol out;
  EXPECT_EQ(Get(Admin("clinic-b"), own.id(), 0, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(Admin("clinic-b"), own.id(), 1, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::Protocol changes;
  changes.set_id(own.id());
  changes.set_etag(own.etag());
  changes.set_archived(true);
  EXPECT_EQ(Update(Admin("clinic-b"), changes, {"archived"}, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListProtocolVersionsRequest versions;
  versions.set_id(own.id());
  v1::ListProtocolVersionsResponse history;
  EXPECT_EQ(stub_->ListProtocolVersions(Context(Admin("clinic-b")).get(), versions, &history)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ScreenEligibilityRequest screen;
  screen.set_patient_id("any");
  screen.set_protocol_id(own.id());
  v1::ScreenEligibilityResponse screened;
  grpc::Status s = stub_->ScreenEligibility(Context(Admin("clinic-b")).get(), screen, &screened);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ResourceType(s), "dermaflow.protocol.v1.Protocol");

  v1::ListProtocolsRequest own_only;
  own_only.set_origin(v1::PROTOCOL_ORIGIN_ORGANIZATION);
  EXPECT_THAT(List(Admin("clinic-b"), own_only).protocols(), IsEmpty());
  // Each organization has its own copy of the catalog.
  std::set<std::string> a_ids, b_ids;
  const auto a_list = List(Admin("clinic-a"));
  const auto b_list = List(Admin("clinic-b"));
  for (const auto& p : a_list.protocols()) a_ids.insert(p.id());
  for (const auto& p : b_list.protocols()) b_ids.insert(p.id());
  EXPECT_THAT(b_ids, SizeIs(6));
  for (const auto& id : b_ids) EXPECT_FALSE(a_ids.contains(id));
  // Unchanged for its owner.
  ASSERT_TRUE(Get(Admin("clinic-a"), own.id(), 0, &out).ok());
  EXPECT_FALSE(out.archived());
}

TEST_F(ProtocolServiceTest, RolesAndAuthenticationAreEnforced) {
  v1::Protocol out;
  grpc::Status s = Create(Reception(), Peel(), "req-r", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::SeedCatalogResponse seeded;
  EXPECT_EQ(stub_->SeedCatalog(Context(Reception()).get(), {}, &seeded).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListProtocolVersionsRequest versions;
  versions.set_id("x");
  v1::ListProtocolVersionsResponse history;
  EXPECT_EQ(
      stub_->ListProtocolVersions(Context(Reception()).get(), versions, &history).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::ListProtocolsResponse listed;
  EXPECT_EQ(stub_->ListProtocols(Context("").get(), {}, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_->ListProtocols(Context(keys_.Token("clinic-a", {"ops"})).get(), {}, &listed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ProtocolServiceTest, ListPagesAndFilters) {
  v1::Protocol own;
  ASSERT_TRUE(Create(Admin(), Peel(), "req-p", &own).ok());

  v1::ListProtocolsRequest req;
  req.set_page_size(4);
  auto page1 = List(Admin(), req);
  ASSERT_THAT(page1.protocols(), SizeIs(4));
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  auto page2 = List(Admin(), req);
  ASSERT_THAT(page2.protocols(), SizeIs(3));
  EXPECT_TRUE(page2.next_page_token().empty());
  std::set<std::string> ids;
  for (const auto& p : page1.protocols()) ids.insert(p.id());
  for (const auto& p : page2.protocols()) ids.insert(p.id());
  EXPECT_THAT(ids, SizeIs(7));                   // no gaps, no repeats
  EXPECT_EQ(page2.protocols(2).id(), own.id());  // OTHER sorts last

  // A token from other filters is refused.
  v1::ListProtocolsRequest other = req;
  other.set_category(v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  v1::ListProtocolsResponse unused;
  EXPECT_THAT(BadFields(stub_->ListProtocols(Context(Admin()).get(), other, &unused)),
              ElementsAre("page_token"));

  v1::ListProtocolsRequest meso;
  meso.set_category(v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_THAT(List(Admin(), meso).protocols(), SizeIs(2));
  v1::ListProtocolsRequest armpits;
  armpits.set_area(v1::TREATMENT_AREA_ARMPITS);
  auto armpit_protocols = List(Admin(), armpits);
  ASSERT_THAT(armpit_protocols.protocols(), SizeIs(1));
  EXPECT_EQ(armpit_protocols.protocols(0).source().catalog_key(), "mesobotox");
  v1::ListProtocolsRequest catalog_only;
  catalog_only.set_origin(v1::PROTOCOL_ORIGIN_CATALOG);
  EXPECT_THAT(List(Admin(), catalog_only).protocols(), SizeIs(6));
  v1::ListProtocolsRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(BadFields(stub_->ListProtocols(Context(Admin()).get(), negative, &unused)),
              ElementsAre("page_size"));
}

TEST_F(ProtocolServiceTest, GetValidatesItsRequest) {
  v1::Protocol out;
  EXPECT_THAT(BadFields(Get(Admin(), "", 0, &out)), ElementsAre("id"));
  EXPECT_THAT(BadFields(Get(Admin(), "abc", -1, &out)), ElementsAre("version"));
  EXPECT_THAT(BadFields(Get(Admin(), "no:such{id}", 0, &out)), ElementsAre("id"));
  grpc::Status s = Get(Admin(), "no-such-id", 0, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(s), "NOT_FOUND");
  EXPECT_EQ(ResourceType(s), "dermaflow.protocol.v1.Protocol");
}

TEST_F(ProtocolServiceTest, ScreeningChecksTheRequestBeforeReadingThePatient) {
  v1::Protocol hydralift = CatalogProtocol("mesotherapy_hydralift");
  v1::ScreenEligibilityResponse resp;

  v1::ScreenEligibilityRequest empty;
  EXPECT_THAT(BadFields(stub_->ScreenEligibility(Context(Admin()).get(), empty, &resp)),
              ElementsAre("patient_id", "protocol_id"));

  v1::ScreenEligibilityRequest req;
  req.set_patient_id("p1");
  req.set_protocol_id(hydralift.id());
  req.add_areas(v1::TREATMENT_AREA_FACE);
  req.add_areas(v1::TREATMENT_AREA_THIGHS);
  EXPECT_THAT(BadFields(stub_->ScreenEligibility(Context(Admin()).get(), req, &resp)),
              ElementsAre("areas[1]"));

  req.clear_areas();
  req.mutable_treatment_date()->set_year(2026);
  req.mutable_treatment_date()->set_month(13);
  req.mutable_treatment_date()->set_day(1);
  EXPECT_THAT(BadFields(stub_->ScreenEligibility(Context(Admin()).get(), req, &resp)),
              ElementsAre("treatment_date"));

  req.set_protocol_version(9);
  req.clear_treatment_date();
  grpc::Status s = stub_->ScreenEligibility(Context(Admin()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(s), "VERSION_NOT_FOUND");

  // A valid request with the patient service down: never "eligible".
  req.set_protocol_version(0);
  s = stub_->ScreenEligibility(Context(Admin()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

}  // namespace
}  // namespace dermaflow::protocol
