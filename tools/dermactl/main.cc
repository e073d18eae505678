// dermactl: the command-line client for reception and ops over the dermaflow
// gRPC API. `dermactl --help` lists the commands; docs/dermactl.md explains
// them with examples.
#include <iostream>

#include "tools/dermactl/cli.h"
#include "tools/dermactl/commands.h"

int main(int argc, char** argv) {
  dermaflow::dermactl::CommandSet commands;
  dermaflow::dermactl::RegisterCommands(commands);
  return commands.Main(argc, argv, std::cout, std::cerr);
}
