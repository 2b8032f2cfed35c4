#include "harness/engine/process_status.h"

#include <signal.h>
#include <sys/stat.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

namespace rehearse {
namespace {

// The fields of /proc/<pid>/stat after the command name, which is in
// parentheses and may itself contain spaces and parentheses.
bool ReadStatFields(pid_t pid, std::string* comm, std::string* rest) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line)) return false;
  size_t open = line.find('(');
  size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  *comm = line.substr(open + 1, close - open - 1);
  *rest = close + 2 <= line.size() ? line.substr(close + 2) : "";
  return true;
}

}  // namespace

bool ReadProcessStartTime(pid_t pid, uint64_t* start_time) {
  std::string comm, rest;
  if (!ReadStatFields(pid, &comm, &rest)) return false;
  // After the name come fields 3 (state) to 52; the start time is field 22.
  std::istringstream fields(rest);
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return false;
  }
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), *start_time);
  return error == std::errc() && end == field.data() + field.size();
}

bool ProcessIsRunning(pid_t pid) {
  if (pid <= 0) return false;
  std::string comm, rest;
  if (!ReadStatFields(pid, &comm, &rest)) return false;
  return !rest.empty() && rest[0] != 'Z' && rest[0] != 'X';
}

bool IsPostmasterOf(pid_t pid, const std::string& data_dir) {
  std::string comm, rest;
  if (!ReadStatFields(pid, &comm, &rest) || comm != "postgres") return false;
  if (rest.empty() || rest[0] == 'Z' || rest[0] == 'X') return false;
  struct stat cwd, data;
  if (stat(("/proc/" + std::to_string(pid) + "/cwd").c_str(), &cwd) < 0) return false;
  if (stat(data_dir.c_str(), &data) < 0) return false;
  return cwd.st_dev == data.st_dev && cwd.st_ino == data.st_ino;
}

bool StopOrphanedPostmaster(pid_t pid, std::chrono::milliseconds grace) {
  kill(pid, SIGQUIT);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (ProcessIsRunning(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      for (int i = 0; i < 500 && ProcessIsRunning(pid); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      return !ProcessIsRunning(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

pid_t ReadPostmasterPid(const std::string& data_dir) {
  std::ifstream in(data_dir + "/postmaster.pid");
  long pid = -1;
  if (!(in >> pid) || pid <= 0) return -1;
  return static_cast<pid_t>(pid);
}

}  // namespace rehearse
