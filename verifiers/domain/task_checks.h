// Task checks (seed 000, migration 0003): what the default-sequence
// overwrite must do to follow_up_tasks — re-render the copy of tasks still
// waiting to go out, and leave the record of what was already sent alone.
//
// Both compare the database after up(N) with a TaskCopy read right before
// it on the same database. Where follow_up_tasks does not exist they skip.
#ifndef REHEARSE_VERIFIERS_DOMAIN_TASK_CHECKS_H_
#define REHEARSE_VERIFIERS_DOMAIN_TASK_CHECKS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/db/database.h"
#include "verifiers/check_result.h"

namespace rehearse {

// The parts of the outreach tables the task checks compare across a
// migration. Holds every completed task's row: sized for gate fixtures, not
// for the 1M-row benchmarks.
struct TaskCopy {
  std::vector<std::string> task_columns;
  std::map<int64_t, Row> completed;          // follow_up_tasks id -> row
  std::map<int64_t, std::string> step_copy;  // sequence id -> its steps' copy, concatenated
};

Status ReadTaskCopy(Database* db, TaskCopy* out);

// completed_tasks_untouched: every completed task is still there with every
// column as it was.
CheckResult CompletedTasksUntouched(const TaskCopy& before, Database* db);

// pending_tasks_rerendered: every pending task of a sequence whose steps the
// migration rewrote carries its step's template rendered for its lead and
// workspace (RenderFollowUpTemplate, the model of generateFollowUpMessage):
// the message, and for e-mail steps with a subject, the subject.
CheckResult PendingTasksRerendered(const TaskCopy& before, Database* db);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_TASK_CHECKS_H_
