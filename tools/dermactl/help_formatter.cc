#include "tools/dermactl/help_formatter.h"

#include <sstream>

namespace dermaflow::dermactl {
namespace {

// "patients show PATIENT_ID": a command's words and its positional argument.
std::string Synopsis(const CLI::App* app, const std::string& prefix) {
  std::string out = prefix + app->get_name();
  for (const CLI::Option* p :
       app->get_options([](const CLI::Option* o) { return o->get_positional(); }))
    out += " " + p->get_name();
  return out;
}

std::vector<const CLI::App*> Named(const CLI::App* app) {
  return app->get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

}  // namespace

HelpFormatter::HelpFormatter() {
  column_width(36);
  label("OPTIONS", "options");
  label("SUBCOMMAND", "COMMAND");
}

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  if (is_positional) return opt->get_name();
  std::string out;
  for (const std::string& s : opt->get_snames()) out += "-" + s + ", ";
  return out + "--" + opt->get_lnames().front();
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (opt->get_type_name().empty() || opt->get_positional()) return "";  // a switch
  return "=" + opt->get_type_name();
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
  return opt->get_description() + (opt->get_required() ? " (required)" : "");
}

std::string HelpFormatter::make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const {
  std::vector<const CLI::App*> subs = Named(app);
  if (subs.empty()) return "";
  std::ostringstream out;
  out << "\nCommands:\n";
  for (const CLI::App* sub : subs) {
    std::vector<const CLI::App*> leaves = Named(sub);
    if (leaves.empty()) {
      CLI::detail::format_help(out, Synopsis(sub, ""), sub->get_description(), column_width_);
    }
    for (const CLI::App* leaf : leaves) {
      CLI::detail::format_help(out, Synopsis(leaf, sub->get_name() + " "), leaf->get_description(),
                               column_width_);
    }
  }
  return out.str();
}

}  // namespace dermaflow::dermactl
