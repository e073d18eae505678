// SIGTERM/SIGINT handling without async-signal hazards: the signals are
// blocked in every thread (BlockShutdownSignals must run before any thread is
// started) and one thread waits for them synchronously.
#pragma once

namespace dermaflow::common {

void BlockShutdownSignals();
// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

}  // namespace dermaflow::common
