#include "migrations/code/step_rewrite.h"

#include "migrations/code/recorded_rows.h"
#include "migrations/code/stored_values.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr size_t kSamples = 3;

// Previous values of a rewritten step: what the seed lists, plus channel and
// requires_approval (also overwritten, so also needed for an exact rollback)
// and updated_at (the rewrite sets it).
const RecordedRows& UpdatedSteps() {
  static const RecordedRows kRows("follow_up_steps",
                                  {{"id", "id", ColumnKind::kBigint},
                                   {"stepOrder", "step_order", ColumnKind::kInteger},
                                   {"dayOffset", "day_offset", ColumnKind::kInteger},
                                   {"minuteOffset", "minute_offset", ColumnKind::kInteger},
                                   {"channel", "channel", ColumnKind::kText},
                                   {"condition", "condition", ColumnKind::kText},
                                   {"subject", "subject", ColumnKind::kText},
                                   {"messageTemplate", "message_template", ColumnKind::kText},
                                   {"requiresApproval", "requires_approval", ColumnKind::kBoolean},
                                   {"updatedAt", "updated_at", ColumnKind::kTimestamp}});
  return kRows;
}

// Every column of a deleted step, so that it can be inserted again as it was.
const RecordedRows& DeletedSteps() {
  static const RecordedRows kRows("follow_up_steps",
                                  {{"id", "id", ColumnKind::kBigint},
                                   {"sequenceId", "sequence_id", ColumnKind::kBigint},
                                   {"stepOrder", "step_order", ColumnKind::kInteger},
                                   {"dayOffset", "day_offset", ColumnKind::kInteger},
                                   {"minuteOffset", "minute_offset", ColumnKind::kInteger},
                                   {"channel", "channel", ColumnKind::kText},
                                   {"condition", "condition", ColumnKind::kText},
                                   {"subject", "subject", ColumnKind::kText},
                                   {"messageTemplate", "message_template", ColumnKind::kText},
                                   {"requiresApproval", "requires_approval", ColumnKind::kBoolean},
                                   {"createdAt", "created_at", ColumnKind::kTimestamp},
                                   {"updatedAt", "updated_at", ColumnKind::kTimestamp}});
  return kRows;
}

std::vector<TempColumn> TempColumnsOf(const RecordedRows& rows) {
  std::vector<TempColumn> out;
  for (const RecordedColumn& c : rows.columns()) out.push_back({c.sql, c.kind});
  return out;
}

std::vector<std::string> SqlNamesOf(const RecordedRows& rows, bool with_id) {
  std::vector<std::string> out;
  for (const RecordedColumn& c : rows.columns())
    if (with_id || c.sql != "id") out.push_back(c.sql);
  return out;
}

Value OptText(const std::optional<std::string>& s) { return s ? Value::Text(*s) : Value::Null(); }

Status MaxOf(Database* db, const std::string& expression, int64_t* out) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT COALESCE(MAX(" + expression + "), 0) FROM follow_up_steps", {}, &rs));
  return StoredInt(rs.rows.at(0).at(0), "MAX(" + expression + ")", out);
}

// Rewrites the rows of `temp` (columns of UpdatedSteps) into follow_up_steps
// in two statements: first every row whose step_order changes moves above
// all current step_orders, where no two can collide, then every column takes
// its final value.
Status RewriteInTwoMoves(Database* db, const std::vector<Row>& rows) {
  if (rows.empty()) return Status::OK();
  TempTable temp(db, "rehearse_0003_steps", TempColumnsOf(UpdatedSteps()));
  REHEARSE_RETURN_IF_ERROR(temp.Create());
  REHEARSE_RETURN_IF_ERROR(temp.Load(rows));
  int64_t top = 0;
  REHEARSE_RETURN_IF_ERROR(MaxOf(db, "step_order", &top));
  REHEARSE_RETURN_IF_ERROR(temp.UpdateTarget(
      "follow_up_steps", {"step_order = " + std::to_string(top) + " + u.step_order"},
      "follow_up_steps.step_order <> u.step_order"));
  REHEARSE_RETURN_IF_ERROR(
      temp.CopyColumnsInto("follow_up_steps", SqlNamesOf(UpdatedSteps(), false)));
  return temp.Drop();
}

