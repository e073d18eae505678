// `dermactl completion bash`: a bash completion script generated from the
// CLI11 command tree, so it always offers exactly the commands and flags this
// binary accepts — command words, kebab-case flags (global ones everywhere),
// the values of flags whose placeholder lists them ("table|json|yaml",
// "given|withdrawn") and file names for FILE placeholders.
//
//   source <(dermactl completion bash)
#pragma once

#include <string>

#include "CLI/CLI.hpp"

namespace dermaflow::dermactl {

std::string BashCompletion(const CLI::App& root);

}  // namespace dermaflow::dermactl
