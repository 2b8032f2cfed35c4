#include "migrations/code/task_rerender.h"

#include "fixtures/domain/outreach_plan.h"
#include "migrations/code/recorded_rows.h"
#include "migrations/code/stored_values.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr size_t kSamples = 3;

const RecordedRows& PreviousTasks() {
  static const RecordedRows kRows("follow_up_tasks",
                                  {{"id", "id", ColumnKind::kBigint},
                                   {"suggestedMessage", "suggested_message", ColumnKind::kText},
                                   {"subject", "subject", ColumnKind::kText},
                                   {"stepOrder", "step_order", ColumnKind::kInteger},
                                   {"updatedAt", "updated_at", ColumnKind::kTimestamp}});
  return kRows;
}

// Columns of the streamed query, in order.
enum TaskColumn {
  kId,
  kSuggestedMessage,
  kSubject,
  kStepOrder,
  kUpdatedAt,
  kSequenceId,
  kFirstName,
  kLastName,
  kCompany,
  kCompanyName,
  kSenderName,
  kCalendarLink,
};

Value Rendered(const std::optional<std::string>& tmpl, const LeadFacts& lead,
               const WorkspaceSettings& workspace) {
  if (!tmpl) return Value::Null();
  return Value::Text(RenderFollowUpTemplate(*tmpl, lead, workspace));
}

}  // namespace

Status RerenderPendingTasks(Database* db, const OverwriteScope& scope,
                            const std::map<int64_t, const SequenceOverwrite*>& plans,
                            const std::string& now, json* payload, json* summary) {
  int64_t pending = 0, updated = 0, remapped = 0, unmapped = 0;
  std::vector<Row> changes;  // id, suggested_message, subject, step_order, updated_at
  json previous = PreviousTasks().NewSection();
  json samples = json::array();
  Status s = db->Stream(
      "SELECT t.id, t.suggested_message, t.subject, t.step_order, t.updated_at, i.sequence_id, "
      "l.first_name, l.last_name, l.company, w.company_name, w.sender_name, w.calendar_link "
      "FROM follow_up_tasks t JOIN follow_up_instances i ON i.id = t.instance_id "
      "JOIN follow_up_sequences s ON s.id = i.sequence_id JOIN leads l ON l.id = t.lead_id "
      "JOIN workspaces w ON w.id = s.workspace_id WHERE " +
          scope.SequenceCondition("s") + " AND t.status = 'pending' ORDER BY t.id",
      [&](const Row& row) {
        ++pending;
        int64_t id, sequence_id, old_order = 0;
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[kId], "follow_up_tasks.id", &id));
        const std::string where = "follow_up_tasks " + std::to_string(id);
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[kSequenceId], where + " sequence", &sequence_id));
        auto plan = plans.find(sequence_id);
        if (plan == plans.end())
          return Status::Database(where + ": its sequence was not read with the others");
        if (!row[kStepOrder].is_null())
          REHEARSE_RETURN_IF_ERROR(StoredInt(row[kStepOrder], where + " step_order", &old_order));
        const int new_order = row[kStepOrder].is_null() || old_order < 1 || old_order > (1 << 30)
                                  ? 0
                                  : plan->second->NewOrderOf(static_cast<int>(old_order));
        const CanonicalStep* step = plan->second->canonical().At(new_order);
        if (!step) {
          ++unmapped;
          return Status::OK();
        }
        LeadFacts lead;
        lead.first_name = StoredText(row[kFirstName]);
        lead.last_name = StoredText(row[kLastName]);
        lead.company = StoredText(row[kCompany]);
        WorkspaceSettings workspace;
        workspace.company_name = StoredText(row[kCompanyName]);
        workspace.sender_name = StoredText(row[kSenderName]);
        workspace.calendar_link = StoredText(row[kCalendarLink]);
        Value message = Rendered(step->message_template, lead, workspace);
        Value subject =
            Rendered(step->key.channel == "email" ? step->subject : std::nullopt, lead, workspace);
        if (new_order == old_order && message == row[kSuggestedMessage] && subject == row[kSubject])
          return Status::OK();

        ++updated;
        if (new_order != old_order) ++remapped;
        if (samples.size() < kSamples) {
          samples.push_back(
              {{"id", id},
               {"stepOrder", std::to_string(old_order) + " -> " + std::to_string(new_order)},
               {"suggestedMessage",
                {{"before", SampleText(row[kSuggestedMessage])}, {"after", SampleText(message)}}}});
        }
        if (payload) {
          REHEARSE_RETURN_IF_ERROR(PreviousTasks().Append(
              {row[kId], row[kSuggestedMessage], row[kSubject], row[kStepOrder], row[kUpdatedAt]},
              &previous));
        }
        changes.push_back({Value::Integer(id), std::move(message), std::move(subject),
                           Value::Integer(new_order), Value::Text(now)});
        return Status::OK();
      });
  REHEARSE_RETURN_IF_ERROR(s);

  if (!changes.empty()) {
    TempTable temp(db, "rehearse_0003_tasks",
                   {{"id", ColumnKind::kBigint},
                    {"suggested_message", ColumnKind::kText},
                    {"subject", ColumnKind::kText},
                    {"step_order", ColumnKind::kInteger},
                    {"updated_at", ColumnKind::kTimestamp}});
    REHEARSE_RETURN_IF_ERROR(temp.Create());
    REHEARSE_RETURN_IF_ERROR(temp.Load(changes));
    REHEARSE_RETURN_IF_ERROR(temp.CopyColumnsInto(
        "follow_up_tasks", {"suggested_message", "subject", "step_order", "updated_at"}));
    REHEARSE_RETURN_IF_ERROR(temp.Drop());
  }
  if (payload) {
    REHEARSE_RETURN_IF_ERROR(PreviousTasks().RecordWritten(db, &previous));
    (*payload)["tasks"] = std::move(previous);
  }
  (*summary)["tasks"] = {{"pending", pending},
                         {"rerendered", updated},
                         {"stepOrderRemapped", remapped},
                         {"unmapped", unmapped}};
  (*summary)["samples"]["tasks"] = std::move(samples);
  return Status::OK();
}

Status RestoreTasks(Database* db, const json& payload) {
  if (!payload.contains("tasks"))
    return Status::Corruption("rollback artifact: payload has no \"tasks\"");
  return PreviousTasks().Restore(db, payload["tasks"]);
}

Status FindLaterTaskChanges(Database* db, const json& payload, std::vector<LaterChange>* changes,
                            int64_t* rows) {
  if (!payload.contains("tasks"))
    return Status::Corruption("rollback artifact: payload has no \"tasks\"");
  return PreviousTasks().FindLaterChanges(db, payload["tasks"], changes, rows);
}

}  // namespace rehearse
