// Where a paginated list of the store resumes: strictly after this (time,
// id), in the list's order; the API seals it into its page tokens. A page
// looks at a bounded number of candidates (kListScanBudget).
//
//   ReminderPage page = ...;
//   if (page.next) token = Seal(page.next->time_ms, page.next->id);
#pragma once

#include <cstdint>
#include <string>

namespace dermaflow::notification {

struct ListCursor {
  int64_t time_ms = 0;
  std::string id;
};

// Most candidates one list page looks at before it returns what it found
// (ListReminders, ListDeliveries): a sparse filter over a big set continues
// from there on the next page rather than scan without bound.
inline constexpr int kListScanBudget = 5'000;

}  // namespace dermaflow::notification
