// How `dermactl ... --help` reads: options under their kebab-case name only
// (`--given-name=TEXT`, the snake_case alias is accepted but not shown),
// "(required)" after the description, and the command list flattened one
// level, so `dermactl --help` shows every command ("patients create") with
// its summary rather than only the groups.
//
//   app.formatter(std::make_shared<HelpFormatter>());
#pragma once

#include <string>

#include "CLI/CLI.hpp"

namespace dermaflow::dermactl {

class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();

  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_option_desc(const CLI::Option* opt) const override;
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override;
  // The usage line names the positional argument; no section of its own.
  std::string make_positionals(const CLI::App*) const override { return ""; }
};

}  // namespace dermaflow::dermactl
