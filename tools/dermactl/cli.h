// dermactl's command line: a registry of subcommands ("patients create"),
// each with its own options and --help, plus the global connection options
// every command shares. Parsing is ours rather than absl flags so that each
// subcommand has its own option set and help text.
//
//   CommandSet commands;
//   RegisterPatientCommands(commands);
//   return commands.Main(argc, argv);  // 0 ok, 1 RPC error, 2 usage error
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace dermaflow::dermactl {

class Context;

// One `--name=value` (or `--name value`) option; `value` is the placeholder
// shown in help, empty for a switch such as `--json`.
struct Option {
  std::string name;
  std::string value;
  std::string help;
};

// The options and positional arguments given to one command.
class Args {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  const std::string& arg(size_t i) const { return positional_.at(i); }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool Switch(const std::string& name) const;

  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  void AddPositional(std::string value) { positional_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

struct Command {
  std::string name;       // words after "dermactl", e.g. "patients create"
  std::string summary;    // one line for the command list
  std::string arguments;  // positional placeholders for usage, e.g. "PATIENT_ID"
  size_t min_args = 0;
  size_t max_args = 0;
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
  const Command* Find(const std::vector<std::string>& words, size_t* used) const;
  void PrintOverview(std::ostream& out, const std::string& group) const;
  void PrintHelp(const Command& command, std::ostream& out) const;

  std::vector<Command> commands_;
};

}  // namespace dermaflow::dermactl
