// Consent per channel: the current state lives in Patient.consents (one entry
// per channel), every change is also appended to the consent history that
// ExportPatient returns. Who and when are stamped by the server.
//
//   std::optional<v1::ChannelConsent> change =
//       ApplyConsent(patient, v1::CHANNEL_SMS, v1::CONSENT_STATE_WITHDRAWN, "asked by phone",
//                    clock.Now(), caller.subject);
//   if (!change) ...  // already withdrawn: nothing to write, no event
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::patient {

// Records `state` for `channel` in `patient` and returns the new entry, or
// nullopt (and leaves `patient` alone) when that is already the channel's
// state.
std::optional<v1::ChannelConsent> ApplyConsent(v1::Patient& patient, v1::Channel channel,
                                               v1::ConsentState state, std::string_view reason,
                                               absl::Time when, std::string_view by);

// Stamps change_time and changed_by on the consents given at registration
// and returns them as the first entries of the history.
std::vector<v1::ChannelConsent> StampInitialConsents(v1::Patient& patient, absl::Time when,
                                                     std::string_view by);

}  // namespace dermaflow::patient
