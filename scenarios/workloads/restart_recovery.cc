#include "scenarios/workloads/restart_recovery.h"

#include <optional>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixtures/canonical_json.h"
#include "fixtures/domain/conversation_plan.h"
#include "scenarios/workloads/canonical_timestamp.h"
#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

namespace {

struct PendingReminder {
  int64_t participant_id;
  std::optional<std::string> due;  // canonical; nullopt when the JSON has no usable instant
};

// The flow states legacy recovery would act on. state_data is parsed here
// rather than in SQL so that both dialects read it the same way.
Status ReadStateDataReminders(WorkloadSql& sql, std::vector<PendingReminder>* out) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      sql.Query("SELECT participant_id, state_data FROM flow_states "
                "WHERE flow_type = 'conversation' AND state_data IS NOT NULL ORDER BY id",
                {}, &rs));
  for (const Row& row : rs.rows) {
    const nlohmann::json data = nlohmann::json::parse(FieldText(row[1]), nullptr, false);
    if (!data.is_object()) continue;
    auto it = data.find(kDailyPromptPendingKey);
    if (it == data.end() || it->is_null()) continue;
    PendingReminder r{FieldInt(row[0]), std::nullopt};
    if (it->is_object()) {
      auto due = it->find("reminderDueAt");
      std::string canonical;
      if (due != it->end() && due->is_string() &&
          CanonicalFromRfc3339(due->get<std::string>(), &canonical)) {
        r.due = canonical;
      }
    }
    out->push_back(std::move(r));
  }
  return Status::OK();
}

}  // namespace

std::string RestartRecovery::name() const {
  return options_.mutual_exclusion ? "restart_recovery" : "restart_recovery_without_exclusion";
}

Status RestartRecovery::Play(Database* db, const std::string& now, WorkloadRecord* record) {
  return PlayAndRollBack(
      db, WorkloadKind::kRestartRecovery, name(), now, record, [&](int64_t) -> Status {
        WorkloadSql sql(db);
        RecoveryRecord& out = record->recovery;
        out.mutual_exclusion = options_.mutual_exclusion;

        // What is pending before start-up, from both homes.
        std::vector<PendingReminder> in_state;
        REHEARSE_RETURN_IF_ERROR(ReadStateDataReminders(sql, &in_state));
        std::set<int64_t> pending;
        for (const PendingReminder& r : in_state) pending.insert(r.participant_id);
        ResultSet rs;
        REHEARSE_RETURN_IF_ERROR(
            sql.Query("SELECT DISTINCT participant_id FROM active_timers "
                      "WHERE flow_type = 'conversation' AND callback_type = 'reminder'",
                      {}, &rs));
        for (const Row& row : rs.rows) pending.insert(FieldInt(row[0]));
        out.pending_reminder_participants.assign(pending.begin(), pending.end());

        // The exclusion test exactly as the seed writes it: any conversation
        // timer in the table means "the new system will handle it".
        REHEARSE_RETURN_IF_ERROR(sql.Query(
            "SELECT count(*) FROM active_timers WHERE flow_type = 'conversation'", {}, &rs));
        out.conversation_timers_seen = rs.rows.empty() ? 0 : FieldInt(rs.rows[0][0]);
        out.legacy_ran = !options_.mutual_exclusion || out.conversation_timers_seen == 0;

        int64_t first_new_id;
        REHEARSE_RETURN_IF_ERROR(sql.NextId("active_timers", &first_new_id));
        if (out.legacy_ran) {
          int64_t id = first_new_id;
          for (const PendingReminder& r : in_state) {
            if (!r.due) {
              record->notes.push_back(
                  "participant " + std::to_string(r.participant_id) +
                  ": dailyPromptPending has no usable reminderDueAt; not scheduled");
              continue;
            }
            const std::string data = JsonObject()
                                         .String("kind", "daily_prompt_reminder")
                                         .Integer("participantId", r.participant_id)
                                         .String("recoveredFrom", "flow_states")
                                         .Render();
            REHEARSE_RETURN_IF_ERROR(
                sql.Exec("INSERT INTO active_timers (id, participant_id, flow_type, timer_type, "
                         "callback_type, callback_data, fire_at, created_at) "
                         "VALUES (?1, ?2, 'conversation', 'once', 'reminder', ?3, ?4, ?5)",
                         {Value::Integer(id++), Value::Integer(r.participant_id), Value::Text(data),
                          Value::Text(*r.due), Value::Text(now)}));
          }
        }

        // Every row of the table is a timer the process now holds: those that
        // were there came back through table recovery, the new ones through
        // legacy recovery.
        REHEARSE_RETURN_IF_ERROR(
            sql.Query("SELECT id, participant_id, flow_type, timer_type, callback_type, fire_at "
                      "FROM active_timers ORDER BY id",
                      {}, &rs));
        for (const Row& row : rs.rows) {
          RecoveredTimer t;
          t.timer_id = FieldInt(row[0]);
          t.participant_id = FieldInt(row[1]);
          t.flow_type = FieldText(row[2]);
          t.timer_type = FieldText(row[3]);
          t.callback_type = FieldText(row[4]);
          t.fire_at = FieldText(row[5]);
          t.source = t.timer_id >= first_new_id ? TimerSource::kLegacy : TimerSource::kTable;
          out.timers.push_back(std::move(t));
        }
        return Status::OK();
      });
}

}  // namespace rehearse
