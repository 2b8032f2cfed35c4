// What /proc says about other processes, and stopping a server that is not
// our child (one left behind by a dead harness).
//
// A pid alone does not identify a process: pids are reused. A process is
// named here by its pid and its start time (field 22 of /proc/<pid>/stat,
// in clock ticks since boot), which together are unique until reboot.
#ifndef REHEARSE_ENGINE_PROCESS_STATUS_H_
#define REHEARSE_ENGINE_PROCESS_STATUS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace rehearse {

// Sets *start_time and returns true if `pid` exists (a zombie included).
bool ReadProcessStartTime(pid_t pid, uint64_t* start_time);

// True if `pid` exists and has not yet exited. A zombie has exited: on
// machines whose init does not reap orphans a dead server stays a zombie.
bool ProcessIsRunning(pid_t pid);

// True if `pid` is a running PostgreSQL server whose working directory is
// `data_dir` (the postmaster runs in its data directory), so that a stale
// postmaster.pid naming a reused pid never gets an unrelated process killed.
bool IsPostmasterOf(pid_t pid, const std::string& data_dir);

// Stops a server that is not our child: SIGQUIT (immediate shutdown), then
// SIGKILL once `grace` has passed. Returns true once it is no longer running.
bool StopOrphanedPostmaster(pid_t pid, std::chrono::milliseconds grace);

// The pid on the first line of <data_dir>/postmaster.pid, or -1.
pid_t ReadPostmasterPid(const std::string& data_dir);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_PROCESS_STATUS_H_
