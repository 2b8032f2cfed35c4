#include "migrations/code/instance_remap.h"

#include <algorithm>
#include <optional>

#include "fixtures/fixture_time.h"
#include "migrations/code/recorded_rows.h"
#include "migrations/code/stored_values.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr size_t kSamples = 5;

const RecordedRows& PreviousInstances() {
  static const RecordedRows kRows("follow_up_instances",
                                  {{"id", "id", ColumnKind::kBigint},
                                   {"currentStep", "current_step", ColumnKind::kInteger},
                                   {"nextStepDue", "next_step_due", ColumnKind::kTimestamp},
                                   {"status", "status", ColumnKind::kText},
                                   {"pausedReason", "paused_reason", ColumnKind::kText},
                                   {"updatedAt", "updated_at", ColumnKind::kTimestamp}});
  return kRows;
}

struct Counts {
  int64_t examined = 0, updated = 0, current_step_remapped = 0, next_step_due_changed = 0,
          due_now = 0, due_cleared = 0, paused_updated = 0, steps_skipped = 0;

  json ToJson() const {
    return {{"examined", examined},
            {"updated", updated},
            {"currentStepRemapped", current_step_remapped},
            {"nextStepDueChanged", next_step_due_changed},
            {"nextStepDueSetToNow", due_now},
            {"nextStepDueCleared", due_cleared},
            {"pausedUpdatedStillPaused", paused_updated},
            {"withStepsNotRetroSent", steps_skipped}};
  }
};

}  // namespace

Status RemapInstances(Database* db, const OverwriteScope& scope,
                      const std::map<int64_t, const SequenceOverwrite*>& plans,
                      const std::string& now, json* payload, json* summary) {
  int64_t now_micros = 0;
  if (!ParseTimestamp(now, &now_micros))
    return Status::InvalidInput("now '" + now + "' is not a canonical timestamp");

  Counts counts;
  std::vector<Row> changes;  // id, current_step, next_step_due, updated_at
  json previous = PreviousInstances().NewSection();
  json samples = json::array();
  // Most instances are active or paused, so SQLite's choice of the (status,
  // next_step_due) index for the status test visits the table in due order,
  // a random rowid per row; the table in rowid order is the cheap walk, and
  // already the ORDER BY's.
  const char* walk = db->dialect() == Dialect::kSqlite ? " NOT INDEXED" : "";
  Status s = db->Stream(
      "SELECT i.id, i.current_step, i.next_step_due, i.status, i.paused_reason, i.updated_at, "
      "i.sequence_id, i.started_at FROM follow_up_instances i" +
          std::string(walk) + " JOIN follow_up_sequences s ON s.id = i.sequence_id WHERE " +
          scope.SequenceCondition("s") + " AND i.status IN ('active', 'paused') ORDER BY i.id",
      [&](const Row& row) {
        ++counts.examined;
        int64_t id, current, sequence_id, started;
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[0], "follow_up_instances.id", &id));
        const std::string where = "follow_up_instances " + std::to_string(id);
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[1], where + " current_step", &current));
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[6], where + " sequence_id", &sequence_id));
        if (row[7].type != Value::Type::kText || !ParseTimestamp(row[7].bytes, &started))
          return Status::InvalidInput(where + ": started_at " + row[7].ToDisplay() +
                                      " is not a canonical timestamp");
        auto plan = plans.find(sequence_id);
        if (plan == plans.end())
          return Status::Database(where + ": its sequence was not read with the others");
        const SequenceOverwrite& overwrite = *plan->second;

        const int remapped =
            overwrite.RemapCurrentStep(static_cast<int>(std::min<int64_t>(current, 1 << 30)));
        const CanonicalStep* next = overwrite.canonical().At(remapped + 1);
        std::optional<int64_t> new_due;
        if (next) {
          const int64_t at = started + next->key.OffsetMinutes() * kMicrosPerMinute;
          new_due = std::max(at, now_micros);
          if (at <= now_micros) ++counts.due_now;
        }
        Value due = new_due ? Value::Text(FormatTimestamp(*new_due)) : Value::Null();
        int64_t old_due = 0;
        const bool due_same = !new_due
                                  ? row[2].is_null()
                                  : (row[2].type == Value::Type::kText &&
                                     ParseTimestamp(row[2].bytes, &old_due) && old_due == *new_due);
        if (remapped == current && due_same) return Status::OK();

        ++counts.updated;
        if (remapped != current) ++counts.current_step_remapped;
        if (!due_same) ++counts.next_step_due_changed;
        if (due.is_null()) ++counts.due_cleared;
        if (row[3].type == Value::Type::kText && row[3].bytes == "paused") ++counts.paused_updated;
        if (overwrite.SkippedBy(static_cast<int>(std::min<int64_t>(current, 1 << 30))) > 0)
          ++counts.steps_skipped;
        if (samples.size() < kSamples) {
          samples.push_back(
              {{"id", id},
               {"status", SampleText(row[3])},
               {"currentStep", std::to_string(current) + " -> " + std::to_string(remapped)},
               {"nextStepDue", SampleText(row[2]) + " -> " + SampleText(due)}});
        }
        if (payload) {
          REHEARSE_RETURN_IF_ERROR(PreviousInstances().Append(
              {row[0], row[1], row[2], row[3], row[4], row[5]}, &previous));
        }
        changes.push_back(
            {Value::Integer(id), Value::Integer(remapped), std::move(due), Value::Text(now)});
        return Status::OK();
      });
  REHEARSE_RETURN_IF_ERROR(s);

  if (!changes.empty()) {
    TempTable temp(db, "rehearse_0003_instances",
                   {{"id", ColumnKind::kBigint},
                    {"current_step", ColumnKind::kInteger},
                    {"next_step_due", ColumnKind::kTimestamp},
                    {"updated_at", ColumnKind::kTimestamp}});
    REHEARSE_RETURN_IF_ERROR(temp.Create());
    REHEARSE_RETURN_IF_ERROR(temp.Load(changes));
    REHEARSE_RETURN_IF_ERROR(temp.CopyColumnsInto("follow_up_instances",
                                                  {"current_step", "next_step_due", "updated_at"}));
    REHEARSE_RETURN_IF_ERROR(temp.Drop());
  }
  if (payload) {
    REHEARSE_RETURN_IF_ERROR(PreviousInstances().RecordWritten(db, &previous));
    (*payload)["instances"] = std::move(previous);
  }
  (*summary)["instances"] = counts.ToJson();
  (*summary)["samples"]["instances"] = std::move(samples);
  return Status::OK();
}

Status RestoreInstances(Database* db, const json& payload) {
  if (!payload.contains("instances"))
    return Status::Corruption("rollback artifact: payload has no \"instances\"");
  return PreviousInstances().Restore(db, payload["instances"]);
}

Status FindLaterInstanceChanges(Database* db, const json& payload,
                                std::vector<LaterChange>* changes, int64_t* rows) {
  if (!payload.contains("instances"))
    return Status::Corruption("rollback artifact: payload has no \"instances\"");
  return PreviousInstances().FindLaterChanges(db, payload["instances"], changes, rows);
}

}  // namespace rehearse
