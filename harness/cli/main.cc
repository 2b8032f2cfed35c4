// rehearse: rehearses database migrations on throwaway databases.
#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/command.h"

namespace {

void PrintHelp(std::ostream& out) {
  out << "usage: rehearse COMMAND [FLAGS]\n\n"
         "Rehearses database migrations on throwaway PostgreSQL and SQLite databases.\n\n"
         "commands:\n";
  for (const rehearse::Command& c : rehearse::AllCommands()) {
    out << "  " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
  }
  out << "\nexit codes: 0 pass, 1 an invariant failed (for migrate: the migration's own\n"
         "            SQL or code failed, so forward_applies or rollback_applies),\n"
         "            2 bad input or usage, 3 infrastructure failure (a server would not\n"
         "            start, a database could not be reached)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintHelp(args.empty() ? std::cerr : std::cout);
    return args.empty() ? rehearse::kExitBadInput : rehearse::kExitPass;
  }
  for (const rehearse::Command& c : rehearse::AllCommands()) {
    if (args[0] == c.name) {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::cout << "usage: rehearse " << c.name << " " << c.usage << "\n" << c.summary << "\n";
        return rehearse::kExitPass;
      }
      return c.run(rest);
    }
  }
  std::cerr << "rehearse: unknown command '" << args[0] << "'\n";
  PrintHelp(std::cerr);
  return rehearse::kExitBadInput;
}
