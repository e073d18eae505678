#include "services/notification/domain/care_rules.h"

namespace dermaflow::notification {

using dermaflow::protocol::v1::CareCondition;
using dermaflow::protocol::v1::TreatmentArea;

namespace {

constexpr uint32_t Bit(int value) { return value >= 0 && value < 32 ? 1u << value : 0u; }

constexpr uint32_t kFacialAreas =
    Bit(TreatmentArea::TREATMENT_AREA_FACE) | Bit(TreatmentArea::TREATMENT_AREA_EYE_AREA) |
    Bit(TreatmentArea::TREATMENT_AREA_MOUTH_AREA) | Bit(TreatmentArea::TREATMENT_AREA_JAWLINE);

}  // namespace

uint32_t AreaMask(const google::protobuf::RepeatedField<int>& areas) {
  uint32_t mask = 0;
  for (int area : areas) {
    if (area != TreatmentArea::TREATMENT_AREA_UNSPECIFIED) mask |= Bit(area);
  }
  return mask;
}

uint32_t SideEffectMask(const google::protobuf::RepeatedField<int>& side_effects) {
  uint32_t mask = 0;
  for (int effect : side_effects) {
    if (effect != dermaflow::scheduling::v1::SideEffect::SIDE_EFFECT_UNSPECIFIED)
      mask |= Bit(effect);
  }
  return mask;
}

bool HasFacialArea(uint32_t areas) { return (areas & kFacialAreas) != 0; }
bool HasBodyArea(uint32_t areas) { return (areas & ~kFacialAreas) != 0; }

bool RuleApplies(const dermaflow::protocol::v1::CareRule& rule, uint32_t areas,
                 uint32_t side_effects) {
  switch (rule.applies_when()) {
    case CareCondition::CARE_CONDITION_ALWAYS:
      return true;
    case CareCondition::CARE_CONDITION_FACIAL_AREA_TREATED:
      return HasFacialArea(areas);
    case CareCondition::CARE_CONDITION_BODY_AREA_TREATED:
      return HasBodyArea(areas);
    case CareCondition::CARE_CONDITION_BRUISING_RECORDED:
      return (side_effects & Bit(dermaflow::scheduling::v1::SideEffect::SIDE_EFFECT_BRUISING)) != 0;
    case CareCondition::CARE_CONDITION_SIDE_EFFECT_RECORDED:
      return side_effects != 0;
    default:
      return false;
  }
}

std::vector<const dermaflow::protocol::v1::CareRule*> ApplicableRules(
    const google::protobuf::RepeatedPtrField<dermaflow::protocol::v1::CareRule>& rules,
    uint32_t areas, uint32_t side_effects) {
  std::vector<const dermaflow::protocol::v1::CareRule*> out;
  for (const auto& rule : rules) {
    if (RuleApplies(rule, areas, side_effects)) out.push_back(&rule);
  }
  return out;
}

}  // namespace dermaflow::notification
