// How patients are found without reading them all: lexicographic sorted sets
// (every score 0) whose members sort in ListPatients order. A patient's
// *position* is  fold(family) \x01 fold(given) \x01 id  (text_folding.h), so
// the name index is ordered by family name, given name, id, and a family-name
// prefix is a range of it. The phone, e-mail and home-clinic indexes hold
//  value \x00 position,  so each is a run of positions per value, in the same
// order. Pages continue strictly after the last position returned, so
// patients added meanwhile never cause gaps or repeats.
//
//   IndexScan scan{.index = PatientIndex::kPhone, .value = "+4915112345678", .limit = 50};
//   LexRange range = ScanRange(scan);  // ZRANGEBYLEX key range.min range.max LIMIT 0 50
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::patient {

enum class PatientIndex { kName = 0, kPhone = 1, kEmail = 2, kHomeClinic = 3 };
inline constexpr std::array<PatientIndex, 4> kAllIndexes = {
    PatientIndex::kName, PatientIndex::kPhone, PatientIndex::kEmail, PatientIndex::kHomeClinic};

// The index's key part: "name", "phone", "email", "clinic".
std::string_view IndexName(PatientIndex index);

// The patient's position in list order (see above).
std::string ListPosition(const v1::Patient& patient);

// The patient's member in each index, by PatientIndex; "" where the patient
// has no value (no phone, ...), so it is not in that index.
std::array<std::string, 4> IndexMembers(const v1::Patient& patient);

// The e-mail form the index and the filter compare: ASCII lower case.
std::string NormalizeEmail(std::string_view email);

// One walk over an index: the patients with `value` (not for kName) whose
// folded family name starts with `name_prefix`, after position `after`.
struct IndexScan {
  PatientIndex index = PatientIndex::kName;
  std::string value;
  std::string name_prefix;
  std::string after;
  int limit = 50;
};

// ZRANGEBYLEX bounds ("[x", "(x", "-", "+").
struct LexRange {
  std::string min;
  std::string max;
};
LexRange ScanRange(const IndexScan& scan);

// The position inside a member of `index`, and the id inside a position.
std::string_view PositionOfMember(PatientIndex index, std::string_view member);
std::string_view IdOfPosition(std::string_view position);

}  // namespace dermaflow::patient
