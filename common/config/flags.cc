#include "common/config/flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::common {

std::string EnvironmentNameForFlag(std::string_view flag_name) {
  return absl::StrCat("DERMAFLOW_",
                      absl::AsciiStrToUpper(absl::string_view(flag_name.data(), flag_name.size())));
}

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, std::string_view usage) {
  absl::SetProgramUsageMessage(absl::string_view(usage.data(), usage.size()));
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    std::string env_name = EnvironmentNameForFlag(std::string_view(name.data(), name.size()));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "invalid value in %s for --%s: %s\n", env_name.c_str(),
                   std::string(name).c_str(), error.c_str());
      std::exit(2);
    }
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace dermaflow::common
