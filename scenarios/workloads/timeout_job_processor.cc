#include "scenarios/workloads/timeout_job_processor.h"

#include <map>

#include <nlohmann/json.hpp>

#include "fixtures/canonical_json.h"
#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

namespace {

// The state an execution waits in for each kind of timeout.
const char* WaitingStateFor(const std::string& timeout_type) {
  if (timeout_type == "no_open") return "waiting_for_open";
  if (timeout_type == "no_click") return "waiting_for_click";
  return "follow_up_sent";  // no_reply: waiting for an answer to the follow-up
}

struct DueJob {
  int64_t id;
  int64_t execution_id;
  std::string type;
  bool calendar_click;
};

bool IsSyntheticData(const std::string& data) {
  const nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return false;
  auto it = j.find("synthetic");
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// Reads back every row the run inserted or updated.
Status ReadBack(WorkloadSql& sql, int64_t first_event, int64_t first_transition,
                int64_t first_email, TimeoutRecord* out) {
  std::vector<int64_t> job_ids;
  for (const TimeoutJobOutcome& j : out->jobs) job_ids.push_back(j.job_id);
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      sql.QueryIds("SELECT id, status FROM timeout_jobs WHERE id IN ", job_ids, &rs));
  std::map<int64_t, std::string> status;
  for (const Row& row : rs.rows) status[FieldInt(row[0])] = FieldText(row[1]);
  for (TimeoutJobOutcome& j : out->jobs) j.status_after = status[j.job_id];

  REHEARSE_RETURN_IF_ERROR(sql.Query(
      "SELECT id, execution_id, event_type, data FROM message_events WHERE id >= ?1 ORDER BY id",
      {Value::Integer(first_event)}, &rs));
  for (const Row& row : rs.rows) {
    CreatedEvent e{FieldInt(row[0]), FieldInt(row[1]), FieldText(row[2]), FieldText(row[3]), false};
    e.synthetic = IsSyntheticData(e.data);
    out->events.push_back(std::move(e));
  }

  REHEARSE_RETURN_IF_ERROR(
      sql.Query(std::string("SELECT id, execution_id, from_state, to_state, reason, event_id") +
                    (out->origin_column ? ", origin" : "") +
                    " FROM campaign_transitions WHERE id >= ?1 ORDER BY id",
                {Value::Integer(first_transition)}, &rs));
  for (const Row& row : rs.rows) {
    CreatedTransition t{FieldInt(row[0]),  FieldInt(row[1]), FieldText(row[2]), FieldText(row[3]),
                        FieldText(row[4]), FieldInt(row[5]), std::nullopt};
    if (out->origin_column) t.origin = FieldOptText(row[6]);
    out->transitions.push_back(std::move(t));
  }

  REHEARSE_RETURN_IF_ERROR(
      sql.Query("SELECT id, execution_id, timeout_job_id, template_key, send_at, status "
                "FROM scheduled_follow_up_emails WHERE id >= ?1 ORDER BY id",
                {Value::Integer(first_email)}, &rs));
  for (const Row& row : rs.rows) {
    out->emails.push_back({FieldInt(row[0]), FieldInt(row[1]), FieldInt(row[2]), FieldText(row[3]),
                           FieldText(row[4]), FieldText(row[5])});
  }
  return Status::OK();
}

}  // namespace

std::string TimeoutJobProcessor::name() const {
  switch (processing_) {
    case TimeoutProcessing::kFollowSwitch:
      return "timeout_job_processor";
    case TimeoutProcessing::kAlwaysSyntheticEvents:
      return "timeout_job_processor_synthetic_events";
    case TimeoutProcessing::kDirectWithoutFollowUpEmail:
      return "timeout_job_processor_without_followup";
  }
  return "timeout_job_processor";
}

