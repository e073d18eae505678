// Command-line flags with environment fallbacks.
//
// Every flag `--some_flag` may also be set as DERMAFLOW_SOME_FLAG; the command
// line wins over the environment, the environment over the default. The same
// names appear in the Helm values and the kustomize ConfigMap.
//
//   int main(int argc, char** argv) {
//     std::vector<char*> rest = ParseFlagsWithEnvironment(argc, argv, "usage");
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dermaflow::common {

// "redis_url" -> "DERMAFLOW_REDIS_URL".
std::string EnvironmentNameForFlag(std::string_view flag_name);

// Applies DERMAFLOW_* environment variables to the registered flags, then
// parses argv. Exits with a message naming the variable on a bad value.
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, std::string_view usage);

}  // namespace dermaflow::common
