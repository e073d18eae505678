// dermactl: the command-line client for reception and ops over the dermaflow
// gRPC API. `dermactl --help` lists the commands; docs/dermactl.md explains
// them with examples.
#include <iostream>

#include "tools/dermactl/cli.h"
#include "tools/dermactl/commands.h"

int main(int argc, char** argv) {
  using namespace dermaflow::dermactl;
  CommandSet commands;
  RegisterPatientCommands(commands);
  RegisterProtocolCommands(commands);
  RegisterOrganizationCommands(commands);
  RegisterBookingCommands(commands);
  RegisterAppointmentCommands(commands);
  RegisterReminderCommands(commands);
  RegisterTokenCommand(commands);
  return commands.Main(argc, argv, std::cout, std::cerr);
}
