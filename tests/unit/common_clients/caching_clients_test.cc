#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/caching_protocol_client.h"
#include "common/clock/clock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

// Counts calls; patient "gone" is NOT_FOUND, "down" UNAVAILABLE.
class CountingPatients : public PatientClient {
 public:
  int calls = 0;
  std::string given_name = "Ada";
  absl::StatusOr<patient::v1::Patient> GetPatient(const CallOrigin&, const std::string& id,
                                                  patient::v1::PatientView) override {
    ++calls;
    if (id == "gone") return absl::NotFoundError("patient was erased");
    if (id == "down") return absl::UnavailableError("patient service down");
    patient::v1::Patient p;
    p.set_id(id);
    p.set_given_name(given_name);
    return p;
  }
};

class CachingPatientClientTest : public ::testing::Test {
 protected:
  absl::StatusOr<patient::v1::Patient> Get(const std::string& org, const std::string& id) {
    return cache_.GetPatient(CallOrigin::ForService(org), id, patient::v1::PATIENT_VIEW_BASIC);
  }
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  CountingPatients inner_;
  CachingPatientClient cache_{inner_, clock_, {.ttl = absl::Seconds(30)}};
};

TEST_F(CachingPatientClientTest, KeepsAnswersForTheTtl) {
  ASSERT_TRUE(Get("org", "p1").ok());
  inner_.given_name = "Grace";
  clock_.Advance(absl::Seconds(29));
  EXPECT_EQ(Get("org", "p1")->given_name(), "Ada");
  EXPECT_EQ(inner_.calls, 1);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(Get("org", "p1")->given_name(), "Grace");
  EXPECT_EQ(inner_.calls, 2);
}

TEST_F(CachingPatientClientTest, KeepsOrganizationsApart) {
  ASSERT_TRUE(Get("org-a", "p1").ok());
  ASSERT_TRUE(Get("org-b", "p1").ok());
  EXPECT_EQ(inner_.calls, 2);
}

TEST_F(CachingPatientClientTest, ForgetAsksAgain) {
  ASSERT_TRUE(Get("org", "p1").ok());
  cache_.Forget("org", "p1");
  ASSERT_TRUE(Get("org", "p1").ok());
  EXPECT_EQ(inner_.calls, 2);
}

TEST_F(CachingPatientClientTest, KeepsNotFoundButNotUnavailable) {
  EXPECT_TRUE(absl::IsNotFound(Get("org", "gone").status()));
  EXPECT_TRUE(absl::IsNotFound(Get("org", "gone").status()));
  EXPECT_EQ(inner_.calls, 1);
  EXPECT_TRUE(absl::IsUnavailable(Get("org", "down").status()));
  EXPECT_TRUE(absl::IsUnavailable(Get("org", "down").status()));
  EXPECT_EQ(inner_.calls, 3);
}

TEST_F(CachingPatientClientTest, ZeroTtlKeepsNothing) {
  CachingPatientClient uncached(inner_, clock_, {.ttl = absl::ZeroDuration()});
  auto origin = CallOrigin::ForService("org");
  ASSERT_TRUE(uncached.GetPatient(origin, "p1", patient::v1::PATIENT_VIEW_BASIC).ok());
  ASSERT_TRUE(uncached.GetPatient(origin, "p1", patient::v1::PATIENT_VIEW_BASIC).ok());
  EXPECT_EQ(inner_.calls, 2);
}

// Latest is version `latest` (3 unless a test publishes another); every
// version exists.
class CountingProtocols : public ProtocolClient {
 public:
  int calls = 0;
  int64_t latest = 3;
  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin&, const std::string& id,
                                                     int64_t version) override {
    ++calls;
    if (id == "missing") return absl::NotFoundError("no such protocol");
    protocol::v1::Protocol p;
    p.set_id(id);
    p.set_version(version == 0 ? latest : version);
    return p;
  }
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin&, const protocol::v1::ScreenEligibilityRequest&) override {
    ++calls;
    return protocol::v1::ScreenEligibilityResponse();
  }
};

TEST(CachingProtocolClientTest, AsksOncePerVersionAndAlwaysForTheLatest) {
  CountingProtocols inner;
  CachingProtocolClient cache(inner);
  auto origin = CallOrigin::ForService("org");
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 2)->version(), 2);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 2)->version(), 2);
  EXPECT_EQ(inner.calls, 1);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 3);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 3);
  EXPECT_EQ(inner.calls, 3);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 3)->version(), 3);  // kept from "latest"
  EXPECT_EQ(inner.calls, 3);
  EXPECT_EQ(cache.GetProtocol(CallOrigin::ForService("other"), "hydra", 2)->version(), 2);
  EXPECT_EQ(inner.calls, 4);
}