Status DeleteIds(Database* db, const std::vector<Row>& ids) {
  if (ids.empty()) return Status::OK();
  TempTable temp(db, "rehearse_0003_step_ids", {{"id", ColumnKind::kBigint}});
  REHEARSE_RETURN_IF_ERROR(temp.Create());
  REHEARSE_RETURN_IF_ERROR(temp.Load(ids));
  REHEARSE_RETURN_IF_ERROR(temp.DeleteFromTarget("follow_up_steps"));
  return temp.Drop();
}

Status InsertSteps(Database* db, const std::vector<Row>& rows) {
  if (rows.empty()) return Status::OK();
  VectorRowSource source(rows);
  return db->BulkLoad("follow_up_steps", SqlNamesOf(DeletedSteps(), true), &source);
}

json Sample(const DefaultSequence& seq, const ExistingStep& e, const CanonicalStep& c) {
  return {{"sequenceId", seq.id},
          {"stepId", e.id},
          {"stepOrder", std::to_string(e.step_order) + " -> " + std::to_string(c.step_order)},
          {"timing", e.key.ToString() + " -> " + c.key.ToString()},
          {"messageTemplate",
           {{"before", SampleText(e.message_template)},
            {"after", SampleText(Value::Text(c.message_template))}}}};
}

}  // namespace

Status RewriteSteps(Database* db, const std::vector<DefaultSequence>& sequences,
                    const std::string& now, json* payload, json* summary) {
  const Dialect dialect = db->dialect();
  int64_t next_id = 0;
  REHEARSE_RETURN_IF_ERROR(MaxOf(db, "id", &next_id));
  ++next_id;

  std::vector<Row> deleted_ids, rewrites, inserts;
  json updated_section = UpdatedSteps().NewSection();
  json deleted_section = DeletedSteps().NewSection();
  json inserted_ids = json::array(), changed_sequences = json::array();
  json per_name = json::object(), samples = json::array();
  for (const DefaultSequence& seq : sequences) {
    const SequenceOverwrite& plan = seq.overwrite;
    json& counts = per_name[seq.name];
    for (const char* k : {"sequences", "alreadyCanonical", "stepsRewritten", "stepsInserted",
                          "stepsDeleted", "stepsUnchanged"})
      if (!counts.contains(k)) counts[k] = 0;
    counts["sequences"] = counts["sequences"].get<int64_t>() + 1;
    auto bump = [&counts](const char* key) { counts[key] = counts[key].get<int64_t>() + 1; };
    if (plan.unchanged()) {
      bump("alreadyCanonical");
      counts["stepsUnchanged"] =
          counts["stepsUnchanged"].get<int64_t>() + static_cast<int64_t>(plan.existing().size());
      continue;
    }
    json entry = {{"id", seq.id},
                  {"name", seq.name},
                  {"clientId", seq.workspace_id},
                  {"stepsUpdated", json::array()},
                  {"stepsInserted", json::array()},
                  {"stepsDeleted", json::array()}};
    for (size_t i = 0; i < plan.existing().size(); ++i) {
      const ExistingStep& e = plan.existing()[i];
      const Row previous = {Value::Integer(e.id),
                            Value::Integer(e.step_order),
                            Value::Integer(e.key.day_offset),
                            Value::Integer(e.key.minute_offset),
                            Value::Text(e.key.channel),
                            e.condition,
                            e.subject,
                            e.message_template,
                            Value::Integer(e.requires_approval),
                            e.updated_at};
      const CanonicalStep* c = plan.canonical().At(plan.MatchOf(i));
      if (!c) {
        bump("stepsDeleted");
        deleted_ids.push_back({Value::Integer(e.id)});
        entry["stepsDeleted"].push_back(e.id);
        if (payload) {
          Row full = {Value::Integer(e.id), Value::Integer(seq.id)};
          full.insert(full.end(), previous.begin() + 1, previous.end() - 1);
          full.push_back(e.created_at);
          full.push_back(e.updated_at);
          REHEARSE_RETURN_IF_ERROR(DeletedSteps().Append(full, &deleted_section));
        }
      } else if (plan.NeedsRewrite(i)) {
        bump("stepsRewritten");
        rewrites.push_back({Value::Integer(e.id), Value::Integer(c->step_order),
                            Value::Integer(c->key.day_offset), Value::Integer(c->key.minute_offset),
                            Value::Text(c->key.channel), OptText(c->condition), OptText(c->subject),
                            Value::Text(c->message_template),
                            BoolValue(dialect, c->requires_approval), Value::Text(now)});
        entry["stepsUpdated"].push_back(e.id);
        if (payload) REHEARSE_RETURN_IF_ERROR(UpdatedSteps().Append(previous, &updated_section));
        if (samples.size() < kSamples) samples.push_back(Sample(seq, e, *c));
      } else {
        bump("stepsUnchanged");
      }
    }
    for (int order : plan.inserted()) {
      const CanonicalStep& c = *plan.canonical().At(order);
      bump("stepsInserted");
      inserts.push_back({Value::Integer(next_id), Value::Integer(seq.id),
                         Value::Integer(c.step_order), Value::Integer(c.key.day_offset),
                         Value::Integer(c.key.minute_offset), Value::Text(c.key.channel),
                         OptText(c.condition), OptText(c.subject), Value::Text(c.message_template),
                         BoolValue(dialect, c.requires_approval), Value::Text(now),
                         Value::Text(now)});
      entry["stepsInserted"].push_back(next_id);
      inserted_ids.push_back(next_id);
      ++next_id;
    }
    if (payload) changed_sequences.push_back(std::move(entry));
  }

  // Deletes first (they free step_orders), inserts last (they need them).
  REHEARSE_RETURN_IF_ERROR(DeleteIds(db, deleted_ids));
  REHEARSE_RETURN_IF_ERROR(RewriteInTwoMoves(db, rewrites));
  REHEARSE_RETURN_IF_ERROR(InsertSteps(db, inserts));

  if (payload) {
    REHEARSE_RETURN_IF_ERROR(UpdatedSteps().RecordWritten(db, &updated_section));
    (*payload)["sequences"] = std::move(changed_sequences);
    (*payload)["steps"] = {{"updated", std::move(updated_section)},
                           {"inserted", std::move(inserted_ids)},
                           {"deleted", std::move(deleted_section)}};
  }
  (*summary)["sequencesFound"] = sequences.size();
  (*summary)["stepsBySequenceName"] = std::move(per_name);
  (*summary)["samples"]["steps"] = std::move(samples);
  return Status::OK();
}

