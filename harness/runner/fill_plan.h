// FillPlan: how and when a rehearsal, or a command's throwaway database, is
// filled with rows. A Domain makes it (Domain::PlanFill); the rehearsal
// (RehearsalOptions::fill) and BuildStartingState (starting_state.h) carry
// it out. A plan without a fill leaves the database as the migrations leave
// it.
#ifndef REHEARSE_RUNNER_FILL_PLAN_H_
#define REHEARSE_RUNNER_FILL_PLAN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fixtures/look_ahead.h"
#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// What one fill put in a database.
struct FillReport {
  std::vector<std::pair<std::string, int64_t>> tables;  // rows added, in fill order
  int64_t total_rows = 0;
  std::vector<std::string> warnings;  // what could not be filled, naming table and constraint
};

// Fills *db as planned; `look_ahead` holds what later migrations add to the
// tables (kBeforeEachTarget only; look_ahead.h).
using FillFunction = std::function<Status(
    Database* db, const std::vector<LookAheadConstraint>& look_ahead, FillReport* report)>;

enum class FillPoint {
  // Right after the chain's first migration (of the baseline when given):
  // the domain fixtures know only the baseline schema, and the migrations
  // up to N-1 then run over the filled data, as they did in production.
  kAfterFirstMigration,
  // At N-1 of every target: the first target's starting state, then each
  // later target's clone before S0, so the tables a migration created are
  // filled before the next one is rehearsed (the schema filler fills only
  // what is empty).
  kBeforeEachTarget,
};

struct FillPlan {
  FillFunction fill;  // null: the database is left as the migrations leave it
  FillPoint point = FillPoint::kBeforeEachTarget;
  std::string description;  // for a command's report: "profile default", "schema-driven"
};

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_FILL_PLAN_H_
