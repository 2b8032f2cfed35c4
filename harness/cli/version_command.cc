// rehearse version
#include <sqlite3.h>

#include <cstdio>
#include <pqxx/version>

#include "harness/cli/command.h"

namespace rehearse {

int RunVersionCommand(const std::vector<std::string>& words) {
  if (!words.empty()) return ReportFailure("version", Status::InvalidInput("takes no arguments"));
  std::printf("rehearse 0.1.0\nsqlite %s\nlibpqxx %s\n", sqlite3_libversion(), PQXX_VERSION);
  return kExitPass;
}

}  // namespace rehearse
