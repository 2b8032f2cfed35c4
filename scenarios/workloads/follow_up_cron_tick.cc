#include "scenarios/workloads/follow_up_cron_tick.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "fixtures/domain/outreach_plan.h"
#include "fixtures/fixture_time.h"
#include "scenarios/workloads/business_hours.h"
#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

namespace {

struct StepRow {
  int64_t id = 0;
  int step_order = 0;
  int64_t offset_minutes = 0;
  std::string channel;
  std::optional<std::string> condition;
  std::optional<std::string> subject;
  std::string message_template;
  bool requires_approval = false;
};

struct DueInstance {
  int64_t id = 0;
  int64_t sequence_id = 0;
  int64_t lead_id = 0;
  int current_step = 0;
  std::string next_step_due;
  std::optional<std::string> paused_reason;
  int64_t workspace_id = 0;
  bool held = false;  // workspace paused or sequence inactive
  std::string timezone, hours_start, hours_end, business_days;
  WorkspaceSettings settings;  // the placeholders' part
  LeadFacts lead;
};

bool ConditionHolds(const std::optional<std::string>& condition, const LeadFacts& lead) {
  if (!condition || *condition == "always") return true;
  auto present = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  if (*condition == "has_phone") return present(lead.phone);
  if (*condition == "has_linkedin" || *condition == "linkedin_connected") {
    return present(lead.linkedin_url);
  }
  if (*condition == "no_response") return lead.status == "new" || lead.status == "contacted";
  return true;  // a condition this model does not know: the app sends
}

class CronTickRun {
 public:
  CronTickRun(Database* db, const FollowUpCronTickOptions& options, const std::string& now,
              int64_t now_micros, WorkloadRecord* record)
      : sql_(db), options_(options), now_(now), now_micros_(now_micros), record_(record) {}

  Status Run() {
    CronTickRecord& cron = record_->cron;
    cron.rate_limits = options_.rate_limits;
    REHEARSE_RETURN_IF_ERROR(ReadOpenInstancesAndSteps());
    std::vector<DueInstance> due;
    REHEARSE_RETURN_IF_ERROR(ReadDue(&due));
    REHEARSE_RETURN_IF_ERROR(sql_.NextId("follow_up_tasks", &first_task_id_));
    next_task_id_ = first_task_id_;
    for (const DueInstance& instance : due) {
      FollowUpDecision decision;
      REHEARSE_RETURN_IF_ERROR(Decide(instance, &decision));
      cron.decisions.push_back(std::move(decision));
    }
    return ReadBack();
  }

 private:
  Status ReadOpenInstancesAndSteps() {
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(sql_.Query(
        "SELECT id, sequence_id, step_order, day_offset, minute_offset, channel, condition, "
        "subject, message_template, requires_approval FROM follow_up_steps "
        "WHERE sequence_id IN (SELECT sequence_id FROM follow_up_instances "
        "WHERE status IN ('active', 'paused')) ORDER BY sequence_id, step_order",
        {}, &rs));
    for (const Row& r : rs.rows) {
      StepRow s{FieldInt(r[0]),
                static_cast<int>(FieldInt(r[2])),
                FieldInt(r[3]) * 1440 + FieldInt(r[4]),
                FieldText(r[5]),
                FieldOptText(r[6]),
                FieldOptText(r[7]),
                FieldText(r[8]),
                FieldBool(r[9])};
      const int64_t sequence_id = FieldInt(r[1]);
      record_->cron.steps[s.id] = {sequence_id, s.step_order, s.offset_minutes};
      steps_[sequence_id].push_back(std::move(s));
    }
    REHEARSE_RETURN_IF_ERROR(
        sql_.Query("SELECT id, sequence_id, status, paused_reason, current_step "
                   "FROM follow_up_instances WHERE status IN ('active', 'paused') ORDER BY id",
                   {}, &rs));
    for (const Row& r : rs.rows) {
      InstancePosition p{FieldInt(r[0]),
                         FieldInt(r[1]),
                         FieldText(r[2]),
                         FieldOptText(r[3]),
                         static_cast<int>(FieldInt(r[4])),
                         0};
      const StepRow* at = StepAt(p.sequence_id, p.current_step);
      p.current_step_id = at ? at->id : 0;
      record_->cron.open_instances.push_back(std::move(p));
    }
    return Status::OK();
  }

