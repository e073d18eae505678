// The dermactl command groups, one file each; RegisterCommands adds them all
// (main.cc, and the tests that run the real command tree).
#pragma once

#include "tools/dermactl/cli.h"

namespace dermaflow::dermactl {

void RegisterCommands(CommandSet& commands);  // commands.cc: every group below

void RegisterPatientCommands(CommandSet& commands);       // patients_commands.cc
void RegisterProtocolCommands(CommandSet& commands);      // protocols_commands.cc
void RegisterOrganizationCommands(CommandSet& commands);  // org_commands.cc
void RegisterBookingCommands(CommandSet& commands);       // booking_commands.cc
void RegisterWaitlistCommands(CommandSet& commands);      // waitlist_commands.cc
void RegisterAppointmentCommands(CommandSet& commands);   // appointments_commands.cc
void RegisterReminderCommands(CommandSet& commands);      // reminders_commands.cc
void RegisterTokenCommand(CommandSet& commands);          // token_command.cc

}  // namespace dermaflow::dermactl
