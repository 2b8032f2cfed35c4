// InstanceRemap: keeps in-flight follow-up instances of the covered default
// sequences correct after their steps are overwritten (seed 000, step 3).
//
// Covered: instances of a covered sequence whose status is 'active' or
// 'paused'; completed and cancelled instances are history and not touched.
// For each, from the sequence's plan (sequence_overwrite.h):
// - current_step is remapped (RemapCurrentStep: nothing re-sent, no new
//   earlier step retro-inserted);
// - next_step_due is recomputed from the next step after the new
//   current_step: started_at + day_offset days + minute_offset minutes, or
//   `now` when that moment has passed (the cron picks it up, and its
//   business-hours and rate-limit logic spread the sends); NULL when no step
//   is left. Only genuinely overdue instances get `now`;
// - status and paused_reason are never changed: a paused instance, whatever
//   its reason (awaiting_approval, linkedin_unreachable, ...), stays paused
//   and gets only the two scheduling fields above, so a human or the cron
//   that paused it decides when it resumes;
// - updated_at = now on every row that changes; rows whose values already
//   equal the result are not written (a rerun writes nothing).
// All changed rows are written with one TempTable update.
//
// When `payload` is not null, payload["instances"] gets the previous values
// of every changed row (RecordedRows: id, currentStep, nextStepDue, status,
// pausedReason, updatedAt). `summary` gets counts and a few samples.
// RestoreInstances writes those previous values back.
#ifndef REHEARSE_MIGRATIONS_CODE_INSTANCE_REMAP_H_
#define REHEARSE_MIGRATIONS_CODE_INSTANCE_REMAP_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/default_sequences.h"
#include "migrations/code/recorded_rows.h"

namespace rehearse {

Status RemapInstances(Database* db, const OverwriteScope& scope,
                      const std::map<int64_t, const SequenceOverwrite*>& plans,
                      const std::string& now, nlohmann::json* payload, nlohmann::json* summary);

Status RestoreInstances(Database* db, const nlohmann::json& payload);
// The remapped instances' values changed since Up (recorded_rows.h).
Status FindLaterInstanceChanges(Database* db, const nlohmann::json& payload,
                                std::vector<LaterChange>* changes, int64_t* rows);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_INSTANCE_REMAP_H_