  Status ReadDue(std::vector<DueInstance>* due) {
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(sql_.Query(
        "SELECT i.id, i.sequence_id, i.lead_id, i.current_step, i.next_step_due, i.paused_reason, "
        "s.workspace_id, s.is_active, w.follow_ups_paused, w.timezone, w.business_hours_start, "
        "w.business_hours_end, w.business_days, w.company_name, w.sender_name, w.calendar_link, "
        "l.first_name, l.last_name, l.company, l.phone, l.linkedin_url, l.status "
        "FROM follow_up_instances i "
        "JOIN follow_up_sequences s ON s.id = i.sequence_id "
        "JOIN workspaces w ON w.id = s.workspace_id "
        "JOIN leads l ON l.id = i.lead_id "
        "WHERE i.status = 'active' AND i.next_step_due <= ?1 ORDER BY i.next_step_due, i.id",
        {Value::Text(now_)}, &rs));
    for (const Row& r : rs.rows) {
      DueInstance d;
      d.id = FieldInt(r[0]);
      d.sequence_id = FieldInt(r[1]);
      d.lead_id = FieldInt(r[2]);
      d.current_step = static_cast<int>(FieldInt(r[3]));
      d.next_step_due = FieldText(r[4]);
      d.paused_reason = FieldOptText(r[5]);
      d.workspace_id = FieldInt(r[6]);
      d.held = !FieldBool(r[7]) || FieldBool(r[8]);
      d.timezone = FieldText(r[9]);
      d.hours_start = FieldText(r[10]);
      d.hours_end = FieldText(r[11]);
      d.business_days = FieldText(r[12]);
      d.settings.company_name = FieldOptText(r[13]);
      d.settings.sender_name = FieldOptText(r[14]);
      d.settings.calendar_link = FieldOptText(r[15]);
      d.lead.first_name = FieldOptText(r[16]);
      d.lead.last_name = FieldOptText(r[17]);
      d.lead.company = FieldOptText(r[18]);
      d.lead.phone = FieldOptText(r[19]);
      d.lead.linkedin_url = FieldOptText(r[20]);
      d.lead.status = FieldText(r[21]);
      due->push_back(std::move(d));
    }
    return Status::OK();
  }

  const StepRow* StepAt(int64_t sequence_id, int order) const {
    auto it = steps_.find(sequence_id);
    if (it == steps_.end()) return nullptr;
    for (const StepRow& s : it->second) {
      if (s.step_order == order) return &s;
    }
    return nullptr;
  }

  // The first step whose order is above `order`: steps_ is sorted by order.
  const StepRow* StepAfter(int64_t sequence_id, int order) const {
    auto it = steps_.find(sequence_id);
    if (it == steps_.end()) return nullptr;
    for (const StepRow& s : it->second) {
      if (s.step_order > order) return &s;
    }
    return nullptr;
  }

  const TimeZoneRules& Zone(const std::string& name) {
    auto it = zones_.find(name);
    if (it != zones_.end()) return it->second;
    TimeZoneRules rules = TimeZoneRules::Utc();
    Status s = TimeZoneRules::Load(name, &rules, options_.zoneinfo_dir);
    if (!s.ok()) record_->notes.push_back(s.message() + "; using UTC");
    return zones_.emplace(name, std::move(rules)).first->second;
  }

