// dermactl against the running suite: exit codes (0 ok, 1 RPC error, 2
// usage), the reception flow (seed, clinic, practitioner, room, patient,
// screen, slots, book), -o json / -o yaml output that reads back as the API's
// messages, and error output that names the gRPC code, the bad field and its
// option. Its command line alone: dermactl_cli_test.cc.
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/e2e/support/shell.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

using Result = ShellResult;

class DermactlTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  // Runs build/bin/dermactl with the suite's addresses and token in the
  // environment, as a user would export them.
  Result Run(const std::vector<std::string>& args, bool with_token = true) {
    std::vector<std::pair<std::string, std::string>> env;
    for (const auto& e : suite_.ClientEnvironment()) {
      if (e.first != "DERMAFLOW_TOKEN" || with_token) env.push_back(e);
    }
    std::vector<std::string> argv = {std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermactl"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunShell(argv, env, {"DERMAFLOW_TOKEN", "DERMAFLOW_OUTPUT", "DERMAFLOW_JSON"});
  }

  template <typename M>
  M Json(const std::string& text) {
    M message;
    auto status = google::protobuf::util::JsonStringToMessage(text, &message);
    EXPECT_TRUE(status.ok()) << text;
    return message;
  }

  Suite suite_;
};

TEST_F(DermactlTest, UsageErrorsExitTwoAndSayWhatToFix) {
  Result r = Run({"patients", "create", "--given-name=Anna"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--family-name is required")) << r.err;

  r = Run({"complete", "appt-1", "--side_effects=purple"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "bruising")) << "lists the valid values: " << r.err;

  r = Run({"patients", "list", "--colour=red"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "unknown option --colour")) << r.err;

  r = Run({"book", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(absl::StrContains(r.out, "--start=TIME")) << r.out;
}

TEST_F(DermactlTest, ReceptionFlowFromSeedToBooking) {
  Result r = Run({"--json", "protocols", "seed"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string hydralift;
  const auto seeded = Json<prv1::SeedCatalogResponse>(r.out);
  for (const auto& p : seeded.created()) {
    if (p.source().catalog_key() == "mesotherapy_hydralift") hydralift = p.id();
  }
  ASSERT_FALSE(hydralift.empty()) << r.out;

  r = Run({"clinics", "create", "--name=Dermaflow London", "--time-zone=Europe/London",
           "--hours=daily 08:00-20:00", "--phone=+442071234567"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string clinic(absl::StripAsciiWhitespace(r.out));
  r = Run({"practitioners", "create", "--name=Dr. Emily Shaw", "--clinics=" + clinic,
           "--hours=daily 08:00-20:00", "--categories=mesotherapy", "--physician"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string practitioner(absl::StripAsciiWhitespace(r.out));
  r = Run({"rooms", "create", "--clinic=" + clinic, "--name=Room 1"});
  ASSERT_EQ(r.code, 0) << r.err;

  // The snake_case spellings of before the kebab-case flags still work.
  r = Run({"--json", "patients", "create", "--given_name=Olivia", "--family_name=Hartley",
           "--birth_date=1990-02-03", "--locale=en", "--email=olivia@example.org",
           "--consent=in_app,email", "--preferred_channel=in_app", "--pregnant=no",
           "--breastfeeding=no", "--diabetes=no", "--cancer_treatment=no", "--epilepsy=no",
           "--anticoagulants=no", "--allergies=none"});
  ASSERT_EQ(r.code, 0) << r.err;
  const pv1::Patient patient = Json<pv1::Patient>(r.out);
  ASSERT_FALSE(patient.id().empty()) << r.out;

  r = Run({"patients", "screen", patient.id(), "--protocol=" + hydralift});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "eligible:")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "yes")) << r.out;

  r = Run({"slots", "--clinic=" + clinic, "--protocol=" + hydralift, "--days=3", "-o", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto slots = Json<sv1::FindAvailableSlotsResponse>(r.out);
  ASSERT_GT(slots.slots_size(), 0) << r.out;
  const std::string start = absl::FormatTime(
      absl::RFC3339_sec, absl::FromUnixSeconds(slots.slots(0).start_time().seconds()),
      absl::UTCTimeZone());

  r = Run({"book", "--patient=" + patient.id(), "--protocol=" + hydralift, "--clinic=" + clinic,
           "--practitioner=" + practitioner, "--start=" + start, "--areas=face"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "booked")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "Europe/London")) << r.out;

  // Reminders read in the clinic's zone (London), not the machine's (UTC here).
  bool listed = false;
  for (int i = 0; i < 100 && !listed; ++i) {
    r = Run({"reminders", "list", "--patient=" + patient.id()});
    listed = r.code == 0 && absl::StrContains(r.out, "appointment");
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(listed) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, " GMT") || absl::StrContains(r.out, " BST")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, " UTC")) << r.out;

  r = Run({"appointments", "list", "--patient=" + patient.id()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "booked")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, practitioner)) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "CONFIRMATION")) << r.out;

  // Reception records the patient's phone answer; the task list filter and
  // the confirmation column (clinic time) show it.
  r = Run({"--json", "appointments", "list", "--patient=" + patient.id()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto listed_json = Json<sv1::ListAppointmentsResponse>(r.out);
  ASSERT_EQ(listed_json.appointments_size(), 1) << r.out;
  const std::string appointment = listed_json.appointments(0).id();
  r = Run({"appointments", "confirm", appointment, "--answer=confirmed"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "confirmation: confirmed (staff")) << r.out;
  r = Run({"appointments", "list", "--patient=" + patient.id(),
           "--confirmation=no_answer,reschedule_requested"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(absl::StrContains(r.out, appointment)) << r.out;
  r = Run({"appointments", "list", "--patient=" + patient.id(), "--confirmation=confirmed"});
  EXPECT_TRUE(absl::StrContains(r.out, appointment)) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "confirmed (staff")) << r.out;
  r = Run({"appointments", "confirm", appointment, "--answer=maybe"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;

  // The same slot again: ALREADY_EXISTS with the conflict decoded.
  r = Run({"book", "--patient=" + patient.id(), "--protocol=" + hydralift, "--clinic=" + clinic,
           "--practitioner=" + practitioner, "--start=" + start});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "ALREADY_EXISTS")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "hint:")) << r.err;
}

TEST_F(DermactlTest, ServiceErrorsShowCodeFieldsAndHints) {
  Result r = Run({"patients", "create", "--given_name=Anna", "--family_name=Müller",
                  "--birth_date=1988-04-12", "--locale=de", "--phone=0151 1234567"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "INVALID_ARGUMENT")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "patient.contact.phone")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "(option --phone)")) << r.err;

  r = Run({"patients", "show", "no-such-patient"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "NOT_FOUND")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "hint:")) << r.err;

  r = Run({"clinics", "list"}, /*with_token=*/false);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "UNAUTHENTICATED")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "dermactl token")) << r.err;

  r = Run({"--json", "patients", "show", "no-such-patient"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "\"code\":5")) << "google.rpc.Status JSON: " << r.err;

  r = Run({"patients", "show", "no-such-patient", "-o", "yaml"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StartsWith(r.err, "code: 5\n")) << "google.rpc.Status YAML: " << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "resourceType: dermaflow.patient.v1.Patient")) << r.err;
}

