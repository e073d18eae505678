#include "tools/dermactl/completion.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace dermaflow::dermactl {
namespace {

// What the script knows about one command path ("" is dermactl itself).
struct Node {
  std::string path;
  std::vector<std::string> commands;     // words that may follow
  std::vector<std::string> flags;        // offered: first long name (and short)
  std::vector<std::string> value_flags;  // every spelling of flags that take a value
  std::vector<std::pair<std::string, std::string>> values;  // flag -> "a b c" or "__file__"
};

// The values a placeholder names: "table|json|yaml" -> "table json yaml";
// upper-case parts are descriptions ("none|SUBSTANCES" -> "none").
std::string ValuesOf(const std::string& placeholder) {
  if (placeholder == "FILE") return "__file__";
  std::vector<std::string> values;
  if (placeholder.find('|') == std::string::npos) return "";
  for (absl::string_view v : absl::StrSplit(placeholder, '|')) {
    if (!v.empty() && absl::AsciiStrToLower(v) == v) values.emplace_back(v);
  }
  return absl::StrJoin(values, " ");
}

// `inherited`: the root's options offered after a command — the global
// ones, not --help and --version of dermactl itself.
void AddOptions(const CLI::App& app, bool inherited, Node& node) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) continue;
    const std::string& name = opt->get_lnames().front();
    if (inherited && (name == "help" || name == "version")) continue;
    std::vector<std::string> spellings;
    for (const std::string& s : opt->get_snames()) spellings.push_back("-" + s);
    for (const std::string& l : opt->get_lnames()) spellings.push_back("--" + l);
    node.flags.push_back("--" + opt->get_lnames().front());
    if (opt->get_type_name().empty()) continue;  // a switch
    const std::string values = ValuesOf(opt->get_type_name());
    for (const std::string& s : spellings) {
      node.value_flags.push_back(s);
      if (!values.empty()) node.values.emplace_back(s, values);
    }
  }
}

void Visit(const CLI::App& app, const CLI::App& root, const std::string& path,
           std::vector<Node>& nodes) {
  Node node{.path = path};
  AddOptions(app, /*inherited=*/false, node);
  if (&app != &root) AddOptions(root, /*inherited=*/true, node);  // global options work here too
  std::vector<const CLI::App*> subs =
      app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
  for (const CLI::App* sub : subs) node.commands.push_back(sub->get_name());
  nodes.push_back(std::move(node));
  for (const CLI::App* sub : subs) {
    Visit(*sub, root, path.empty() ? sub->get_name() : path + " " + sub->get_name(), nodes);
  }
}

}  // namespace

std::string BashCompletion(const CLI::App& root) {
  std::vector<Node> nodes;
  Visit(root, root, "", nodes);
  std::string paths = "|";
  std::string commands, flags, value_flags, values;
  for (const Node& n : nodes) {
    absl::StrAppend(&paths, n.path, "|");
    if (!n.commands.empty()) {
      absl::StrAppend(&commands, "    \"", n.path, "\") echo \"", absl::StrJoin(n.commands, " "),
                      "\" ;;\n");
    }
    absl::StrAppend(&flags, "    \"", n.path, "\") echo \"", absl::StrJoin(n.flags, " "),
                    "\" ;;\n");
    absl::StrAppend(&value_flags, "    \"", n.path, "\") echo \" ",
                    absl::StrJoin(n.value_flags, " "), " \" ;;\n");
    for (const auto& [flag, list] : n.values) {
      absl::StrAppend(&values, "    \"", n.path, ":", flag, "\") echo \"", list, "\" ;;\n");
    }
  }
  return absl::StrCat(
      "# bash completion for dermactl, generated from its command tree by\n"
      "# `dermactl completion bash`. Use: source <(dermactl completion bash)\n"
      "_dermactl_paths='",
      paths,
      "'\n"
      "_dermactl_commands() {\n  case \"$1\" in\n",
      commands,
      "  esac\n}\n"
      "_dermactl_flags() {\n  case \"$1\" in\n",
      flags,
      "  esac\n}\n"
      "_dermactl_value_flags() {\n  case \"$1\" in\n",
      value_flags,
      "  esac\n}\n"
      "_dermactl_values() {\n  case \"$1\" in\n",
      values,
      "  esac\n}\n"
      R"bash(_dermactl() {
  local cur="${COMP_WORDS[COMP_CWORD]}" path="" w i skip=0
  # The command path so far: words that extend a known path; values skipped.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    if [[ $w == "=" ]]; then skip=1; continue; fi
    if [[ $w == -* ]]; then
      [[ ${COMP_WORDS[i+1]} != "=" && $(_dermactl_value_flags "$path") == *" ${w%%=*} "* && $w != *=* ]] && skip=1
      continue
    fi
    [[ $_dermactl_paths == *"|${path:+$path }$w|"* ]] && path="${path:+$path }$w"
  done
  # The value of a flag: after "--flag " or "--flag=" (bash splits at '=').
  local flag="${COMP_WORDS[COMP_CWORD-1]}"
  [[ $cur == "=" ]] && cur=""
  [[ $flag == "=" ]] && flag="${COMP_WORDS[COMP_CWORD-2]}"
  [[ ${COMP_WORDS[COMP_CWORD]} == "=" ]] && flag="${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $flag == -* && $(_dermactl_value_flags "$path") == *" $flag "* ]]; then
    local values; values=$(_dermactl_values "$path:$flag")
    if [[ $values == __file__ ]]; then
      COMPREPLY=($(compgen -f -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$values" -- "$cur"))
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_dermactl_flags "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_dermactl_commands "$path")" -- "$cur"))
  fi
}
complete -F _dermactl dermactl
)bash");
}

}  // namespace dermaflow::dermactl
