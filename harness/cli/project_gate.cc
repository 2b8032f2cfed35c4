// The project's own additions to the gate. Kept in one place so the gate
// command itself stays generic: it knows scenarios and invariants, not which
// library implements seed 000's data migration or seed 003's recovery.
#include "harness/cli/command.h"
#include "harness/runner/gate.h"

namespace rehearse {

void ConfigureProjectGate(GateOptions* options) {
  (void)options;  // filled in as the data migrations and workloads land
}

}  // namespace rehearse
