#include "services/notification/intake/event_intake.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/metrics/stream_group_progress.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/domain/plan_changes.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

using dermaflow::events::v1::Event;

namespace {
constexpr char kApplied[] = "applied";
constexpr char kStale[] = "stale";
constexpr char kIgnored[] = "ignored";
constexpr char kInvalid[] = "invalid";
constexpr char kRetry[] = "retry";
}  // namespace

struct EventIntake::Item {
  const common::ConsumedEvent* consumed = nullptr;
  std::string type;
  std::string result = {};  // empty while undecided
  Plan plan = {};

  const Event& event() const { return consumed->event; }
  bool Stale(const PlanningSnapshot& snapshot) const {
    auto it = snapshot.appointment_versions.find(plan.appointment_id);
    return !plan.appointment_id.empty() && it != snapshot.appointment_versions.end() &&
           it->second > plan.appointment_update_ms;
  }
};

EventIntake::EventIntake(common::RedisClient& redis, ReminderQueue& reminders, ClinicCache& clinics,
                         EventBacklog& events, common::ProtocolClient& protocols,
                         common::CachingPatientClient& patients, SettingsCache& settings,
                         NotificationMetrics& metrics, const common::Clock& clock,
                         const EventIntakeOptions& options)
    : redis_(redis),
      reminders_(reminders),
      clinics_(clinics),
      events_(events),
      protocols_(protocols),
      patients_(patients),
      settings_(settings),
      metrics_(metrics),
      clock_(clock),
      options_(options),
      consumer_(redis, options.consumer),
      heartbeat_(options.consumer.min_idle / 3, [this] { KeepInHandFresh(); }) {}

EventIntake::~EventIntake() { Stop(); }

void EventIntake::Start() {
  if (running_.exchange(true)) return;
  heartbeat_.Start();
  thread_ = std::thread([this] { Loop(); });
  progress_thread_ = std::thread([this] { ProgressLoop(); });
}

void EventIntake::Stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  if (progress_thread_.joinable()) progress_thread_.join();
  heartbeat_.Stop();
}

void EventIntake::KeepInHandFresh() {
  std::lock_guard<std::mutex> lock(in_hand_mu_);
  if (in_hand_ == nullptr || in_hand_->empty()) return;
  absl::StatusOr<int> kept = consumer_.KeepPending(*in_hand_);
  if (!kept.ok()) {
    // They may be handed to another replica as well: harmless, as handling
    // is idempotent.
    common::LogWarning("event intake: could not keep the events in hand",
                       {{"error", std::string(kept.status().message())}});
  }
}

