#include "services/notification/delivery/dispatcher.h"

#include <set>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/delivery/claim_choice.h"
#include "services/notification/domain/dispatch_policy.h"
#include "services/notification/domain/templates.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

struct Dispatcher::Outcome {
  enum class What { kDelivered, kSuppressed, kDeferred, kRetry, kDeadLetter, kReleased };
  What what = What::kReleased;
  ReminderState state = ReminderState::REMINDER_STATE_SCHEDULED;
  internal::StoredReminder data;
  std::string delivery;   // serialized v1::Delivery when delivered
  std::string transport;  // the channel's name, for metrics
  absl::Duration lag;
  // A send was attempted through a channel whose messages leave the
  // service (Channel::external): a crash before this outcome is on record
  // would send that message twice.
  bool reached_provider = false;
};

namespace {

double Jitter() {
  thread_local absl::BitGen gen;
  return absl::Uniform(gen, 0.0, 1.0);
}

}  // namespace

Dispatcher::Dispatcher(ReminderQueue& reminders, ClinicCache& clinics, EventBacklog& events,
                       SettingsCache& settings, common::PatientClient& patients,
                       common::ProtocolClient& protocols, ChannelSet& channels,
                       NotificationMetrics& metrics, const common::Clock& clock,
                       DispatcherOptions options, const ActionLinkMinter* links,
                       ParkPromoter* promoter)
    : reminders_(reminders),
      clinic_cache_(clinics),
      events_(events),
      settings_(settings),
      patients_(patients),
      protocols_(protocols),
      channels_(channels),
      metrics_(metrics),
      clock_(clock),
      options_(options),
      links_(links),
      promoter_(promoter),
      pool_(options.workers),
      recorder_(reminders),
      heartbeat_(reminders, options.lease),
      focus_(common::HomeTestOf(options.share), options.look_around) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  if (running_.exchange(true)) return;
  heartbeat_.Start();
  thread_ = std::thread([this] { Loop(); });
}

void Dispatcher::Stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  heartbeat_.Stop();  // after the batch in hand: its leases are kept to the end
}

void Dispatcher::Loop() {
  while (running_) {
    absl::StatusOr<int> handled = RunOnce();
    if (!handled.ok()) {
      common::LogWarning("dispatcher: pass failed; retrying",
                         {{"error", std::string(handled.status().message())}});
      absl::SleepFor(absl::Milliseconds(500));
    } else if (*handled == 0) {
      absl::SleepFor(options_.idle_wait);
    }
  }
}

absl::StatusOr<int> Dispatcher::RunOnce() {
  const absl::Time now = clock_.Now();
  if (orgs_.empty() || now - orgs_refreshed_ >= options_.org_refresh || now < orgs_refreshed_) {
    absl::StatusOr<std::vector<std::string>> orgs = events_.Organizations();
    if (!orgs.ok()) return orgs.status();
    orgs_ = *std::move(orgs);
    orgs_refreshed_ = now;
  }
  const std::vector<std::string> focus = focus_.Pick(orgs_, absl::Now());
  if (focus.empty()) return 0;
  if (promoter_ != nullptr) {
    for (const std::string& org : focus) {
      if (focus_.IsHome(org)) promoter_->MaybePromote(org, now);
    }
  }
  // Claiming runs a script; probing is five O(log n) reads per
  // organization, pipelined. With many quiet tenants that is the difference
  // between an idle replica costing Redis a quarter of a core or almost none.
  absl::StatusOr<std::vector<DueProbe>> probes = reminders_.ProbeDue(focus, now);
  if (!probes.ok()) {
    // E.g. one Cluster node down: claim everywhere, as if unprobed, so the
    // other nodes' organizations go on and the failing ones show their error.
    probes = std::vector<DueProbe>(focus.size());
  }
  const ClaimChoiceOptions choice{
      .batch = options_.batch_size, .lease = options_.lease, .help_after = options_.help_after};
  const absl::Time wall = absl::Now();
  int handled = 0;
  absl::Status first_error;
  for (size_t i = 0; i < focus.size(); ++i) {
    const std::string& org = focus[i];
    const bool home = focus_.IsHome(org);
    const bool claim = ShouldClaim((*probes)[i], home, now, wall, choice);
    if (!home) focus_.Help(org, claim);
    if (!claim) continue;
    absl::StatusOr<int> n = DispatchBatch(org);
    if (n.ok()) {
      handled += *n;
    } else if (first_error.ok()) {
      first_error = n.status();
    }
  }
  if (handled == 0 && !first_error.ok()) return first_error;
  return handled;
}