TEST(CachingProtocolClientTest, KeepsNoErrorsAndPassesScreeningOn) {
  CountingProtocols inner;
  CachingProtocolClient cache(inner);
  auto origin = CallOrigin::ForService("org");
  EXPECT_TRUE(absl::IsNotFound(cache.GetProtocol(origin, "missing", 1).status()));
  EXPECT_TRUE(absl::IsNotFound(cache.GetProtocol(origin, "missing", 1).status()));
  ASSERT_TRUE(cache.ScreenEligibility(origin, {}).ok());
  ASSERT_TRUE(cache.ScreenEligibility(origin, {}).ok());
  EXPECT_EQ(inner.calls, 4);
}

TEST(CachingProtocolClientTest, AFullCacheStartsOver) {
  CountingProtocols inner;
  CachingProtocolClient cache(inner, /*max_cached=*/2);
  auto origin = CallOrigin::ForService("org");
  for (int v = 1; v <= 3; ++v) ASSERT_TRUE(cache.GetProtocol(origin, "hydra", v).ok());
  ASSERT_TRUE(cache.GetProtocol(origin, "hydra", 3).ok());  // kept after the restart
  ASSERT_TRUE(cache.GetProtocol(origin, "hydra", 1).ok());  // dropped by it
  EXPECT_EQ(inner.calls, 4);
}

TEST(CachingProtocolClientTest, TrustsLatestForItsTtlThenSeesTheNewVersion) {
  CountingProtocols inner;
  FakeClock clock;
  CachingProtocolClient cache(inner, clock, absl::Seconds(5));
  auto origin = CallOrigin::ForService("org");
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 3);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 3);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 3)->version(), 3);
  EXPECT_EQ(inner.calls, 1);

  inner.latest = 4;  // published now: seen within the ttl, not before it ends
  clock.Advance(absl::Seconds(5) - absl::Milliseconds(1));
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 3);
  EXPECT_EQ(inner.calls, 1);
  clock.Advance(absl::Milliseconds(1));
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 4);
  EXPECT_EQ(inner.calls, 2);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 0)->version(), 4);
  EXPECT_EQ(cache.GetProtocol(origin, "hydra", 3)->version(), 3);  // old versions stay
  EXPECT_EQ(inner.calls, 2);
}

TEST(CachingProtocolClientTest, LatestIsPerOrganizationAndProtocol) {
  CountingProtocols inner;
  FakeClock clock;
  CachingProtocolClient cache(inner, clock, absl::Seconds(5));
  auto origin = CallOrigin::ForService("org");
  ASSERT_TRUE(cache.GetProtocol(origin, "hydra", 0).ok());
  ASSERT_TRUE(cache.GetProtocol(CallOrigin::ForService("other"), "hydra", 0).ok());
  ASSERT_TRUE(cache.GetProtocol(origin, "collagen", 0).ok());
  EXPECT_EQ(inner.calls, 3);
  EXPECT_TRUE(absl::IsNotFound(cache.GetProtocol(origin, "missing", 0).status()));
  EXPECT_TRUE(absl::IsNotFound(cache.GetProtocol(origin, "missing", 0).status()));
  EXPECT_EQ(inner.calls, 5);  // an error is never kept
}

TEST(InMemoryProtocolClientTest, MatchesTheStoredVersionOrLatest) {
  InMemoryProtocolClient protocols;
  protocol::v1::Protocol p;
  p.set_version(2);
  protocols.Put("hydra", p);
  auto origin = CallOrigin::ForService("org");
  EXPECT_EQ(protocols.GetProtocol(origin, "hydra", 0)->id(), "hydra");
  EXPECT_TRUE(protocols.GetProtocol(origin, "hydra", 2).ok());
  EXPECT_TRUE(absl::IsNotFound(protocols.GetProtocol(origin, "hydra", 1).status()));
  EXPECT_TRUE(absl::IsNotFound(protocols.GetProtocol(origin, "other", 0).status()));
  protocol::v1::ScreenEligibilityRequest request;
  request.set_protocol_id("hydra");
  auto screening = protocols.ScreenEligibility(origin, request);
  ASSERT_TRUE(screening.ok());
  EXPECT_TRUE(screening->eligible());
  EXPECT_EQ(screening->protocol_version(), 2);
}

}  // namespace
}  // namespace dermaflow::common
