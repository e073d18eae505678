// Which of a protocol's care rules apply to a session, judged on its areas
// (booked for pre-care, treated for aftercare) and recorded side effects.
// Planning and rendering both ask, so they always agree.
//
//   uint32_t areas = AreaMask(info.treated_areas());
//   for (const CareRule* rule : ApplicableRules(protocol.aftercare(), areas, side_effects)) ...
#pragma once

#include <cstdint>
#include <vector>

#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "google/protobuf/repeated_field.h"

namespace dermaflow::notification {

uint32_t AreaMask(const google::protobuf::RepeatedField<int>& areas);
uint32_t SideEffectMask(const google::protobuf::RepeatedField<int>& side_effects);

// FACE, EYE_AREA, MOUTH_AREA, JAWLINE (protocol.proto's definition).
bool HasFacialArea(uint32_t areas);
bool HasBodyArea(uint32_t areas);

bool RuleApplies(const dermaflow::protocol::v1::CareRule& rule, uint32_t areas,
                 uint32_t side_effects);

std::vector<const dermaflow::protocol::v1::CareRule*> ApplicableRules(
    const google::protobuf::RepeatedPtrField<dermaflow::protocol::v1::CareRule>& rules,
    uint32_t areas, uint32_t side_effects);

}  // namespace dermaflow::notification