std::map<std::string, ClinicInfo> Dispatcher::Clinics(const std::string& org,
                                                      const std::vector<ClaimedReminder>& batch,
                                                      absl::Time now) {
  std::map<std::string, ClinicInfo> out;
  std::vector<std::string> missing;
  {
    std::lock_guard<std::mutex> lock(clinics_mu_);
    for (const ClaimedReminder& c : batch) {
      const std::string& id = c.record.data.clinic_id();
      if (out.contains(id)) continue;
      auto it = clinics_.find({org, id});
      if (it != clinics_.end() && it->second.second > now) {
        out[id] = it->second.first;
      } else {
        out[id] = ClinicInfo{id};
        missing.push_back(id);
      }
    }
  }
  if (missing.empty()) return out;
  absl::StatusOr<std::map<std::string, ClinicInfo>> fetched =
      clinic_cache_.GetClinics(org, missing);
  if (!fetched.ok()) return out;  // texts without the clinic's name beat no message
  std::lock_guard<std::mutex> lock(clinics_mu_);
  for (auto& [id, info] : *fetched) {
    out[id] = info;
    clinics_[{org, id}] = {info, now + options_.clinic_cache_ttl};
  }
  return out;
}

absl::StatusOr<int> Dispatcher::DispatchBatch(const std::string& org) {
  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<ClaimedReminder>> claimed =
      reminders_.ClaimDue(org, now, options_.lease, options_.batch_size);
  if (!claimed.ok()) return claimed.status();
  const std::vector<ClaimedReminder>& batch = *claimed;
  if (batch.empty()) return 0;
  heartbeat_.Hold(org, batch);

  static const v1::NotificationSettings kDefaults;
  absl::StatusOr<v1::NotificationSettings> settings = settings_.Get(org);
  const v1::NotificationSettings& s = settings.ok() ? *settings : kDefaults;
  const std::map<std::string, ClinicInfo> clinics = Clinics(org, batch, now);

  std::vector<std::string> patient_ids;
  patient_ids.reserve(batch.size());
  for (const ClaimedReminder& c : batch) patient_ids.push_back(c.record.data.patient_id());
  std::sort(patient_ids.begin(), patient_ids.end());
  patient_ids.erase(std::unique(patient_ids.begin(), patient_ids.end()), patient_ids.end());
  std::vector<absl::StatusOr<PatientPrefs>> prefs(patient_ids.size(), absl::UnknownError(""));
  pool_.ParallelFor(static_cast<int>(patient_ids.size()),
                    [&](int i) { prefs[i] = ReadPatientPrefs(patients_, org, patient_ids[i]); });
  auto prefs_of = [&](const std::string& id) -> const absl::StatusOr<PatientPrefs>& {
    return prefs[std::lower_bound(patient_ids.begin(), patient_ids.end(), id) -
                 patient_ids.begin()];
  };

  // Each protocol version once per batch: it is a large message and the
  // cache hands out copies.
  using ProtocolOrError = absl::StatusOr<dermaflow::protocol::v1::Protocol>;
  std::map<std::pair<std::string, int64_t>, ProtocolOrError> protocols;
  std::vector<const ProtocolOrError*> protocol_of(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& d = batch[i].record.data;
    auto [it, added] = protocols.try_emplace({d.protocol_id(), d.protocol_version()},
                                             absl::UnknownError("unread"));
    if (added) {
      it->second = protocols_.GetProtocol(common::CallOrigin::ForService(org), d.protocol_id(),
                                          d.protocol_version());
    }
    protocol_of[i] = &it->second;
  }

  // A message handed to a provider is recorded before its worker takes the
  // next reminder, so at any moment at most one such send per worker is not
  // on record. Other outcomes (nothing sent, or sent through a channel that
  // only writes locally) cannot cause a duplicate message: they are written
  // together at the end of the batch, as cheaply as before.
  std::atomic<bool> abandoned{false};
  std::mutex later_mu;
  std::vector<std::pair<const ClaimedReminder*, Outcome>> later;
  pool_.ParallelFor(static_cast<int>(batch.size()), [&](int i) {
    const ClaimedReminder& c = batch[i];
    const auto& d = c.record.data;
    // Lost: another replica took the claim over (and sends it). Abandoned:
    // outcomes cannot be stored, so sending more would only make duplicates;
    // these claims run out and are taken over.
    if (abandoned || heartbeat_.Lost(org, c.record.id)) {
      heartbeat_.Release(org, c.record.id);
      return;
    }
    Outcome o = Handle(org, c, prefs_of(d.patient_id()), *protocol_of[i], s,
                       clinics.at(d.clinic_id()), now);
    if (!o.reached_provider) {
      std::lock_guard<std::mutex> lock(later_mu);
      later.emplace_back(&c, std::move(o));
      return;
    }
    absl::StatusOr<int> written = recorder_.Record(org, OutcomeWrite(c, o));
    heartbeat_.Release(org, c.record.id);
    if (!written.ok()) {
      LogUnrecorded(org, written.status());
      abandoned = true;
      return;
    }
    // -1 (the claim was taken over meanwhile, as this replica could not
    // renew it) counts too: the message went out.
    CountOutcome(o);
  });

  if (!later.empty()) {
    WriteGroup group;
    group.atomic = false;  // each outcome stands alone (a record may have been erased)
    for (auto& [c, o] : later) group.writes.push_back(OutcomeWrite(*c, o));
    absl::StatusOr<std::vector<WriteResult>> written = reminders_.Write(org, {group});
    for (const auto& [c, o] : later) heartbeat_.Release(org, c->record.id);
    if (written.ok()) {
      for (const auto& [c, o] : later) CountOutcome(o);
    } else {
      LogUnrecorded(org, written.status());
      abandoned = true;
    }
  }
  if (abandoned) {
    return absl::UnavailableError("dispatcher: outcomes could not be recorded");
  }
  return static_cast<int>(batch.size());
}

