#include "tools/dermactl/cli.h"

#include <algorithm>
#include <memory>
#include <ostream>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/server/build_info.h"
#include "tools/dermactl/completion.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/error_printer.h"
#include "tools/dermactl/help_formatter.h"

namespace dermaflow::dermactl {
namespace {

constexpr char kUsagePayload[] = "dermactl/usage";

// A CLI11 option and the declaration it was made from.
struct Binding {
  const Option* option;
  CLI::Option* parsed;
};

// A runnable command in the tree.
struct Leaf {
  const Command* command;
  CLI::App* app;
  std::vector<Binding> options;
  CLI::Option* positional = nullptr;
};

std::string CheckNumber(const std::string& text) {
  int value = 0;
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
  if (digits && absl::SimpleAtoi(text, &value)) return "";
  return "expected a whole number, got '" + text + "'";
}

CLI::Option* AddOption(CLI::App& app, const Option& o) {
  std::string names = Flag(o.name);
  if (o.short_name != 0) names = absl::StrCat("-", std::string(1, o.short_name), ",", names);
  if (absl::StrContains(o.name, '_')) absl::StrAppend(&names, ",--", o.name);  // old spelling
  CLI::Option* opt = o.value.empty() ? app.add_flag(names) : app.add_option(names);
  opt->description(o.help)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  if (o.value.empty()) return opt;
  opt->type_name(o.value);
  if (o.value == "N") opt->check(CheckNumber);
  if (!o.choices.empty()) {
    opt->check([choices = o.choices](const std::string& text) -> std::string {
      if (std::find(choices.begin(), choices.end(), text) != choices.end()) return "";
      return "expected " + absl::StrJoin(choices, ", ") + ", got '" + text + "'";
    });
  }
  return opt;
}

// "patients create" from the CLI11 tree.
std::string PathOf(const CLI::App* app) {
  std::vector<std::string> words;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    words.push_back(app->get_name());
  }
  std::reverse(words.begin(), words.end());
  return absl::StrJoin(words, " ");
}

// Help of `app` with its whole path in the usage line ("dermactl patients").
std::string HelpOf(const CLI::App* app) {
  if (app->get_parent() == nullptr) return app->help();
  const std::string parent = PathOf(app->get_parent());
  return app->help(parent.empty() ? "dermactl" : "dermactl " + parent);
}

// The last subcommand the parser entered (the root when none).
CLI::App* Deepest(CLI::App* app) {
  while (!app->get_subcommands().empty()) app = app->get_subcommands().front();
  return app;
}

// CLI11 takes `--name=` as `--name` waiting for its value; dermactl has
// always read it as an empty value. `help COMMAND` is `COMMAND --help`.
std::vector<std::string> Normalize(int argc, char** argv) {
  std::vector<std::string> args;
  bool help = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      args.insert(args.end(), argv + i, argv + argc);
      break;
    }
    if (args.empty() && a == "help" && !help) {
      help = true;
    } else if (absl::StartsWith(a, "--") && absl::EndsWith(a, "=") && a.size() > 3) {
      args.push_back(a.substr(0, a.size() - 1));
      args.push_back("");
    } else {
      args.push_back(std::move(a));
    }
  }
  if (help) args.push_back("--help");
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  return args;
}

class Tree {
 public:
  explicit Tree(const std::vector<Command>& commands) : app_("", "dermactl") {
    app_.description("dermactl: reception and ops client for the dermaflow services.");
    app_.footer(
        "Exit codes: 0 ok, 1 the service returned an error, 2 usage error.\n"
        "One command's options: dermactl COMMAND --help. Shell completion: "
        "source <(dermactl completion bash)");
    app_.formatter(std::make_shared<HelpFormatter>());
    app_.allow_extras();  // reported below as "unknown option", "unexpected argument"
    const common::BuildInfo& build = common::GetBuildInfo();
    app_.set_version_flag("--version",
                          absl::StrCat("dermactl ", std::string(build.version), " (revision ",
                                       std::string(build.revision), ")"));
    for (const Option& o : GlobalOptions()) {
      CLI::Option* opt = AddOption(app_, o);
      opt->group("Global options (each also as DERMAFLOW_<OPTION>, e.g. DERMAFLOW_TOKEN)");
      opt->envname("DERMAFLOW_" + absl::AsciiStrToUpper(o.name));
      globals_.push_back({&o, opt});
    }
    for (const Command& c : commands) AddLeaf(c);
    completion_ = app_.add_subcommand("completion", "Print a shell completion script");
    completion_->fallthrough();
    completion_->add_option("SHELL")->required()->check([](const std::string& shell) {
      return shell == "bash" ? "" : "only bash is supported, got '" + shell + "'";
    });
    completion_->footer(
        "Example:\n  source <(dermactl completion bash)   # or save it under "
        "/etc/bash_completion.d/dermactl");
  }

  CLI::App& app() { return app_; }
  const std::vector<Binding>& globals() const { return globals_; }
  const CLI::App* completion() const { return completion_; }

  const Leaf* Selected() const {
    for (const Leaf& leaf : leaves_) {
      if (leaf.app->parsed()) return &leaf;
    }
    return nullptr;
  }

