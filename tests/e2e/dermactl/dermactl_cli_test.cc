// dermactl's command line on the real command tree, without services (label
// unit): kebab-case flags with the snake_case spellings still accepted,
// strict numbers, -o checked, --version from the build info, usage errors
// that name the flag (exit 2), the bash completion script run in bash, and
// the YAML emitter behind -o yaml.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/server/build_info.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tools/dermactl/cli.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/yaml.h"

namespace dermaflow::dermactl {
namespace {

struct Result {
  int code;
  std::string out;
  std::string err;
};

class DermactlCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"DERMAFLOW_OUTPUT", "DERMAFLOW_JSON", "DERMAFLOW_TOKEN"}) {
      unsetenv(name);
    }
  }

  // dermactl ARGS... through the same CommandSet main.cc builds.
  static Result Run(std::vector<std::string> args) {
    CommandSet commands;
    RegisterCommands(commands);
    args.insert(args.begin(), "dermactl");
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (std::string& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    int code = commands.Main(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
  }

  // A file in the test's temporary directory.
  static std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = absl::StrCat(::testing::TempDir(), "/", name);
    std::ofstream(path) << content;
    return path;
  }
};

TEST_F(DermactlCliTest, NumbersAreParsedStrictly) {
  // Before CLI11, --session=abc silently became session 0.
  Result r = Run({"book", "--patient=p", "--protocol=p", "--clinic=c", "--practitioner=d",
                  "--start=now", "--session=abc"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--session: expected a whole number, got 'abc'")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "Usage: dermactl book")) << r.err;

  for (const char* bad :
       {"--days=3x", "--days=-1", "--days=", "--limit=1.5", "--limit=99999999999"}) {
    r = Run({"slots", "--clinic=c", "--protocol=p", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_TRUE(absl::StrContains(r.err, "expected a whole number")) << bad << ": " << r.err;
  }
  r = Run({"reminders", "watch", "--count", "ten"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--count")) << r.err;
}

TEST_F(DermactlCliTest, KebabCaseFlagsAndTheOldSnakeCaseSpellings) {
  const std::string key = WriteFile("hs256.key", std::string(40, 'k'));
  for (const std::string& flag : {"--jwt-hs256-key-file=", "--jwt_hs256_key_file="}) {
    Result r = Run({"token", flag + key, "--organization=chain-1", "--roles=ops"});
    ASSERT_EQ(r.code, 0) << flag << ": " << r.err;
    std::vector<std::string> parts = absl::StrSplit(absl::StripAsciiWhitespace(r.out), '.');
    EXPECT_EQ(parts.size(), 3u) << "a JWT: " << r.out;
  }
  // Both spellings of the same option are one option: the later value wins.
  Result r = Run({"patients", "create", "--given_name=Anna", "--family-name=Müller"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--birth-date is required")) << r.err;

  r = Run({"patients", "create", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(absl::StrContains(r.out, "--given-name=TEXT")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "(required)")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "--given_name")) << "aliases stay out of help: " << r.out;
}

TEST_F(DermactlCliTest, UsageErrorsNameWhatToFix) {
  Result r = Run({"patients", "list", "--colour=red"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "unknown option --colour")) << r.err;

  r = Run({"patiens", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "unknown command 'patiens'")) << r.err;

  r = Run({"patients", "show", "a", "b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "unexpected argument 'b'")) << r.err;

  r = Run({"-o", "xml", "clinics", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--output: expected table, json, yaml, got 'xml'")) << r.err;

  r = Run({"practitioners", "create", "--name=x", "--clinics=c", "--physician=maybe"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--physician: expected true or false")) << r.err;

  r = Run({"patients"});  // a group alone: its commands, on stderr
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "consent PATIENT_ID")) << r.err;
}

TEST_F(DermactlCliTest, VersionIsTheBuildInfo) {
  const common::BuildInfo& build = common::GetBuildInfo();
  Result r = Run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, absl::StrCat("dermactl ", std::string(build.version), " (revision ",
                                std::string(build.revision), ")\n"));
}

TEST_F(DermactlCliTest, HelpListsEveryCommand) {
  Result r = Run({"help"});
  EXPECT_EQ(r.code, 0);
  for (const char* line : {"patients create", "appointments show APPOINTMENT_ID", "queue-stats",
                           "completion SHELL", "-o, --output=table|json|yaml"}) {
    EXPECT_TRUE(absl::StrContains(r.out, line)) << line << " in\n" << r.out;
  }
}

// Runs the generated script in bash the way bash does on TAB: COMP_WORDS up
// to the word being completed, then prints COMPREPLY.
std::string Complete(const std::string& script, const std::string& words) {
  const std::string command = absl::StrCat(
      "bash -c 'source \"$0\"; COMP_WORDS=(", words,
      "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _dermactl; echo \"${COMPREPLY[*]}\"' ", script);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "(popen failed)";
  std::string out;
  char buffer[4096];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  pclose(pipe);
  return std::string(absl::StripTrailingAsciiWhitespace(out));
}

TEST_F(DermactlCliTest, BashCompletionFollowsTheCommandTree) {
  Result r = Run({"completion", "bash"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "complete -F _dermactl dermactl")) << r.out;
  const std::string script = WriteFile("dermactl.bash", r.out);

  EXPECT_EQ(Complete(script, "dermactl pat"), "patients");
  EXPECT_EQ(Complete(script, "dermactl patients c"), "create consent");
  EXPECT_EQ(Complete(script, "dermactl patients create --given"), "--given-name");
  EXPECT_EQ(Complete(script, "dermactl -o \"\""), "table json yaml");
  EXPECT_EQ(Complete(script, "dermactl --output = y"), "yaml");  // bash splits at '='
  EXPECT_EQ(Complete(script, "dermactl --token abc patients consent P1 --state \"\""),
            "given withdrawn");
  EXPECT_EQ(Complete(script, "dermactl dead-letters list --page-s"), "--page-size");
  EXPECT_EQ(Complete(script, "dermactl reminders watch --to"), "--token") << "global flags too";

  r = Run({"completion", "zsh"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "only bash")) << r.err;
}

TEST(DermactlYamlTest, BlockStyleWithSortedKeysAndSafeQuoting) {
  google::protobuf::Value value;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"name": "Müller", "zip": "10117", "answer": "no", "phone": "+4915112345678",
                      "start": "2026-11-24T09:00:00Z", "version": 3, "ratio": 0.5, "ok": true,
                      "empty": "", "none": [], "nested": {"b": 1, "a": "x: y"},
                      "items": [{"id": "a1", "tags": ["t1", "t2"]}, "plain", [1, 2]],
                      "body": "Hallo Anna,\nbis bald.\n"})",
                  &value)
                  .ok());
  EXPECT_EQ(ValueToYaml(value),
            "answer: \"no\"\n"
            "body: |\n"
            "  Hallo Anna,\n"
            "  bis bald.\n"
            "empty: \"\"\n"
            "items:\n"
            "- id: a1\n"
            "  tags:\n"
            "  - t1\n"
            "  - t2\n"
            "- plain\n"
            "- - 1\n"
            "  - 2\n"
            "name: Müller\n"
            "nested:\n"
            "  a: \"x: y\"\n"
            "  b: 1\n"
            "none: []\n"
            "ok: true\n"
            "phone: \"+4915112345678\"\n"
            "ratio: 0.5\n"
            "start: \"2026-11-24T09:00:00Z\"\n"
            "version: 3\n"
            "zip: \"10117\"\n");
}

TEST(DermactlYamlTest, MessagesUseTheirJsonNames) {
  patient::v1::Patient p;
  p.set_id("p1");
  p.set_family_name("Müller");
  p.mutable_birth_date()->set_year(1988);
  p.mutable_birth_date()->set_month(4);
  p.mutable_birth_date()->set_day(12);
  p.set_preferred_channel(patient::v1::CHANNEL_IN_APP);
  absl::StatusOr<std::string> yaml = MessageToYaml(p);
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  EXPECT_EQ(*yaml,
            "birthDate:\n  day: 12\n  month: 4\n  year: 1988\n"
            "familyName: Müller\nid: p1\npreferredChannel: CHANNEL_IN_APP\n");
  EXPECT_EQ(*MessageToYaml(patient::v1::Patient()), "{}\n");
}

}  // namespace
}  // namespace dermaflow::dermactl