ReminderWrite Dispatcher::OutcomeWrite(const ClaimedReminder& claimed, Outcome& o) {
  ReminderWrite w;
  w.op = ReminderWrite::Op::kUpdate;
  w.id = claimed.record.id;
  w.claim_token = claimed.claim_token;  // instead of comparing the record
  w.value = EncodeRecord(o.state, o.data);
  w.score = SortScore(o.state, o.data);
  w.patient_id = o.data.patient_id();
  w.delivery = std::move(o.delivery);
  w.delivered_ms = o.data.delivered_ms();
  return w;
}

void Dispatcher::LogUnrecorded(const std::string& org, const absl::Status& error) {
  // The claims stay IN_FLIGHT until their leases end; then they are claimed
  // again (one that was sent is sent again: at least once).
  common::LogError("dispatcher: could not record outcomes",
                   {{"org", org}, {"error", std::string(error.message())}});
}

void Dispatcher::CountOutcome(const Outcome& o) {
  const v1::ReminderKind kind = KindOf(o.data);
  switch (o.what) {
    case Outcome::What::kDelivered:
      metrics_.Delivered(kind, o.transport, o.lag);
      break;
    case Outcome::What::kSuppressed:
      metrics_.Suppressed(kind, static_cast<v1::SuppressionReason>(o.data.suppression_reason()));
      break;
    case Outcome::What::kRetry:
      metrics_.Failed(kind, o.transport);
      break;
    case Outcome::What::kDeadLetter:
      if (!o.transport.empty()) metrics_.Failed(kind, o.transport);
      metrics_.DeadLettered(kind, o.transport.empty() ? "log" : o.transport);
      break;
    default:
      break;
  }
}