TEST_F(DermactlTest, OutputFormatsForScriptsReadBackAsTheSameData) {
  Result r =
      Run({"-o", "json", "patients", "create", "--given-name=James", "--family-name=Whitmore",
           "--birth-date=1969-08-21", "--locale=en", "--email=j.whitmore@example.org",
           "--consent=email", "--quiet-hours=21:00-08:00"});
  ASSERT_EQ(r.code, 0) << r.err;
  const pv1::Patient created = Json<pv1::Patient>(r.out);
  EXPECT_EQ(created.quiet_hours().start().hours(), 21) << r.out;

  Result json = Run({"patients", "show", created.id(), "-o", "json"});
  Result yaml = Run({"patients", "show", created.id(), "-o", "yaml"});
  ASSERT_EQ(json.code, 0) << json.err;
  ASSERT_EQ(yaml.code, 0) << yaml.err;
  EXPECT_TRUE(absl::StrContains(yaml.out, "familyName: Whitmore\n")) << yaml.out;
  EXPECT_TRUE(absl::StrContains(yaml.out, "id: " + created.id() + "\n") ||
              absl::StrContains(yaml.out, "id: \"" + created.id() + "\"\n"))
      << yaml.out;
  // A YAML reader (PyYAML, as Ansible and Helm users have) sees the JSON's data.
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/patient.json") << json.out;
  std::ofstream(dir + "/patient.yaml") << yaml.out;
  const std::string compare = R"(import json, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b else 'differ: %r != %r' % (a, b)))";
  Result same = RunShell({"python3", "-c", compare, dir + "/patient.yaml", dir + "/patient.json"});
  EXPECT_EQ(same.code, 0) << same.err;

  // The environment chooses too (DERMAFLOW_OUTPUT), as for every global option.
  std::vector<std::pair<std::string, std::string>> env = suite_.ClientEnvironment();
  env.emplace_back("DERMAFLOW_OUTPUT", "yaml");
  r = RunShell({std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermactl", "patients", "list",
                "--email=j.whitmore@example.org"},
               env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StartsWith(r.out, "patients:\n- ")) << r.out;

  // Tables stay the default.
  r = Run({"patients", "list", "--email=j.whitmore@example.org"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StartsWith(r.out, "ID ")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "Whitmore, James")) << r.out;
}

TEST_F(DermactlTest, MintedTokenIsAccepted) {
  Result token =
      Run({"token", "--jwt_hs256_key_file=" + suite_.key_file(),
           std::string("--organization=") + Suite::kOrganization, "--roles=clinic_admin"});
  ASSERT_EQ(token.code, 0) << token.err;
  Result r =
      Run({"clinics", "list", "--token=" + std::string(absl::StripAsciiWhitespace(token.out))},
          /*with_token=*/false);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "no clinics")) << r.out;
}

}  // namespace
}  // namespace dermaflow::e2e
