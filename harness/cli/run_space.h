// CheckRunSpace: refuses, before anything boots, a run whose throwaway
// databases would not fit in the run directory. The run directory is RAM
// (/dev/shm) by default, and `--scale` is a plain number: without a bound,
// `--scale 999999999` fills the machine's memory in seconds.
//
// The estimate (run_space.cc) is a measured size per unit of scale times the
// databases alive at once, plus a booted cluster's data directory per
// worker. It decides where the run directory goes (RunDirectory::PlanBase:
// /dev/shm when it fits, else /var/tmp), then:
// - kInvalidInput (exit 2) when the scale asked for does not fit there,
//   naming the flag, the directory, its free space and the largest scale
//   that fits — the limit;
// - kInfrastructure (exit 3) naming the directory when not even a run at
//   scale 0 fits: the machine's disk is full, the input is fine.
#ifndef REHEARSE_CLI_RUN_SPACE_H_
#define REHEARSE_CLI_RUN_SPACE_H_

#include <cstdint>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

struct RunSpaceRequest {
  std::string scale_flag = "--scale";  // how the user set the scale, for the message
  uint64_t scale = 1;
  int workers = 1;        // rehearsals running at once, each with its own databases
  bool postgres = false;  // whether each worker boots a PostgreSQL cluster
};

// Bytes a run of `r` needs in its run directory (the estimate above).
uint64_t EstimateRunBytes(const RunSpaceRequest& r);

Status CheckRunSpace(const RunSpaceRequest& r);

}  // namespace rehearse

#endif  // REHEARSE_CLI_RUN_SPACE_H_
