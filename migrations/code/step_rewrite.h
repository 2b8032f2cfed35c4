// StepRewrite: writes the overwrite plans of the covered default sequences
// into follow_up_steps, and puts the previous steps back.
//
// Up, in one pass over all covered sequences (a handful of statements
// whatever their number): delete the steps nothing matched, move the
// rewritten steps whose step_order changes out of the way, rewrite them
// (step_order, day_offset, minute_offset, channel, condition, subject,
// message_template, requires_approval, updated_at = now), then insert the new
// steps with ids above every existing one (created_at = updated_at = now).
// The move is needed because UNIQUE (sequence_id, step_order) is checked row
// by row on both engines: renumbering 1,2,3 to 2,3,4 in place collides.
// A sequence already in canonical form is not written at all.
//
// The artifact gets, when `payload` is not null:
//   payload["sequences"]        [{id, name, clientId, stepsUpdated: [ids],
//                                 stepsInserted: [ids], stepsDeleted: [ids]}]
//                               for every sequence that changed;
//   payload["steps"]["updated"]  previous values of every rewritten step
//                               (RecordedRows: id, stepOrder, dayOffset,
//                               minuteOffset, channel, condition, subject,
//                               messageTemplate, requiresApproval, updatedAt);
//   payload["steps"]["inserted"] ids of the inserted steps;
//   payload["steps"]["deleted"]  every column of every deleted step.
// `summary` gets the counts per default sequence name and a few samples.
//
// RestoreSteps is the inverse, in reverse order: delete the inserted ids,
// move and restore the rewritten steps, re-insert the deleted ones.
#ifndef REHEARSE_MIGRATIONS_CODE_STEP_REWRITE_H_
#define REHEARSE_MIGRATIONS_CODE_STEP_REWRITE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/default_sequences.h"
#include "migrations/code/recorded_rows.h"

namespace rehearse {

Status RewriteSteps(Database* db, const std::vector<DefaultSequence>& sequences,
                    const std::string& now, nlohmann::json* payload, nlohmann::json* summary);

Status RestoreSteps(Database* db, const nlohmann::json& payload);
// The rewritten steps' values changed since Up (recorded_rows.h).
Status FindLaterStepChanges(Database* db, const nlohmann::json& payload,
                            std::vector<LaterChange>* changes, int64_t* rows);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_STEP_REWRITE_H_