 private:
  void AddLeaf(const Command& c) {
    CLI::App* parent = &app_;
    std::vector<std::string> words = absl::StrSplit(c.name, ' ');
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      CLI::App* group = nullptr;
      for (CLI::App* sub : parent->get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name() == words[i]) group = sub;
      }
      if (group == nullptr) {
        group = parent->add_subcommand(words[i], "");
        group->fallthrough();
      }
      parent = group;
    }
    Leaf leaf{&c, parent->add_subcommand(words.back(), c.summary), {}};
    leaf.app->fallthrough();
    std::string footer = c.details;
    if (!footer.empty()) footer += "\n\n";
    footer +=
        "Global options (-o, --token, --timeout, --time-zone, --<service>-addr, --tls-ca): "
        "see dermactl --help.";
    leaf.app->footer(footer);
    if (c.max_args > 0) {
      leaf.positional = leaf.app->add_option(c.arguments);
      if (c.min_args > 0) leaf.positional->required();
    }
    for (const Option& o : c.options) {
      CLI::Option* opt = AddOption(*leaf.app, o);
      if (std::find(c.required.begin(), c.required.end(), o.name) != c.required.end()) {
        opt->required();
      }
      leaf.options.push_back({&o, opt});
    }
    leaves_.push_back(std::move(leaf));
  }

  CLI::App app_;
  std::vector<Binding> globals_;
  CLI::App* completion_ = nullptr;
  std::vector<Leaf> leaves_;
};

// Copies what was given into Args; a switch's value must read as a boolean.
absl::Status Collect(const std::vector<Binding>& bindings, Args& args) {
  for (const Binding& b : bindings) {
    if (b.parsed->count() == 0) continue;
    if (!b.option->value.empty()) {
      args.Set(b.option->name, b.parsed->as<std::string>());
      continue;
    }
    try {
      args.Set(b.option->name, b.parsed->as<bool>() ? "true" : "false");
    } catch (const CLI::ConversionError&) {
      return UsageError(absl::StrCat(Flag(b.option->name), ": expected true or false, got '",
                                     b.parsed->results().back(), "'"));
    }
  }
  return absl::OkStatus();
}

int Usage(const std::string& path, const CLI::App& app, const std::string& message,
          std::ostream& err) {
  err << "dermactl" << (path.empty() ? "" : " ") << path << ": " << message << "\n"
      << "Usage: dermactl" << (path.empty() ? "" : " ") << path;
  for (const CLI::Option* p :
       app.get_options([](const CLI::Option* o) { return o->get_positional(); }))
    err << " " << p->get_name();
  err << " [options]   (--help for details)\n";
  return 2;
}

}  // namespace

std::string Flag(const std::string& name) { return "--" + absl::StrReplaceAll(name, {{"_", "-"}}); }

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

bool Args::Switch(const std::string& name) const {
  auto it = values_.find(name);
  return it != values_.end() && it->second == "true";
}

int Args::Number(const std::string& name, int fallback) const {
  int value = fallback;
  if (Has(name) && !absl::SimpleAtoi(Get(name), &value)) return fallback;
  return value;
}

absl::Status UsageError(const std::string& message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

void CommandSet::Add(Command command) { commands_.push_back(std::move(command)); }

int CommandSet::Main(int argc, char** argv, std::ostream& out, std::ostream& err) const {
  Tree tree(commands_);
  CLI::App& app = tree.app();
  std::vector<std::string> tokens = Normalize(argc, argv);
  const bool no_arguments = tokens.empty();
  try {
    app.parse(tokens);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion& version) {
    out << version.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    CLI::App* at = Deepest(&app);
    return Usage(PathOf(at), *at, e.what(), err);
  }

  const Leaf* leaf = tree.Selected();
  CLI::App* at = Deepest(&app);
  const std::string path = PathOf(at);
  std::vector<std::string> extras = app.remaining(true);
  if (leaf == nullptr && at != tree.completion()) {
    bool unknown_word = !extras.empty() && !absl::StartsWith(extras.front(), "-");
    if (unknown_word) {
      err << "dermactl: unknown command '" << (path.empty() ? "" : path + " ") << extras.front()
          << "' (dermactl --help lists the commands)\n";
      return 2;
    }
    // `dermactl` alone shows the commands; a group alone ("patients") its own.
    (no_arguments ? out : err) << HelpOf(at);
    return 2;
  }
  if (!extras.empty()) {
    const std::string& extra = extras.front();
    return Usage(path, *at,
                 absl::StartsWith(extra, "-") ? "unknown option " + extra.substr(0, extra.find('='))
                                              : "unexpected argument '" + extra + "'",
                 err);
  }
  if (leaf == nullptr) {  // completion
    out << BashCompletion(app);
    return 0;
  }

  Args args;
  absl::Status collected = Collect(tree.globals(), args);
  if (collected.ok()) collected = Collect(leaf->options, args);
  if (!collected.ok()) return Usage(path, *at, std::string(collected.message()), err);
  if (leaf->positional != nullptr && leaf->positional->count() > 0) {
    args.AddPositional(leaf->positional->as<std::string>());
  }
  absl::StatusOr<Settings> settings = SettingsFrom(args);
  if (!settings.ok()) return Usage(path, *at, std::string(settings.status().message()), err);
  Context ctx(*settings, out, err);
  absl::Status status = leaf->command->run(ctx, args);
  if (status.ok()) return 0;
  if (IsUsageError(status)) return Usage(path, *at, std::string(status.message()), err);
  PrintError(status, *leaf->command, ctx);
  return 1;
}

}  // namespace dermaflow::dermactl
