// Test support: loopback ports that no other test process will take.
//
// ctest runs test binaries in parallel, each starting servers. A port that
// was merely "free a moment ago" (bind to 0, close) can be handed to another
// test, or to an outgoing connection's local end, before our server binds it.
// So ports come from outside the kernel's ephemeral range (never used for
// outgoing connections; below it, or above it when there is no room below)
// and each one is reserved for the life of the process by a byte-range lock
// on one shared file, which other test processes see.
#pragma once

namespace dermaflow::testing {

// A loopback TCP port that is bindable now and reserved for this process:
// no other test process using PickFreePort gets it, and this process never
// gets it twice.
int PickFreePort();

}  // namespace dermaflow::testing