  // current_step = `step`, and next_step_due from the spacing to the step
  // after it, or the instance completes when there is none.
  Status Advance(int64_t instance_id, const StepRow& step, bool sent) {
    const StepRow* following = StepAfter(current_sequence_, step.step_order);
    const Value at = Value::Text(now_);
    if (!following) {
      return sql_.Exec(std::string("UPDATE follow_up_instances SET current_step = ?1, ") +
                           (sent ? "last_step_at = ?2, " : "") +
                           "status = 'completed', completed_at = ?2, next_step_due = NULL, "
                           "updated_at = ?2 WHERE id = ?3",
                       {Value::Integer(step.step_order), at, Value::Integer(instance_id)});
    }
    const int64_t spacing =
        std::max<int64_t>(0, following->offset_minutes - step.offset_minutes) * kMicrosPerMinute;
    return sql_.Exec(
        std::string("UPDATE follow_up_instances SET current_step = ?1, ") +
            (sent ? "last_step_at = ?2, " : "") +
            "next_step_due = ?3, updated_at = ?2 WHERE id = ?4",
        {Value::Integer(step.step_order), at, Value::Text(FormatTimestamp(now_micros_ + spacing)),
         Value::Integer(instance_id)});
  }

  Status Reschedule(int64_t instance_id, int64_t due) {
    return sql_.Exec(
        "UPDATE follow_up_instances SET next_step_due = ?1, updated_at = ?2 "
        "WHERE id = ?3",
        {Value::Text(FormatTimestamp(due)), Value::Text(now_), Value::Integer(instance_id)});
  }

  Status WriteTask(const DueInstance& d, const StepRow& step, const char* status) {
    std::optional<std::string> subject;
    if (step.subject) subject = RenderFollowUpTemplate(*step.subject, d.lead, d.settings);
    const std::string message = RenderFollowUpTemplate(step.message_template, d.lead, d.settings);
    const bool done = std::string_view(status) == "completed";
    return sql_.Exec(
        "INSERT INTO follow_up_tasks (id, lead_id, instance_id, step_order, channel, status, "
        "subject, suggested_message, due_at, completed_at, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?9)",
        {Value::Integer(next_task_id_++), Value::Integer(d.lead_id), Value::Integer(d.id),
         Value::Integer(step.step_order), Value::Text(step.channel), Value::Text(status),
         subject ? Value::Text(*subject) : Value::Null(), Value::Text(message), Value::Text(now_),
         done ? Value::Text(now_) : Value::Null()});
  }

  Status Decide(const DueInstance& d, FollowUpDecision* out) {
    current_sequence_ = d.sequence_id;
    out->instance_id = d.id;
    out->workspace_id = d.workspace_id;
    out->sequence_id = d.sequence_id;
    out->paused_reason_before = d.paused_reason;
    out->current_step_before = d.current_step;
    const StepRow* at = StepAt(d.sequence_id, d.current_step);
    out->current_step_id = at ? at->id : 0;
    out->next_step_due_before = d.next_step_due;
    const BusinessHours hours(&Zone(d.timezone), d.hours_start, d.hours_end, d.business_days);
    out->local_time = hours.DescribeLocal(now_micros_);
    touched_.push_back(d.id);

    const StepRow* step = StepAfter(d.sequence_id, d.current_step);
    if (step) {
      out->step_id = step->id;
      out->step_order = step->step_order;
      out->channel = step->channel;
    }
    if (d.held) {
      out->action = FollowUpAction::kHeldByWorkspace;
      return Status::OK();
    }
    if (!step) {
      out->action = FollowUpAction::kCompleted;
      return sql_.Exec(
          "UPDATE follow_up_instances SET status = 'completed', completed_at = ?1, "
          "next_step_due = NULL, updated_at = ?1 WHERE id = ?2",
          {Value::Text(now_), Value::Integer(d.id)});
    }
    if (!hours.IsOpen(now_micros_)) {
      std::optional<int64_t> opening = hours.NextOpen(now_micros_);
      if (!opening) {
        out->action = FollowUpAction::kHeldByWorkspace;  // a workspace with no window at all
        return Status::OK();
      }
      out->action = FollowUpAction::kDeferredBusinessHours;
      return Reschedule(d.id, *opening);
    }
    if (!ConditionHolds(step->condition, d.lead)) {
      out->action = FollowUpAction::kSkippedCondition;
      return Advance(d.id, *step, /*sent=*/false);
    }
    if (step->requires_approval) {
      out->action = FollowUpAction::kAwaitingApproval;
      REHEARSE_RETURN_IF_ERROR(WriteTask(d, *step, "pending"));
      return sql_.Exec(
          "UPDATE follow_up_instances SET status = 'paused', paused_reason = 'awaiting_approval', "
          "updated_at = ?1 WHERE id = ?2",
          {Value::Text(now_), Value::Integer(d.id)});
    }
    int& sent = sent_[{d.workspace_id, step->channel}];
    auto limit = options_.rate_limits.find(step->channel);
    if (options_.enforce_rate_limit && limit != options_.rate_limits.end() &&
        sent >= limit->second) {
      out->action = FollowUpAction::kDeferredRateLimit;
      return Reschedule(d.id, now_micros_ + options_.tick_interval_minutes * kMicrosPerMinute);
    }
    ++sent;
    out->action = FollowUpAction::kSent;
    REHEARSE_RETURN_IF_ERROR(
        WriteTask(d, *step, step->channel == "email" ? "completed" : "pending"));
    return Advance(d.id, *step, /*sent=*/true);
  }