Status RestoreSteps(Database* db, const json& payload) {
  if (!payload.contains("steps") || !payload["steps"].is_object())
    return Status::Corruption("rollback artifact: payload has no \"steps\"");
  const json& steps = payload["steps"];
  if (!steps.contains("inserted") || !steps["inserted"].is_array())
    return Status::Corruption("rollback artifact: steps.inserted must be an array of ids");
  std::vector<Row> inserted;
  for (const json& id : steps["inserted"]) {
    if (!id.is_number_integer())
      return Status::Corruption("rollback artifact: steps.inserted holds " + id.dump());
    inserted.push_back({Value::Integer(id.get<int64_t>())});
  }
  std::vector<Row> updated, deleted;
  REHEARSE_RETURN_IF_ERROR(
      UpdatedSteps().Decode(steps.value("updated", json()), db->dialect(), &updated));
  REHEARSE_RETURN_IF_ERROR(
      DeletedSteps().Decode(steps.value("deleted", json()), db->dialect(), &deleted));

  REHEARSE_RETURN_IF_ERROR(DeleteIds(db, inserted));
  REHEARSE_RETURN_IF_ERROR(RewriteInTwoMoves(db, updated));
  return InsertSteps(db, deleted);
}

Status FindLaterStepChanges(Database* db, const json& payload, std::vector<LaterChange>* changes,
                            int64_t* rows) {
  if (!payload.contains("steps") || !payload["steps"].is_object())
    return Status::Corruption("rollback artifact: payload has no \"steps\"");
  return UpdatedSteps().FindLaterChanges(db, payload["steps"].value("updated", json()), changes,
                                         rows);
}

}  // namespace rehearse