Status TimeoutJobProcessor::Play(Database* db, const std::string& now, WorkloadRecord* record) {
  return PlayAndRollBack(
      db, WorkloadKind::kTimeoutJobProcessor, name(), now, record, [&](int64_t) -> Status {
        WorkloadSql sql(db);
        TimeoutRecord& out = record->timeouts;

        // The switch, read the way the deployed code reads it: no table or no
        // row means the old behaviour.
        bool has_switch;
        REHEARSE_RETURN_IF_ERROR(sql.TableExists("timeout_processing", &has_switch));
        out.mode = "synthetic_event";
        ResultSet rs;
        if (has_switch) {
          REHEARSE_RETURN_IF_ERROR(sql.Query("SELECT mode FROM timeout_processing", {}, &rs));
          if (!rs.rows.empty()) out.mode = FieldText(rs.rows[0][0]);
        }
        REHEARSE_RETURN_IF_ERROR(
            sql.ColumnExists("campaign_transitions", "origin", &out.origin_column));
        bool direct = out.mode == "direct_transition";
        if (processing_ == TimeoutProcessing::kAlwaysSyntheticEvents) direct = false;
        if (processing_ == TimeoutProcessing::kDirectWithoutFollowUpEmail) direct = true;
        const bool schedule_email = processing_ != TimeoutProcessing::kDirectWithoutFollowUpEmail;

        REHEARSE_RETURN_IF_ERROR(
            sql.Query("SELECT j.id, j.execution_id, j.timeout_type, e.current_state, e.status, "
                      "EXISTS (SELECT 1 FROM message_events m WHERE m.execution_id = e.id "
                      "AND m.event_type = 'calendar_click') "
                      "FROM timeout_jobs j JOIN campaign_executions e ON e.id = j.execution_id "
                      "WHERE j.status = 'pending' AND j.run_at <= ?1 ORDER BY j.run_at, j.id",
                      {Value::Text(now)}, &rs));
        std::vector<DueJob> jobs;
        // Where each execution stands, updated as this run moves it, so a second
        // job of the same execution sees the first one's transition.
        std::map<int64_t, std::pair<std::string, std::string>> executions;
        for (const Row& row : rs.rows) {
          jobs.push_back(
              {FieldInt(row[0]), FieldInt(row[1]), FieldText(row[2]), FieldBool(row[5])});
          executions.emplace(FieldInt(row[1]),
                             std::make_pair(FieldText(row[3]), FieldText(row[4])));
        }

        int64_t first_event, first_transition, first_email;
        REHEARSE_RETURN_IF_ERROR(sql.NextId("message_events", &first_event));
        REHEARSE_RETURN_IF_ERROR(sql.NextId("campaign_transitions", &first_transition));
        REHEARSE_RETURN_IF_ERROR(sql.NextId("scheduled_follow_up_emails", &first_email));
        int64_t event_id = first_event, transition_id = first_transition, email_id = first_email;
        const Value at = Value::Text(now);

        for (const DueJob& job : jobs) {
          TimeoutJobOutcome outcome;
          outcome.job_id = job.id;
          outcome.execution_id = job.execution_id;
          outcome.timeout_type = job.type;
          outcome.had_calendar_click = job.calendar_click;
          auto& [state, status] = executions[job.execution_id];
          const bool waiting =
              state == WaitingStateFor(job.type) && (status == "waiting" || status == "running");
          if (!waiting || (job.type == "no_click" && job.calendar_click)) {
            outcome.action = waiting ? TimeoutJobAction::kCancelledCalendarClick
                                     : TimeoutJobAction::kCancelledStale;
            REHEARSE_RETURN_IF_ERROR(sql.Exec(
                "UPDATE timeout_jobs SET status = 'cancelled', processed_at = ?1 WHERE id = ?2",
                {at, Value::Integer(job.id)}));
            out.jobs.push_back(std::move(outcome));
            continue;
          }

          if (direct) {
            const std::string columns = out.origin_column ? ", origin" : "";
            const std::string values = out.origin_column ? ", 'timeout'" : "";
            REHEARSE_RETURN_IF_ERROR(sql.Exec(
                "INSERT INTO campaign_transitions (id, execution_id, from_state, to_state, reason, "
                "event_id, occurred_at" +
                    columns + ") VALUES (?1, ?2, ?3, 'follow_up_sent', ?4, NULL, ?5" + values + ")",
                {Value::Integer(transition_id++), Value::Integer(job.execution_id),
                 Value::Text(state), Value::Text("Timeout: " + job.type), at}));
          } else {
            const std::string data = JsonObject()
                                         .Bool("synthetic", true)
                                         .Integer("timeoutJobId", job.id)
                                         .String("timeoutType", job.type)
                                         .Render();
            REHEARSE_RETURN_IF_ERROR(
                sql.Exec("INSERT INTO message_events (id, execution_id, event_type, data, "
                         "occurred_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                         {Value::Integer(event_id), Value::Integer(job.execution_id),
                          Value::Text(job.type), Value::Text(data), at}));
            // The normal event path, as a real event would take it.
            REHEARSE_RETURN_IF_ERROR(sql.Exec(
                "INSERT INTO campaign_transitions (id, execution_id, from_state, to_state, "
                "reason, event_id, occurred_at) VALUES (?1, ?2, ?3, 'follow_up_sent', ?4, "
                "?5, ?6)",
                {Value::Integer(transition_id++), Value::Integer(job.execution_id),
                 Value::Text(state), Value::Text("Event: " + job.type), Value::Integer(event_id),
                 at}));
            ++event_id;
          }
          REHEARSE_RETURN_IF_ERROR(
              sql.Exec("UPDATE campaign_executions SET current_state = 'follow_up_sent', "
                       "status = 'running', waiting_since = NULL, updated_at = ?1 WHERE id = ?2",
                       {at, Value::Integer(job.execution_id)}));
          state = "follow_up_sent";
          status = "running";
          if (schedule_email) {
            REHEARSE_RETURN_IF_ERROR(sql.Exec(
                "INSERT INTO scheduled_follow_up_emails (id, execution_id, timeout_job_id, "
                "template_key, subject, send_at, status, created_at) "
                "VALUES (?1, ?2, ?3, ?4, 'Did you see this?', ?5, 'scheduled', ?5)",
                {Value::Integer(email_id++), Value::Integer(job.execution_id),
                 Value::Integer(job.id), Value::Text(job.type + "_follow_up"), at}));
          }
          REHEARSE_RETURN_IF_ERROR(
              sql.Exec("UPDATE timeout_jobs SET status = 'completed', attempts = attempts + 1, "
                       "processed_at = ?1 WHERE id = ?2",
                       {at, Value::Integer(job.id)}));
          outcome.action = TimeoutJobAction::kTransitioned;
          out.jobs.push_back(std::move(outcome));
        }
        return ReadBack(sql, first_event, first_transition, first_email, &out);
      });
}

}  // namespace rehearse
