#include "services/patient/domain/patient_index.h"

#include "absl/strings/ascii.h"
#include "services/patient/domain/text_folding.h"

namespace dermaflow::patient {
namespace {

// Names, ids, phones and e-mails never hold control characters
// (patient_validation.h), so these separators sort below every character
// they could contain: "mai\x01..." < "maier\x01...".
constexpr char kValueEnd = '\x00';
constexpr char kPartEnd = '\x01';
// Never a byte of UTF-8, so "(" prefix + kAfterAll bounds every extension.
constexpr char kAfterAll = '\xff';

std::string ValuePrefix(const IndexScan& scan) {
  if (scan.index == PatientIndex::kName) return "";
  std::string prefix = scan.value;
  prefix.push_back(kValueEnd);
  return prefix;
}

}  // namespace

std::string_view IndexName(PatientIndex index) {
  switch (index) {
    case PatientIndex::kName:
      return "name";
    case PatientIndex::kPhone:
      return "phone";
    case PatientIndex::kEmail:
      return "email";
    case PatientIndex::kHomeClinic:
      return "clinic";
  }
  return "name";
}

std::string ListPosition(const v1::Patient& patient) {
  std::string position = FoldForSearch(patient.family_name());
  position.push_back(kPartEnd);
  position += FoldForSearch(patient.given_name());
  position.push_back(kPartEnd);
  position += patient.id();
  return position;
}

std::array<std::string, 4> IndexMembers(const v1::Patient& patient) {
  const std::string position = ListPosition(patient);
  const auto member = [&](const std::string& value) {
    if (value.empty()) return std::string();
    std::string m = value;
    m.push_back(kValueEnd);
    return m + position;
  };
  return {position, member(patient.contact().phone()),
          member(NormalizeEmail(patient.contact().email())), member(patient.home_clinic_id())};
}

std::string NormalizeEmail(std::string_view email) {
  return absl::AsciiStrToLower(std::string(email));
}

LexRange ScanRange(const IndexScan& scan) {
  const std::string base = ValuePrefix(scan) + scan.name_prefix;
  LexRange range;
  if (!scan.after.empty()) {
    range.min = "(" + ValuePrefix(scan) + scan.after;
  } else {
    range.min = base.empty() ? "-" : "[" + base;
  }
  range.max = base.empty() ? "+" : "(" + base + kAfterAll;
  return range;
}

std::string_view PositionOfMember(PatientIndex index, std::string_view member) {
  if (index == PatientIndex::kName) return member;
  const size_t end = member.find(kValueEnd);
  return end == std::string_view::npos ? std::string_view() : member.substr(end + 1);
}

std::string_view IdOfPosition(std::string_view position) {
  const size_t end = position.rfind(kPartEnd);
  return end == std::string_view::npos ? std::string_view() : position.substr(end + 1);
}

}  // namespace dermaflow::patient
