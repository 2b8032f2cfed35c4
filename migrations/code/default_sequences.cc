#include "migrations/code/default_sequences.h"

#include "migrations/code/stored_values.h"

namespace rehearse {

std::string OverwriteScope::SequenceCondition(const std::string& alias) const {
  std::string sql = alias + ".name IN (";
  for (size_t i = 0; i < names.size(); ++i) sql += (i ? ", " : "") + SqlLiteral(names[i]);
  sql += ")";
  if (workspace_id) sql += " AND " + alias + ".workspace_id = " + std::to_string(*workspace_id);
  return sql;
}

Status ParseOverwriteScope(Database* db, const std::string& scope,
                           const std::vector<CanonicalSequence>& canonical, OverwriteScope* out) {
  OverwriteScope parsed;
  for (const CanonicalSequence& c : canonical) parsed.names.push_back(c.name);
  if (!scope.empty()) {
    // At most 18 digits: any such number fits in a bigint.
    if (scope.size() > 18 || scope.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidInput("scope '" + scope +
                                  "' is not a client (workspace) id: expected decimal digits");
    }
    const int64_t id = std::stoll(scope);
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT count(*) FROM workspaces WHERE id = " + std::to_string(id), {}, &rs));
    int64_t count = 0;
    REHEARSE_RETURN_IF_ERROR(StoredInt(rs.rows.at(0).at(0), "count", &count));
    if (count == 0) return Status::InvalidInput("no workspace has id " + scope);
    parsed.workspace_id = id;
  }
  *out = std::move(parsed);
  return Status::OK();
}

Status ReadDefaultSequences(Database* db, const OverwriteScope& scope,
                            const std::vector<CanonicalSequence>& canonical,
                            std::vector<DefaultSequence>* out) {
  out->clear();
  std::map<std::string, const CanonicalSequence*> by_name;
  for (const CanonicalSequence& c : canonical) by_name[c.name] = &c;

  struct Header {
    int64_t id, workspace_id;
    std::string name;
  };
  std::vector<Header> headers;
  REHEARSE_RETURN_IF_ERROR(
      db->Stream("SELECT s.id, s.workspace_id, s.name FROM follow_up_sequences s WHERE " +
                     scope.SequenceCondition("s") + " ORDER BY s.id",
                 [&](const Row& row) {
                   Header h;
                   REHEARSE_RETURN_IF_ERROR(StoredInt(row[0], "follow_up_sequences.id", &h.id));
                   REHEARSE_RETURN_IF_ERROR(
                       StoredInt(row[1], "follow_up_sequences.workspace_id", &h.workspace_id));
                   h.name = row[2].bytes;
                   headers.push_back(std::move(h));
                   return Status::OK();
                 }));

  std::map<int64_t, std::vector<ExistingStep>> steps;
  REHEARSE_RETURN_IF_ERROR(db->Stream(
      "SELECT st.id, st.sequence_id, st.step_order, st.day_offset, st.minute_offset, st.channel, "
      "st.condition, st.subject, st.message_template, st.requires_approval, st.created_at, "
      "st.updated_at FROM follow_up_steps st JOIN follow_up_sequences s ON s.id = st.sequence_id "
      "WHERE " +
          scope.SequenceCondition("s") + " ORDER BY st.sequence_id, st.step_order",
      [&](const Row& row) {
        ExistingStep e;
        int64_t sequence_id, order, day, minute;
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[0], "follow_up_steps.id", &e.id));
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[1], "follow_up_steps.sequence_id", &sequence_id));
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[2], "follow_up_steps.step_order", &order));
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[3], "follow_up_steps.day_offset", &day));
        REHEARSE_RETURN_IF_ERROR(StoredInt(row[4], "follow_up_steps.minute_offset", &minute));
        e.step_order = static_cast<int>(order);
        e.key = {static_cast<int>(day), static_cast<int>(minute), row[5].bytes};
        e.condition = row[6];
        e.subject = row[7];
        e.message_template = row[8];
        e.requires_approval = StoredBool(row[9]);
        e.created_at = row[10];
        e.updated_at = row[11];
        steps[sequence_id].push_back(std::move(e));
        return Status::OK();
      }));

  for (Header& h : headers) {
    auto canonical_of = by_name.find(h.name);
    if (canonical_of == by_name.end())  // the engine matched a name the table lacks
      return Status::Database("sequence " + std::to_string(h.id) + " matched no canonical name");
    out->push_back({h.id, h.workspace_id, h.name,
                    SequenceOverwrite(*canonical_of->second, std::move(steps[h.id]))});
  }
  return Status::OK();
}

std::map<int64_t, const SequenceOverwrite*> PlansById(
    const std::vector<DefaultSequence>& sequences) {
  std::map<int64_t, const SequenceOverwrite*> plans;
  for (const DefaultSequence& s : sequences) plans[s.id] = &s.overwrite;
  return plans;
}

}  // namespace rehearse
