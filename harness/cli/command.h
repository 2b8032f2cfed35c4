// The CLI's commands. Each command parses its own flags, does its work through
// the library, and turns the resulting Status into text on stderr and one of
// the documented exit codes. Nothing below the CLI prints or exits.
#ifndef REHEARSE_CLI_COMMAND_H_
#define REHEARSE_CLI_COMMAND_H_

#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

// Exit codes (DESIGN.md, CLI contract).
enum ExitCode : int {
  kExitPass = 0,            // every invariant holds / the command did its job
  kExitCheckFailed = 1,     // an invariant failed
  kExitBadInput = 2,        // bad input or usage; no database was touched
  kExitInfrastructure = 3,  // a server would not start, a database could not be reached
};

struct Command {
  const char* name;
  const char* usage;    // one line of flags
  const char* summary;  // one sentence
  int (*run)(const std::vector<std::string>& args);
};

// Every command, in the order `rehearse --help` lists them.
const std::vector<Command>& AllCommands();

// Prints `status` to stderr prefixed with the command name and returns the
// exit code its class maps to.
int ReportFailure(const char* command, const Status& status);

// A migration that failed on its own terms — the database rejected one of
// its statements (kDatabase) or it ran past its time limit (kTimedOut)
// while it was applied or rolled back, or a rollback refused to undo later
// changes (kConflict) — is the invariant
// `check` failing, not the infrastructure: prints that and returns
// kExitCheckFailed. Any other status goes to ReportFailure.
int ReportMigrationFailure(const char* command, const char* check, const Status& status);

int RunFixtureCommand(const std::vector<std::string>& args);
int RunGateCommand(const std::vector<std::string>& args);
int RunListCommand(const std::vector<std::string>& args);
int RunMigrateCommand(const std::vector<std::string>& args);
int RunProfileCommand(const std::vector<std::string>& args);
int RunReproduceCommand(const std::vector<std::string>& args);
int RunSnapshotCommand(const std::vector<std::string>& args);
int RunVersionCommand(const std::vector<std::string>& args);

}  // namespace rehearse

#endif  // REHEARSE_CLI_COMMAND_H_
