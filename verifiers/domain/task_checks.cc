#include "verifiers/domain/task_checks.h"

#include "fixtures/domain/outreach_plan.h"
#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

namespace {

constexpr size_t kShown = 10;

// Either dialect's value as one comparable token: NULL is not ''.
std::string Token(const Value& v) { return v.is_null() ? "\x01NULL" : FieldText(v); }
std::string Quoted(const Value& v) { return v.is_null() ? "NULL" : "'" + FieldText(v) + "'"; }

Status TasksExist(Database* db, bool* exists) {
  return WorkloadSql(db).TableExists("follow_up_tasks", exists);
}

std::string FirstTen(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < kShown; ++i) out += (i ? "; " : "") + items[i];
  if (items.size() > kShown) out += "; and " + std::to_string(items.size() - kShown) + " more";
  return out;
}

}  // namespace

Status ReadTaskCopy(Database* db, TaskCopy* out) {
  *out = TaskCopy();
  bool exists = false;
  REHEARSE_RETURN_IF_ERROR(TasksExist(db, &exists));
  if (!exists) return Status::OK();
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT * FROM follow_up_tasks WHERE status = 'completed' ORDER BY id", {}, &rs));
  out->task_columns = rs.columns;
  for (Row& r : rs.rows) out->completed[FieldInt(r[0])] = std::move(r);
  ResultSet steps;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT sequence_id, id, step_order, channel, subject, message_template "
                  "FROM follow_up_steps ORDER BY sequence_id, id",
                  {}, &steps));
  for (const Row& r : steps.rows) {
    std::string& copy = out->step_copy[FieldInt(r[0])];
    for (size_t c = 1; c < r.size(); ++c) copy += Token(r[c]) + '\x02';
  }
  return Status::OK();
}

CheckResult CompletedTasksUntouched(const TaskCopy& before, Database* db) {
  const char* kName = "completed_tasks_untouched";
  ResultSet rs;
  bool exists = false;
  Status s = TasksExist(db, &exists);
  if (s.ok() && exists)
    s = db->Execute("SELECT * FROM follow_up_tasks WHERE status = 'completed' ORDER BY id", {},
                    &rs);
  if (!s.ok()) return CheckResult::Fail(kName, "could not read the state: " + s.ToString());
  if (!exists) return CheckResult::Skip(kName, "no follow_up_tasks table");
  std::map<int64_t, const Row*> after;
  for (const Row& r : rs.rows) after[FieldInt(r[0])] = &r;
  std::vector<std::string> changed;
  for (const auto& [id, row] : before.completed) {
    auto a = after.find(id);
    if (a == after.end()) {
      changed.push_back("task " + std::to_string(id) + " is gone or no longer completed");
      continue;
    }
    for (size_t c = 0; c < row.size() && c < a->second->size(); ++c) {
      if (Token(row[c]) == Token((*a->second)[c])) continue;
      const std::string column = c < before.task_columns.size() ? before.task_columns[c] : "?";
      changed.push_back("task " + std::to_string(id) + " " + column + ": " + Quoted(row[c]) +
                        " -> " + Quoted((*a->second)[c]));
    }
  }
  if (!changed.empty())
    return CheckResult::Fail(kName, std::to_string(changed.size()) +
                                        " change(s) to completed tasks: " + FirstTen(changed));
  return CheckResult::Pass(
      kName, std::to_string(before.completed.size()) + " completed tasks as they were");
}

CheckResult PendingTasksRerendered(const TaskCopy& before, Database* db) {
  const char* kName = "pending_tasks_rerendered";
  enum {
    kId,
    kMessage,
    kSubject,
    kChannel,
    kStepSubject,
    kTemplate,
    kSequence,
    kFirst,
    kLast,
    kCompany,
    kCompanyName,
    kSender,
    kCalendar
  };
  bool exists = false;
  ResultSet rs;
  Status s = TasksExist(db, &exists);
  if (s.ok() && exists) {
    s = db->Execute(
        "SELECT t.id, t.suggested_message, t.subject, st.channel, st.subject, "
        "st.message_template, s.id, l.first_name, l.last_name, l.company, w.company_name, "
        "w.sender_name, w.calendar_link FROM follow_up_tasks t "
        "JOIN follow_up_instances i ON i.id = t.instance_id "
        "JOIN follow_up_sequences s ON s.id = i.sequence_id "
        "JOIN follow_up_steps st ON st.sequence_id = s.id AND st.step_order = t.step_order "
        "JOIN leads l ON l.id = t.lead_id JOIN workspaces w ON w.id = s.workspace_id "
        "WHERE t.status = 'pending' ORDER BY t.id",
        {}, &rs);
  }
  if (!s.ok()) return CheckResult::Fail(kName, "could not read the state: " + s.ToString());
  if (!exists) return CheckResult::Skip(kName, "no follow_up_tasks table");
  TaskCopy after;
  s = ReadTaskCopy(db, &after);
  if (!s.ok()) return CheckResult::Fail(kName, "could not read the steps: " + s.ToString());
  std::vector<std::string> stale;
  size_t judged = 0;
  for (const Row& r : rs.rows) {
    const int64_t sequence = FieldInt(r[kSequence]);
    auto was = before.step_copy.find(sequence);
    auto now = after.step_copy.find(sequence);
    bool rewritten =
        was == before.step_copy.end() || now == after.step_copy.end() || was->second != now->second;
    if (!rewritten) continue;
    ++judged;
    LeadFacts lead;
    lead.first_name = FieldOptText(r[kFirst]);
    lead.last_name = FieldOptText(r[kLast]);
    lead.company = FieldOptText(r[kCompany]);
    WorkspaceSettings workspace;
    workspace.company_name = FieldOptText(r[kCompanyName]);
    workspace.sender_name = FieldOptText(r[kSender]);
    workspace.calendar_link = FieldOptText(r[kCalendar]);
    const std::string id = "task " + FieldText(r[kId]);
    const std::string message = RenderFollowUpTemplate(FieldText(r[kTemplate]), lead, workspace);
    if (r[kMessage].is_null() || FieldText(r[kMessage]) != message)
      stale.push_back(id + " suggested_message: " + Quoted(r[kMessage]) + ", rendered: '" +
                      message + "'");
    if (FieldText(r[kChannel]) == "email" && !r[kStepSubject].is_null()) {
      const std::string subject =
          RenderFollowUpTemplate(FieldText(r[kStepSubject]), lead, workspace);
      if (r[kSubject].is_null() || FieldText(r[kSubject]) != subject)
        stale.push_back(id + " subject: " + Quoted(r[kSubject]) + ", rendered: '" + subject + "'");
    }
  }
  if (!stale.empty())
    return CheckResult::Fail(
        kName, std::to_string(stale.size()) +
                   " pending task field(s) not rendered from their step: " + FirstTen(stale));
  return CheckResult::Pass(
      kName,
      std::to_string(judged) + " pending tasks of rewritten sequences carry their step's copy");
}

}  // namespace rehearse
