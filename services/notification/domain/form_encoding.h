// application/x-www-form-urlencoded, both ways: what the Twilio channel
// posts and what SMS providers post back to the reply endpoint.
//
//   std::string form = absl::StrCat("To=", FormEscape(to), "&Body=", FormEscape(text));
//   std::map<std::string, std::string> fields = ParseForm(body);
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace dermaflow::notification {

// Every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex).
std::string FormEscape(absl::string_view text);

// '+' is a space, %XX a byte (a malformed escape stays as it is); a
// repeated key keeps its last value.
std::map<std::string, std::string> ParseForm(std::string_view body);

}  // namespace dermaflow::notification
