#include "tools/dermactl/commands.h"

namespace dermaflow::dermactl {

// The order here is the order of `dermactl --help`.
void RegisterCommands(CommandSet& commands) {
  RegisterPatientCommands(commands);
  RegisterProtocolCommands(commands);
  RegisterOrganizationCommands(commands);
  RegisterBookingCommands(commands);
  RegisterWaitlistCommands(commands);
  RegisterAppointmentCommands(commands);
  RegisterReminderCommands(commands);
  RegisterTokenCommand(commands);
}

}  // namespace dermaflow::dermactl
