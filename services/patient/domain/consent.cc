#include "services/patient/domain/consent.h"

#include "common/time/proto_time.h"

namespace dermaflow::patient {
namespace {

void Stamp(v1::ChannelConsent& consent, absl::Time when, std::string_view by) {
  *consent.mutable_change_time() = common::ToTimestamp(when);
  consent.set_changed_by(std::string(by));
}

}  // namespace

std::optional<v1::ChannelConsent> ApplyConsent(v1::Patient& patient, v1::Channel channel,
                                               v1::ConsentState state, std::string_view reason,
                                               absl::Time when, std::string_view by) {
  v1::ChannelConsent* entry = nullptr;
  for (v1::ChannelConsent& consent : *patient.mutable_consents()) {
    if (consent.channel() == channel) entry = &consent;
  }
  if (entry != nullptr && entry->state() == state) return std::nullopt;
  if (entry == nullptr) entry = patient.add_consents();
  entry->Clear();
  entry->set_channel(channel);
  entry->set_state(state);
  entry->set_reason(std::string(reason));
  Stamp(*entry, when, by);
  return *entry;
}

std::vector<v1::ChannelConsent> StampInitialConsents(v1::Patient& patient, absl::Time when,
                                                     std::string_view by) {
  std::vector<v1::ChannelConsent> history;
  for (v1::ChannelConsent& consent : *patient.mutable_consents()) {
    Stamp(consent, when, by);
    history.push_back(consent);
  }
  return history;
}

}  // namespace dermaflow::patient
