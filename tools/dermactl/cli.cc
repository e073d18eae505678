#include "tools/dermactl/cli.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/error_printer.h"

namespace dermaflow::dermactl {
namespace {

constexpr char kUsagePayload[] = "dermactl/usage";

const Option* FindOption(const std::vector<Option>& options, const std::string& name) {
  for (const Option& o : options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

void PrintOptions(const std::vector<Option>& options, const std::vector<std::string>& required,
                  std::ostream& out) {
  size_t width = 0;
  std::vector<std::string> lefts;
  for (const Option& o : options) {
    lefts.push_back(o.value.empty() ? "--" + o.name : "--" + o.name + "=" + o.value);
    width = std::max(width, lefts.back().size());
  }
  for (size_t i = 0; i < options.size(); ++i) {
    bool is_required =
        std::find(required.begin(), required.end(), options[i].name) != required.end();
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << lefts[i]
        << options[i].help << (is_required ? " (required)" : "") << "\n";
  }
}

}  // namespace

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

bool Args::Switch(const std::string& name) const {
  auto it = values_.find(name);
  return it != values_.end() && it->second != "false" && it->second != "0";
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

const Command* CommandSet::Find(const std::vector<std::string>& words, size_t* used) const {
  for (size_t n = std::min<size_t>(words.size(), 2); n > 0; --n) {
    std::string name = absl::StrJoin(words.begin(), words.begin() + n, " ");
    for (const Command& c : commands_) {
      if (c.name == name) {
        *used = n;
        return &c;
      }
    }
  }
  return nullptr;
}

void CommandSet::PrintOverview(std::ostream& out, const std::string& group) const {
  out << "dermactl: reception and ops client for the dermaflow services.\n\n"
      << "Usage: dermactl [global options] COMMAND [arguments] [options]\n"
      << "       dermactl COMMAND --help\n\nCommands:\n";
  size_t width = 0;
  for (const Command& c : commands_)
    width = std::max(width, c.name.size() + c.arguments.size() + 1);
  for (const Command& c : commands_) {
    if (!group.empty() && !absl::StartsWith(c.name, group + " ") && c.name != group) continue;
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2)
        << absl::StrCat(c.name, c.arguments.empty() ? "" : " ", c.arguments) << c.summary << "\n";
  }
  out << "\nGlobal options (each also as DERMAFLOW_<OPTION> in the environment):\n";
  PrintOptions(GlobalOptions(), {}, out);
  out << "\nExit codes: 0 ok, 1 the service returned an error, 2 usage error.\n";
}

void CommandSet::PrintHelp(const Command& c, std::ostream& out) const {
  out << "Usage: dermactl " << c.name << (c.arguments.empty() ? "" : " ") << c.arguments
      << (c.options.empty() ? "" : " [options]") << "\n\n"
      << c.summary << "\n";
  if (!c.details.empty()) out << "\n" << c.details << "\n";
  if (!c.options.empty()) {
    out << "\nOptions:\n";
    PrintOptions(c.options, c.required, out);
  }
  out << "\nGlobal options: --json, --token, --timeout, --time_zone, --<service>_addr, --tls_ca "
         "(see dermactl --help).\n";
}

int CommandSet::Main(int argc, char** argv, std::ostream& out, std::ostream& err) const {
  std::vector<std::string> tokens(argv + 1, argv + argc);
  const std::vector<Option>& globals = GlobalOptions();

  // Command words come first (global options may precede them).
  std::vector<std::string> words;
  size_t i = 0;
  bool help = false;
  for (; i < tokens.size() && words.size() < 2; ++i) {
    const std::string& t = tokens[i];
    if (t == "--help" || t == "-h" || t == "help") {
      help = true;
      continue;
    }
    if (absl::StartsWith(t, "--")) {
      std::string name =
          t.substr(2, t.find('=') == std::string::npos ? std::string::npos : t.find('=') - 2);
      const Option* g = FindOption(globals, name);
      if (g == nullptr) break;  // a command option: the command must be complete
      if (!g->value.empty() && t.find('=') == std::string::npos) ++i;  // skip its value
      continue;
    }
    words.push_back(t);
    size_t used = 0;
    const Command* c = Find(words, &used);
    if (c != nullptr && used == words.size()) {
      bool is_group = std::any_of(commands_.begin(), commands_.end(), [&](const Command& o) {
        return absl::StartsWith(o.name, c->name + " ");
      });
      if (!is_group) {
        ++i;
        break;
      }
    }
  }
  size_t used = 0;
  const Command* command = words.empty() ? nullptr : Find(words, &used);
  if (command == nullptr || used != words.size()) {
    std::string group = words.empty() ? "" : words[0];
    bool known_group = std::any_of(commands_.begin(), commands_.end(), [&](const Command& c) {
      return absl::StartsWith(c.name, group + " ");
    });
    if (help || words.empty() || (known_group && words.size() == 1)) {
      PrintOverview(help || words.empty() ? out : err, known_group ? group : "");
      return help ? 0 : 2;
    }
    err << "dermactl: unknown command '" << absl::StrJoin(words, " ")
        << "' (dermactl --help lists the commands)\n";
    return 2;
  }

  // Everything from the start: global options before the command words count too.
  Args args;
  auto fail = [&](const std::string& message) {
    err << "dermactl " << command->name << ": " << message << "\n"
        << "Usage: dermactl " << command->name << (command->arguments.empty() ? "" : " ")
        << command->arguments << " [options]   (--help for details)\n";
    return 2;
  };
  bool positional_only = false;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const std::string& t = tokens[k];
    if (k < i && !absl::StartsWith(t, "--")) continue;  // command words (and `help`)
    if (positional_only || !absl::StartsWith(t, "--") || t == "--") {
      if (t == "--" && !positional_only) {
        positional_only = true;
        continue;
      }
      if (t == "-h") {
        help = true;
        continue;
      }
      args.AddPositional(t);
      continue;
    }
    if (t == "--help") {
      help = true;
      continue;
    }
    size_t eq = t.find('=');
    std::string name = t.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Option* o = FindOption(command->options, name);
    if (o == nullptr) o = FindOption(globals, name);
    if (o == nullptr) return fail("unknown option --" + name);
    if (eq != std::string::npos) {
      args.Set(name, t.substr(eq + 1));
    } else if (o->value.empty()) {
      args.Set(name, "true");
    } else if (k + 1 < tokens.size()) {
      args.Set(name, tokens[++k]);
    } else {
      return fail("--" + name + " needs a value (" + o->value + ")");
    }
  }
  if (help) {
    PrintHelp(*command, out);
    return 0;
  }
  for (const std::string& r : command->required) {
    if (args.Get(r).empty()) return fail("--" + r + " is required");
  }
  if (args.positional().size() < command->min_args) {
    return fail("missing " + command->arguments);
  }
  if (args.positional().size() > command->max_args) {
    return fail("unexpected argument '" + args.positional()[command->max_args] + "'");
  }

  absl::StatusOr<Settings> settings = SettingsFrom(args);
  if (!settings.ok()) return fail(std::string(settings.status().message()));
  Context ctx(*settings, out, err);
  absl::Status status = command->run(ctx, args);
  if (status.ok()) return 0;
  if (IsUsageError(status)) return fail(std::string(status.message()));
  PrintError(status, *command, ctx);
  return 1;
}

}  // namespace dermaflow::dermactl