Dispatcher::Outcome Dispatcher::Handle(
    const std::string& org, const ClaimedReminder& claimed,
    const absl::StatusOr<PatientPrefs>& prefs,
    const absl::StatusOr<dermaflow::protocol::v1::Protocol>& protocol,
    const v1::NotificationSettings& settings, const ClinicInfo& clinic, absl::Time now) {
  Outcome o;
  o.data = claimed.record.data;
  internal::StoredReminder& d = o.data;
  d.set_update_ms(ToMillis(now));
  // A dependency is down: try again later without spending an attempt.
  auto release = [&](const char* detail) {
    o.what = Outcome::What::kReleased;
    o.state = d.attempts() > 0 ? ReminderState::REMINDER_STATE_RETRYING
                               : ReminderState::REMINDER_STATE_SCHEDULED;
    d.set_due_ms(ToMillis(now + options_.dependency_retry));
    d.set_state_detail(detail);
    return o;
  };
  if (!prefs.ok()) return release("patient service unavailable; will try again");

  const Verdict verdict = Decide(claimed.record, *prefs, settings, clinic, now);
  switch (verdict.action) {
    case Verdict::Action::kSuppress:
      o.what = Outcome::What::kSuppressed;
      o.state = ReminderState::REMINDER_STATE_SUPPRESSED;
      d.set_suppression_reason(verdict.reason);
      d.set_state_detail(verdict.detail);
      return o;
    case Verdict::Action::kDefer:
      o.what = Outcome::What::kDeferred;
      o.state = ReminderState::REMINDER_STATE_SCHEDULED;
      d.set_due_ms(ToMillis(verdict.until));
      d.set_state_detail(verdict.detail);
      return o;
    case Verdict::Action::kSend:
      break;
  }

  auto fail = [&](const absl::Status& error, bool transient) {
    d.set_attempts(d.attempts() + 1);
    d.set_last_error_code(static_cast<int>(error.code()));
    d.set_last_error_message(std::string(error.message().substr(0, 200)));
    if (transient && d.attempts() < options_.max_attempts) {
      o.what = Outcome::What::kRetry;
      o.state = ReminderState::REMINDER_STATE_RETRYING;
      d.set_due_ms(ToMillis(
          now + RetryDelay(d.attempts(), options_.retry_base, options_.retry_max, Jitter())));
      d.set_state_detail("delivery failed; will retry");
    } else {
      o.what = Outcome::What::kDeadLetter;
      o.state = ReminderState::REMINDER_STATE_DEAD_LETTER;
      d.set_state_detail(transient ? "delivery failed; attempts exhausted"
                                   : "delivery failed permanently");
    }
    return o;
  };

  if (!protocol.ok()) {
    if (absl::IsNotFound(protocol.status())) return fail(protocol.status(), /*transient=*/false);
    return release("protocol service unavailable; will try again");
  }
  const PatientPrefs& p = *prefs;
  ActionLinks links;
  if (links_ != nullptr) {
    absl::StatusOr<ActionLinks> minted =
        links_->Links(org, claimed.record, clinic, verdict.channel.channel, now);
    if (!minted.ok()) return release("action links unavailable; will try again");
    links = *std::move(minted);
  }
  RenderedMessage message = Render({.reminder = &claimed.record,
                                    .protocol = &*protocol,
                                    .locale = p.locale.empty() ? "en" : p.locale,
                                    .first_name = p.given_name,
                                    .clinic = clinic,
                                    .time_zone = verdict.time_zone,
                                    .channel = verdict.channel.channel,
                                    .links = links});
  if (message.fell_back) metrics_.TemplateFallback(KindOf(d), p.locale);
  d.set_channel(verdict.channel.channel);
  d.set_locale(message.locale);

  Channel& channel = channels_.For(verdict.channel.channel);
  o.transport = channel.name();
  o.reached_provider = channel.external();
  OutgoingMessage out{org,
                      claimed.record.id,
                      d.patient_id(),
                      KindOf(d),
                      verdict.channel.channel,
                      verdict.channel.address,
                      message.locale,
                      message.subject,
                      message.body,
                      now};
  absl::Status sent = channel.Send(out);
  if (!sent.ok()) return fail(sent, IsTransientError(sent));
  if (links_ != nullptr) {
    if (absl::Status noted = links_->RememberSmsReply(org, out.address, claimed.record, links);
        !noted.ok()) {
      // The message went out; only a reply to it will not be understood.
      common::LogWarning("an SMS reply to this confirmation request will not be recognized",
                         {{"error", std::string(noted.message())}});
    }
  }

  const absl::Time delivered = clock_.Now();
  o.what = Outcome::What::kDelivered;
  o.state = ReminderState::REMINDER_STATE_DELIVERED;
  o.lag = delivered - FromMillis(d.due_ms());
  d.set_attempts(d.attempts() + 1);
  d.set_delivered_ms(ToMillis(delivered));
  d.set_last_error_code(0);
  d.clear_last_error_message();
  d.clear_state_detail();
  v1::Delivery delivery;
  delivery.set_reminder_id(claimed.record.id);
  delivery.set_patient_id(d.patient_id());
  delivery.set_kind(KindOf(d));
  delivery.set_channel(verdict.channel.channel);
  delivery.set_locale(message.locale);
  delivery.set_subject(message.subject);
  delivery.set_body(message.body);
  *delivery.mutable_delivered_time() = ToTimestamp(delivered);
  delivery.set_appointment_id(d.appointment_id());
  delivery.set_course_id(d.course_id());
  delivery.set_clinic_id(d.clinic_id());
  o.delivery = delivery.SerializeAsString();
  return o;
}

}  // namespace dermaflow::notification
