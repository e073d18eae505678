#include "services/scheduling/app/waitlist/slot_offers.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/status/macros.h"
#include "services/scheduling/app/booking/booking_plan.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/waitlist/waitlist_entries.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

// Errors that mean "this entry cannot have this slot", not "try again"
// (a refused service token is "try again": loud, not a silent skip).
bool SkipsEntry(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) || absl::IsNotFound(status) ||
         absl::IsInvalidArgument(status);
}

// Errors that mean the slot can no longer be offered at all.
bool ClosesSlot(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) || absl::IsNotFound(status) ||
         absl::IsInvalidArgument(status);
}

}  // namespace

absl::Status SlotOffers::OnSlotFreed(const std::string& org,
                                     const events::v1::AppointmentInfo& freed, absl::Time start) {
  const absl::Time now = deps_.scheduling.clock.Now();
  if (start <= now) return absl::OkStatus();  // a past slot helps no one
  const absl::Duration length = ToTime(freed.end_time()) - ToTime(freed.start_time());
  FreedSlot slot{SlotIdFor(freed.appointment_id(), start),
                 freed.clinic_id(),
                 freed.practitioner_id(),
                 freed.protocol_id(),
                 start,
                 start + length,
                 now};
  DF_RETURN_IF_ERROR(deps_.store.RecordSlot(org, slot).status());
  // Also for a slot recorded before: a crash may have come between.
  return Advance(org, slot.slot_id);
}

absl::Status SlotOffers::Advance(const std::string& org, const std::string& slot_id) {
  DF_ASSIGN_OR_RETURN(std::optional<SlotRecord> slot, deps_.store.GetSlot(org, slot_id));
  if (!slot) return absl::OkStatus();
  const absl::Time now = deps_.scheduling.clock.Now();
  if (slot->state == SlotState::kHeld) {
    DF_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> expired,
                        deps_.store.Release(org, *slot, now));
    if (!expired) return absl::OkStatus();  // still held, or released elsewhere
    deps_.metrics.expired.Increment(static_cast<double>(expired->size()));
    DF_ASSIGN_OR_RETURN(slot, deps_.store.GetSlot(org, slot_id));
    if (!slot) return absl::OkStatus();
  }
  if (slot->state != SlotState::kReleased) return deps_.store.Close(org, slot_id);
  if (slot->slot.start <= now) return deps_.store.Close(org, slot_id);
  return OfferRound(org, *slot);
}

