// dermactl's command line on CLI11: each command ("patients create") is
// declared once as a Command (options, help, handler) and CommandSet turns the
// declarations into a CLI11 command tree with kubectl/gh habits — kebab-case
// flags (the snake_case spellings stay accepted as aliases), strict numbers,
// `-o table|json|yaml`, `--version`, and `completion bash` generated from the
// same tree.
//
//   CommandSet commands;
//   RegisterPatientCommands(commands);
//   return commands.Main(argc, argv, std::cout, std::cerr);  // 0 ok, 1 RPC error, 2 usage
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace dermaflow::dermactl {

class Context;

// One option. `name` is the snake_case key the handler reads ("given_name");
// on the command line it is `--given-name` (and `--given_name`). `value` is
// the placeholder shown in help: empty for a switch (`--physician`), "N" for
// a whole number (checked while parsing: `--session=abc` is a usage error),
// anything else for text that the handler parses. `choices`, when given,
// are the only values accepted (and offered by shell completion).
struct Option {
  std::string name;
  std::string value;
  std::string help;
  char short_name = 0;  // e.g. 'o' for -o
  std::vector<std::string> choices = {};
};

// "given_name" -> "--given-name": how a flag is spelled in help and messages.
std::string Flag(const std::string& name);

// The options and positional arguments given to one command.
class Args {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  const std::string& arg(size_t i) const { return positional_.at(i); }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool Switch(const std::string& name) const;
  // An "N" option; the parser accepted only whole numbers for it.
  int Number(const std::string& name, int fallback = 0) const;

  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  void AddPositional(std::string value) { positional_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

struct Command {
  std::string name;       // words after "dermactl", e.g. "patients create"
  std::string summary;    // one line for the command list
  std::string arguments;  // positional placeholder, e.g. "PATIENT_ID"
  size_t min_args = 0;    // 0 or 1
  size_t max_args = 0;    // 0 or 1
  std::vector<Option> options;
  std::vector<std::string> required;  // options that must be given
  std::string details;                // more help: semantics, examples
  std::function<absl::Status(Context&, const Args&)> run;
};

// A usage error: exit code 2 and the command's usage line.
absl::Status UsageError(const std::string& message);
bool IsUsageError(const absl::Status& status);

class CommandSet {
 public:
  void Add(Command command);
  // Parses argv, runs the command, prints errors; returns the exit code.
  int Main(int argc, char** argv, std::ostream& out, std::ostream& err) const;

 private:
  std::vector<Command> commands_;
};

}  // namespace dermaflow::dermactl
