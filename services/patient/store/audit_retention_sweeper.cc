#include "services/patient/store/audit_retention_sweeper.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "services/patient/lua/trim_audit_stream_lua.h"

namespace dermaflow::patient {
namespace {

using common::RedisReply;

// The audit streams' keys (redis_patient_store.cc): `df:{org}:patient_audit`
// for the tenant, `df:{org}:patient_audit:<id>` per patient.
constexpr char kAuditKeys[] = "df:*:patient_audit*";
constexpr absl::string_view kTenantSuffix = "}:patient_audit";
// Keys per SCAN call: enough to keep round trips few, small enough that one
// call never holds Redis for long.
constexpr int kScanBatch = 1000;

prometheus::Counter& NewCounter(prometheus::Registry& registry, const std::string& name,
                                const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

AuditRetentionSweeper::AuditRetentionSweeper(common::RedisClient& redis, const common::Clock& clock,
                                             prometheus::Registry& registry,
                                             AuditRetentionOptions options)
    : redis_(redis),
      clock_(clock),
      options_(options),
      entries_removed_(NewCounter(registry, "dermaflow_audit_entries_expired_total",
                                  "Audit entries older than --audit_retention the sweep removed "
                                  "(writes trim their own streams uncounted)")),
      walks_(NewCounter(registry, "dermaflow_audit_sweep_walks_total",
                        "Walks of the whole keyspace the audit retention sweep completed")),
      thread_(
          options.sweep_interval,
          [this] {
            if (absl::StatusOr<AuditSweepPass> pass = SweepOnce(); !pass.ok()) {
              common::LogWarning("audit retention sweep failed; the next pass retries",
                                 {{"error", std::string(pass.status().message())}});
            }
          },
          /*run_at_start=*/true) {}

AuditRetentionSweeper::~AuditRetentionSweeper() { Stop(); }

void AuditRetentionSweeper::Start() {
  if (options_.retention > absl::ZeroDuration()) thread_.Start();  // else kept forever
}

void AuditRetentionSweeper::Stop() { thread_.Stop(); }

absl::StatusOr<AuditSweepPass> AuditRetentionSweeper::SweepOnce() {
  AuditSweepPass pass;
  if (options_.retention <= absl::ZeroDuration()) return pass;
  absl::MutexLock lock(&pass_mu_);
  const std::string cutoff = AuditCutoff(clock_.Now(), options_.retention);
  for (int budget = std::max(1, options_.keys_per_pass); budget > 0;) {
    // COUNT is how many keys SCAN looks at, matching or not.
    const int count = std::min(budget, kScanBatch);
    budget -= count;
    DF_ASSIGN_OR_RETURN(RedisReply reply,
                        redis_.Command({"SCAN", cursor_, "MATCH", kAuditKeys, "COUNT",
                                        absl::StrCat(count), "TYPE", "stream"}));
    if (reply.elements().size() != 2) return absl::InternalError("SCAN: unexpected reply");
    DF_ASSIGN_OR_RETURN(std::string next, reply.elements()[0].AsString());
    for (const RedisReply& key : reply.elements()[1].elements()) {
      const std::string& name = key.str();
      // A tenant's stream is long and written all the time: whole nodes
      // only, so one call's work stays bounded.
      const char* mode = absl::EndsWith(name, kTenantSuffix) ? "~" : "=";
      DF_ASSIGN_OR_RETURN(RedisReply removed,
                          redis_.Eval(TrimAuditStreamScript(), {name}, {cutoff, mode}));
      DF_ASSIGN_OR_RETURN(int64_t n, removed.AsInt());
      ++pass.keys_scanned;
      pass.entries_removed += n;
      entries_removed_.Increment(static_cast<double>(n));
    }
    cursor_ = std::move(next);
    if (cursor_ == "0") {
      pass.walk_completed = true;
      walks_.Increment();
      break;
    }
  }
  return pass;
}

}  // namespace dermaflow::patient