  Status ReadBack() {
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(
        sql_.QueryIds("SELECT id, status, paused_reason, current_step, next_step_due "
                      "FROM follow_up_instances WHERE id IN ",
                      touched_, &rs));
    std::map<int64_t, const Row*> instances;
    for (const Row& r : rs.rows) instances[FieldInt(r[0])] = &r;
    ResultSet tasks;
    REHEARSE_RETURN_IF_ERROR(
        sql_.Query("SELECT instance_id, id, channel, status, subject, suggested_message "
                   "FROM follow_up_tasks WHERE id >= ?1 ORDER BY id",
                   {Value::Integer(first_task_id_)}, &tasks));
    std::map<int64_t, const Row*> task_of;
    for (const Row& r : tasks.rows) task_of[FieldInt(r[0])] = &r;
    for (FollowUpDecision& d : record_->cron.decisions) {
      if (auto it = instances.find(d.instance_id); it != instances.end()) {
        const Row& r = *it->second;
        d.status_after = FieldText(r[1]);
        d.paused_reason_after = FieldOptText(r[2]);
        d.current_step_after = static_cast<int>(FieldInt(r[3]));
        d.next_step_due_after = FieldOptText(r[4]);
      }
      if (auto it = task_of.find(d.instance_id); it != task_of.end()) {
        const Row& r = *it->second;
        d.task_id = FieldInt(r[1]);
        d.task_channel = FieldText(r[2]);
        d.task_status = FieldText(r[3]);
        d.subject = FieldOptText(r[4]);
        d.message = FieldOptText(r[5]);
      }
    }
    return Status::OK();
  }

  WorkloadSql sql_;
  const FollowUpCronTickOptions& options_;
  const std::string& now_;
  int64_t now_micros_;
  WorkloadRecord* record_;
  std::map<int64_t, std::vector<StepRow>> steps_;  // by sequence, in step_order
  std::map<std::string, TimeZoneRules> zones_;
  std::map<std::pair<int64_t, std::string>, int> sent_;  // canSendFollowUp's counters
  std::vector<int64_t> touched_;
  int64_t current_sequence_ = 0;
  int64_t first_task_id_ = 1;
  int64_t next_task_id_ = 1;
};

}  // namespace

std::string FollowUpCronTick::name() const {
  return options_.enforce_rate_limit ? "follow_up_cron_tick" : "follow_up_cron_tick_unthrottled";
}

Status FollowUpCronTick::Play(Database* db, const std::string& now, WorkloadRecord* record) {
  return PlayAndRollBack(
      db, WorkloadKind::kFollowUpCronTick, name(), now, record,
      [&](int64_t now_micros) { return CronTickRun(db, options_, now, now_micros, record).Run(); });
}

}  // namespace rehearse