void EventIntake::ProgressLoop() {
  while (running_) {
    // A failed refresh keeps the last values; Redis health is alerted on apart.
    (void)RefreshProgress();
    for (absl::Duration slept; running_ && slept < options_.progress_interval;
         slept += absl::Milliseconds(100)) {
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
}

absl::Status EventIntake::RefreshProgress() {
  // Wall time, not clock_: the ages are measured against stream entry ids,
  // which are Redis' wall clock at XADD.
  absl::StatusOr<common::StreamGroupProgress> progress =
      common::ReadStreamGroupProgress(redis_, options_.consumer.group, absl::Now());
  if (!progress.ok()) return progress.status();
  metrics_.SetIntakeProgress(progress->oldest_unacked, progress->oldest_unread);
  return absl::OkStatus();
}

void EventIntake::Loop() {
  while (running_) {
    absl::StatusOr<int> handled = PollOnce();
    if (!handled.ok()) {
      common::LogWarning("event intake: poll failed; retrying",
                         {{"error", std::string(handled.status().message())}});
      absl::SleepFor(absl::Seconds(1));
    }
  }
}

absl::StatusOr<int> EventIntake::PollOnce() {
  absl::StatusOr<std::vector<common::ConsumedEvent>> events = consumer_.Poll();
  if (!events.ok()) return events.status();
  if (events->empty()) {
    metrics_.SetConsumerLag(absl::ZeroDuration());
    return 0;
  }
  {
    std::lock_guard<std::mutex> lock(in_hand_mu_);
    in_hand_ = &*events;
  }
  std::map<std::string, std::vector<std::string>> done;  // stream -> entry ids
  for (size_t i : Handle(*events)) done[(*events)[i].stream].push_back((*events)[i].entry_id);
  int acked = 0;
  for (const auto& [stream, ids] : done) {
    // A failed ack only means the events come back: handling is idempotent.
    if (events_.AckEvents(stream, options_.consumer.group, ids).ok())
      acked += static_cast<int>(ids.size());
  }
  std::lock_guard<std::mutex> lock(in_hand_mu_);
  in_hand_ = nullptr;
  return acked;
}

std::vector<size_t> EventIntake::Handle(const std::vector<common::ConsumedEvent>& events) {
  const absl::Time now = clock_.Now();
  absl::Time oldest = now;
  std::map<std::string, std::vector<Item>> by_org;
  std::vector<std::pair<std::string, size_t>> order;  // (org, index within org) per event
  for (const common::ConsumedEvent& e : events) {
    std::vector<Item>& items = by_org[e.event.organization()];
    order.emplace_back(e.event.organization(), items.size());
    items.push_back(Item{&e, EventTypeName(e.event)});
    if (e.event.has_occur_time()) oldest = std::min(oldest, ToTime(e.event.occur_time()));
  }
  metrics_.SetConsumerLag(now - oldest);
  for (auto& [org, items] : by_org) HandleOrg(org, items);

  std::vector<size_t> done;
  for (size_t i = 0; i < order.size(); ++i) {
    const Item& item = by_org[order[i].first][order[i].second];
    const std::string result = item.result.empty() ? kRetry : item.result;
    metrics_.EventConsumed(item.type, result);
    if (result != kRetry) done.push_back(i);
  }
  return done;
}

void EventIntake::Prepare(const std::string& org, const v1::NotificationSettings& settings,
                          Item& item, BatchProtocols& batch_protocols) {
  const Event& event = item.event();
  if (event.payload_case() == Event::PAYLOAD_NOT_SET) {
    item.result = kIgnored;  // a payload from a newer producer
    return;
  }
  auto invalid = [&](const absl::Status& status) {
    common::LogWarning("event not planned", {{"org", org},
                                             {"event_id", event.id()},
                                             {"type", item.type},
                                             {"error", std::string(status.message())}});
    item.result = kInvalid;
  };
  const dermaflow::protocol::v1::Protocol* protocol = nullptr;
  if (auto needed = ProtocolNeeded(event)) {
    // Once per batch: a protocol is a large message, and the cache hands out copies.
    auto [it, added] = batch_protocols.try_emplace(*needed, absl::UnknownError("unread"));
    if (added) {
      it->second = protocols_.GetProtocol(common::CallOrigin::ForService(org), needed->first,
                                          needed->second);
    }
    const absl::StatusOr<dermaflow::protocol::v1::Protocol>& got = it->second;
    if (!got.ok()) {
      if (absl::IsNotFound(got.status()) || absl::IsInvalidArgument(got.status())) {
        invalid(got.status());
      } else {
        item.result = kRetry;
      }
      return;
    }
    protocol = &*got;
  }
  std::optional<bool> reachable = true;
  if (event.has_patient_consent_changed() &&
      event.patient_consent_changed().state() ==
          dermaflow::patient::v1::ConsentState::CONSENT_STATE_WITHDRAWN) {
    const std::string& patient_id = event.patient_consent_changed().patient_id();
    patients_.Forget(org, patient_id);  // read it fresh
    absl::StatusOr<PatientPrefs> prefs = ReadPatientPrefs(patients_, org, patient_id);
    if (!prefs.ok()) {
      item.result = kRetry;
      return;
    }
    if (prefs->exists) {
      reachable = prefs->Reachable();
    } else {
      reachable.reset();  // erased meanwhile
    }
  }
  PlanInput input;
  input.event = &event;
  input.protocol = protocol;
  input.settings = &settings;
  input.patient_reachable = reachable;
  absl::StatusOr<Plan> plan = PlanReminders(input);
  if (!plan.ok()) {
    invalid(plan.status());
    return;
  }
  item.plan = *std::move(plan);
}

absl::Status EventIntake::StoreClinics(const std::string& org, const std::vector<Item>& items) {
  std::vector<ClinicInfo> changed;
  std::vector<std::string> fingerprints;
  for (const Item& item : items) {
    if (!item.result.empty() || !item.plan.clinic || item.plan.clinic->id.empty()) continue;
    const ClinicInfo& c = *item.plan.clinic;
    std::string fingerprint = absl::StrCat(c.display_name, "\n", c.time_zone, "\n",
                                           c.has_contact_phone ? c.contact_phone : "\x01");
    auto it = clinics_written_.find({org, c.id});
    if (it != clinics_written_.end() && it->second == fingerprint) continue;
    changed.push_back(c);
    fingerprints.push_back(std::move(fingerprint));
  }
  if (changed.empty()) return absl::OkStatus();
  if (absl::Status s = clinics_.PutClinics(org, changed); !s.ok()) return s;
  for (size_t i = 0; i < changed.size(); ++i)
    clinics_written_[{org, changed[i].id}] = fingerprints[i];
  return absl::OkStatus();
}

void EventIntake::CountPlanned(const WriteResult& result, const WriteGroup& group) {
  for (size_t j = 0; j < group.writes.size() && j < result.writes.size(); ++j) {
    if (group.writes[j].op != ReminderWrite::Op::kCreate || result.writes[j] != 1) continue;
    absl::StatusOr<ReminderRecord> r = DecodeRecord(group.writes[j].id, group.writes[j].value);
    if (r.ok()) metrics_.Planned(KindOf(r->data));
  }
}

void EventIntake::RetryAlone(const std::string& org, Item& item) {
  const Plan& plan = item.plan;
  std::vector<std::string> appointments;
  if (!plan.appointment_id.empty()) appointments.push_back(plan.appointment_id);
  for (int attempt = 0; attempt < options_.max_conflict_retries; ++attempt) {
    absl::StatusOr<PlanningSnapshot> snapshot =
        reminders_.ReadForPlanning(org, {plan.patient_id}, appointments);
    if (!snapshot.ok()) break;
    if (item.Stale(*snapshot)) {
      item.result = kStale;
      return;
    }
    WriteGroup group = ResolvePlan(plan, snapshot->records[plan.patient_id], clock_.Now());
    absl::StatusOr<std::vector<WriteResult>> results = reminders_.Write(org, {group});
    if (!results.ok() || results->empty()) break;
    switch (results->front().group) {
      case WriteResult::Group::kApplied:
        item.result = kApplied;
        CountPlanned(results->front(), group);
        return;
      case WriteResult::Group::kStale:
        item.result = kStale;
        return;
      case WriteResult::Group::kErased:
        item.result = kIgnored;
        return;
      case WriteResult::Group::kConflict:
        continue;
    }
  }
  item.result = kRetry;
}

void EventIntake::HandleOrg(const std::string& org, std::vector<Item>& items) {
  auto retry_undecided = [&] {
    for (Item& item : items) {
      if (item.result.empty()) item.result = kRetry;
    }
  };
  absl::StatusOr<v1::NotificationSettings> settings = settings_.Get(org);
  if (!settings.ok()) return retry_undecided();
  BatchProtocols batch_protocols;
  for (Item& item : items) Prepare(org, *settings, item, batch_protocols);
  if (!StoreClinics(org, items).ok()) return retry_undecided();

  std::vector<std::string> patients;
  std::vector<std::string> appointments;
  for (const Item& item : items) {
    if (!item.result.empty() || item.plan.erase_patient) continue;
    if (item.plan.Touches()) patients.push_back(item.plan.patient_id);
    if (!item.plan.appointment_id.empty()) appointments.push_back(item.plan.appointment_id);
  }
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  std::sort(appointments.begin(), appointments.end());
  appointments.erase(std::unique(appointments.begin(), appointments.end()), appointments.end());
  absl::StatusOr<PlanningSnapshot> snapshot =
      reminders_.ReadForPlanning(org, patients, appointments);
  if (!snapshot.ok()) return retry_undecided();

  // Events are resolved in stream order against the patient's records as the
  // earlier events leave them, and written together; an erasure flushes
  // what came before it.
  std::vector<Item*> grouped;
  std::vector<WriteGroup> groups;
  auto flush = [&] {
    if (groups.empty()) return;
    absl::StatusOr<std::vector<WriteResult>> results = reminders_.Write(org, groups);
    for (size_t g = 0; g < grouped.size(); ++g) {
      Item& item = *grouped[g];
      if (!results.ok() || g >= results->size()) {
        item.result = kRetry;
        continue;
      }
      switch ((*results)[g].group) {
        case WriteResult::Group::kApplied:
          item.result = kApplied;
          CountPlanned((*results)[g], groups[g]);
          break;
        case WriteResult::Group::kStale:
          item.result = kStale;
          break;
        case WriteResult::Group::kErased:
          item.result = kIgnored;
          break;
        case WriteResult::Group::kConflict:
          RetryAlone(org, item);
          break;
      }
    }
    grouped.clear();
    groups.clear();
  };

  const absl::Time now = clock_.Now();
  for (Item& item : items) {
    if (!item.result.empty()) continue;
    Plan& plan = item.plan;
    if (plan.patient_changed) patients_.Forget(org, plan.patient_id);
    if (plan.erase_patient) {
      flush();
      if (reminders_.ErasePatient(org, plan.patient_id).ok()) {
        item.result = kApplied;
        snapshot->records[plan.patient_id].clear();
      } else {
        item.result = kRetry;
      }
      continue;
    }
    if (!plan.Touches() && plan.appointment_id.empty()) {
      item.result = kIgnored;
      continue;
    }
    if (item.Stale(*snapshot)) {
      item.result = kStale;
      continue;
    }
    groups.push_back(ResolvePlan(plan, snapshot->records[plan.patient_id], now));
    grouped.push_back(&item);
    if (!plan.appointment_id.empty()) {
      int64_t& seen = snapshot->appointment_versions[plan.appointment_id];
      seen = std::max(seen, plan.appointment_update_ms);
    }
  }
  flush();
}

}  // namespace dermaflow::notification
