// TaskRerender: makes the copy of follow-up tasks that are still scheduled to
// go out match the overwritten steps (seed 000, step 4).
//
// Covered: tasks with status 'pending' and an instance_id whose instance runs
// on a covered sequence (whatever the instance's status: a pending task is
// still in someone's queue). Completed and skipped tasks, and tasks without
// an instance (made by hand), are never touched.
// For each: the step it belongs to is found through its step_order in the
// sequence as it was (SequenceOverwrite::NewOrderOf), so the task follows its
// step to the new step_order; then
// - suggested_message = the step's template rendered with the task's lead
//   and the sequence's workspace, the way generateFollowUpMessage() does
//   (RenderFollowUpTemplate, fixtures/outreach_plan.h);
// - subject = the step's subject rendered the same way for e-mail steps,
//   NULL for SMS and LinkedIn (tasks of those channels carry no subject);
// - step_order = the step's new step_order; updated_at = now.
// A task whose step_order names no step of the old sequence, or a step the
// overwrite deletes, has no step to render from: it is left as it is and
// counted as "unmapped" so that the report shows it. Rows whose values
// already equal the result are not written.
//
// When `payload` is not null, payload["tasks"] gets the previous values of
// every changed row (RecordedRows: id, suggestedMessage, subject, stepOrder,
// updatedAt). `summary` gets counts and a few samples. RestoreTasks writes
// the previous values back.
#ifndef REHEARSE_MIGRATIONS_CODE_TASK_RERENDER_H_
#define REHEARSE_MIGRATIONS_CODE_TASK_RERENDER_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/default_sequences.h"
#include "migrations/code/recorded_rows.h"

namespace rehearse {

Status RerenderPendingTasks(Database* db, const OverwriteScope& scope,
                            const std::map<int64_t, const SequenceOverwrite*>& plans,
                            const std::string& now, nlohmann::json* payload,
                            nlohmann::json* summary);

Status RestoreTasks(Database* db, const nlohmann::json& payload);
// The re-rendered tasks' values changed since Up (recorded_rows.h).
Status FindLaterTaskChanges(Database* db, const nlohmann::json& payload,
                            std::vector<LaterChange>* changes, int64_t* rows);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_TASK_RERENDER_H_