absl::Status SlotOffers::OfferRound(const std::string& org, const SlotRecord& record) {
  const FreedSlot& slot = record.slot;
  const common::Caller system{.organization = org, .subject = kWaitlistActor};
  const CallContext call{system, nullptr, /*as_service=*/true};
  const absl::Time now = deps_.scheduling.clock.Now();
  const google::protobuf::RepeatedField<int> no_areas;
  absl::StatusOr<BookingSubject> loaded = LoadBookingSubject(
      deps_.scheduling, call,
      {slot.clinic_id, slot.practitioner_id, "", slot.protocol_id, 0, &no_areas});
  if (ClosesSlot(loaded.status())) return deps_.store.Close(org, slot.slot_id);
  DF_RETURN_IF_ERROR(loaded.status());
  const BookingSubject& s = *loaded;
  const v1::WaitlistPolicy& policy = s.clinic.waitlist_policy();
  const Interval occupied = s.Occupied(slot.start);
  if (policy.disabled() || !CheckSessionRules(s, occupied).ok()) {
    return deps_.store.Close(org, slot.slot_id);
  }
  const int wanted =
      policy.offers_per_slot() > 0 ? policy.offers_per_slot() : deps_.settings.offers_per_slot;
  const absl::Duration hold =
      policy.hold_minutes() > 0 ? absl::Minutes(policy.hold_minutes()) : deps_.settings.hold;
  const std::set<std::string> offered(record.offered.begin(), record.offered.end());

  std::vector<v1::WaitlistEntry> chosen;
  for (int64_t offset = 0; static_cast<int>(chosen.size()) < wanted;
       offset += deps_.settings.scan_batch) {
    DF_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                        deps_.store.ListEntryIds(org, slot.clinic_id, slot.protocol_id, offset,
                                                 deps_.settings.scan_batch));
    if (ids.empty()) break;
    DF_ASSIGN_OR_RETURN(std::vector<v1::WaitlistEntry> entries, deps_.store.GetEntries(org, ids));
    for (const RankedEntry& r : RankEntries(entries, slot, s.duration(), s.tz, now)) {
      if (static_cast<int>(chosen.size()) == wanted) break;
      const v1::WaitlistEntry& e = *r.entry;
      if (offered.count(e.id()) > 0) continue;
      // Free then? (Their own appointment at that time: nothing to offer.)
      DF_ASSIGN_OR_RETURN(std::vector<std::vector<Interval>> busy,
                          deps_.scheduling.appointments.BusyIntervals(
                              org, {{CalendarOwner::kPatient, e.patient_id()}},
                              {slot.start, slot.start + s.duration()}));
      if (!busy[0].empty()) continue;
      absl::StatusOr<patient::v1::Patient> patient = deps_.scheduling.patients.GetPatient(
          call.origin(), e.patient_id(), patient::v1::PATIENT_VIEW_BASIC);
      if (SkipsEntry(patient.status())) continue;
      DF_RETURN_IF_ERROR(patient.status());
      QuietWindow quiet = deps_.settings.default_quiet_hours;
      if (patient->has_quiet_hours()) {
        quiet = {ToMinuteOfDay(patient->quiet_hours().start(), false).value_or(0),
                 ToMinuteOfDay(patient->quiet_hours().end(), true).value_or(0)};
      }
      absl::TimeZone patient_tz = s.tz;
      if (!patient->time_zone().empty()) {
        absl::TimeZone tz;
        if (absl::LoadTimeZone(patient->time_zone(), &tz)) patient_tz = tz;
      }
      if (InQuietHours(quiet, now, patient_tz)) continue;  // keeps waiting for the next slot
      absl::Status screened = ScreenForWaitlist(deps_.scheduling, call, e.patient_id(), s.protocol,
                                                absl::ToCivilDay(slot.start, s.tz));
      if (SkipsEntry(screened)) continue;  // e.g. a contraindication since the entry was made
      DF_RETURN_IF_ERROR(screened);
      chosen.push_back(e);
    }
    if (static_cast<int64_t>(ids.size()) < deps_.settings.scan_batch) break;
  }
  if (chosen.empty()) return deps_.store.Close(org, slot.slot_id);

  // A hold never outlasts the slot's start: nobody can accept a past slot.
  const absl::Time hold_until = std::min(now + hold, slot.start);
  HoldRound round{slot.slot_id,
                  record.round,
                  now,
                  hold_until,
                  slot.start,
                  occupied.end,
                  slot.practitioner_id,
                  slot.clinic_id,
                  slot.protocol_id,
                  s.room_ids,
                  {}};
  const EventEnvelope envelope{org, kWaitlistActor, now};
  for (const v1::WaitlistEntry& e : chosen) {
    HoldRound::Offer o;
    o.offer.set_id(NewId("of"));
    o.offer.set_entry_id(e.id());
    o.offer.set_patient_id(e.patient_id());
    o.offer.set_slot_id(slot.slot_id);
    o.offer.set_clinic_id(slot.clinic_id);
    o.offer.set_practitioner_id(slot.practitioner_id);
    o.offer.set_protocol_id(slot.protocol_id);
    *o.offer.mutable_start_time() = ToTimestamp(slot.start);
    *o.offer.mutable_end_time() = ToTimestamp(slot.start + s.duration());
    *o.offer.mutable_hold_until() = ToTimestamp(round.hold_until);
    *o.offer.mutable_create_time() = ToTimestamp(now);
    // The slot as it would be booked, for the message's texts.
    v1::Appointment would_be = NewAppointment(call, s, e.patient_id(), slot.start, "", {}, now);
    events::v1::AppointmentInfo info =
        MakeAppointmentInfo(would_be, s.clinic, s.practitioner, nullptr);
    info.clear_appointment_id();
    info.clear_state();
    o.made = envelope.New();
    events::v1::WaitlistOfferMade* made = o.made.mutable_waitlist_offer_made();
    made->set_offer_id(o.offer.id());
    made->set_entry_id(e.id());
    *made->mutable_slot() = std::move(info);
    *made->mutable_hold_until() = o.offer.hold_until();
    made->set_preferred_channel(e.preferred_channel());
    made->set_clinic_patient_app_url(s.clinic.patient_app_url());
    round.offers.push_back(std::move(o));
  }
  DF_ASSIGN_OR_RETURN(HoldOutcome held, deps_.store.Hold(org, round));
  deps_.metrics.sent.Increment(static_cast<double>(held.offer_ids.size()));
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
