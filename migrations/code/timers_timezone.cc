#include "migrations/code/timers_timezone.h"

#include <algorithm>
#include <set>

#include "harness/db/sql_script.h"
#include "harness/state/catalog.h"
#include "migrations/code/recorded_rows.h"
#include "migrations/code/stored_values.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

namespace {

constexpr const char* kParticipants = "conversation_participants";
constexpr const char* kTimers = "active_timers";

// What of the timers schema the database has, read from its catalog (the
// one reader Snapshot uses too, so "exists" means the same thing there).
struct TimersSchema {
  bool participants = false;
  bool timers = false;
  bool timezone = false;
};

Status ReadTimersSchema(Database* db, TimersSchema* out) {
  Catalog catalog;
  REHEARSE_RETURN_IF_ERROR(ReadCatalog(db, &catalog));
  *out = TimersSchema();
  for (const TableLayout& t : catalog.tables) {
    if (t.name == kTimers) out->timers = true;
    if (t.name != kParticipants) continue;
    out->participants = true;
    out->timezone = std::count(t.columns.begin(), t.columns.end(), "timezone") > 0;
  }
  return Status::OK();
}

Status RunFolderScript(Database* db, const std::string& folder, const char* name) {
  SqlScript script;
  REHEARSE_RETURN_IF_ERROR(SqlScript::FromFile(
      folder + "/" + name + "." + DialectName(db->dialect()) + ".sql", &script));
  return db->ExecuteScript(script);
}

// Reminder timers carry negated flow state ids; application ids are positive.
Status NegativeTimerIds(Database* db, std::set<int64_t>* out) {
  out->clear();
  return db->Stream("SELECT id FROM active_timers WHERE id < 0", [&](const Row& row) {
    int64_t id = 0;
    REHEARSE_RETURN_IF_ERROR(StoredInt(row[0], "active_timers.id", &id));
    out->insert(id);
    return Status::OK();
  });
}

Status DeleteTimers(Database* db, const nlohmann::json& ids) {
  std::vector<Row> rows;
  for (const nlohmann::json& id : ids) {
    if (!id.is_number_integer())
      return Status::Corruption("rollback artifact: insertedTimerIds holds a non-integer");
    rows.push_back({Value::Integer(id.get<int64_t>())});
  }
  if (rows.empty()) return Status::OK();
  TempTable doomed(db, "rehearse_0001_timers", {{"id", ColumnKind::kBigint}});
  REHEARSE_RETURN_IF_ERROR(doomed.Create());
  REHEARSE_RETURN_IF_ERROR(doomed.Load(rows));
  REHEARSE_RETURN_IF_ERROR(doomed.DeleteFromTarget(kTimers));
  return doomed.Drop();
}

// What the application stored since Up that Down would destroy with what it
// drops: timezones set in the column Up added, and timers that Up did not
// insert in the table Up created. (Rows Down deletes one by one are Up's own.)
Status FindLaterWork(Database* db, const nlohmann::json& payload, std::vector<LaterChange>* changes,
                     int64_t* rows) {
  std::set<int64_t> inserted;
  for (const nlohmann::json& id : payload["insertedTimerIds"])
    if (id.is_number_integer()) inserted.insert(id.get<int64_t>());
  // Each row of `sql` (id first) is a change: `before` is what it was after
  // Up, `now_text` what it is now, or else the row's second column.
  auto collect = [&](const std::string& sql, const char* table, const char* column,
                     const char* before, const char* now_text, bool skip_inserted) {
    return db->Stream(sql, [&](const Row& row) -> Status {
      int64_t id;
      REHEARSE_RETURN_IF_ERROR(StoredInt(row[0], std::string(table) + ".id", &id));
      if (skip_inserted && inserted.count(id)) return Status::OK();
      ++*rows;
      if (changes->size() < kLaterChangesListed)
        changes->push_back(
            {table, column, id, before, now_text ? now_text : ValueToJson(row[1]).dump()});
      return Status::OK();
    });
  };
  if (payload["addedTimezone"].get<bool>()) {
    REHEARSE_RETURN_IF_ERROR(collect(std::string("SELECT id, timezone FROM ") + kParticipants +
                                         " WHERE timezone IS NOT NULL ORDER BY id",
                                     kParticipants, "timezone", "null", nullptr, false));
  }
  if (payload["createdActiveTimers"].get<bool>()) {
    REHEARSE_RETURN_IF_ERROR(collect(std::string("SELECT id FROM ") + kTimers + " ORDER BY id",
                                     kTimers, "(row)", "no row", "a timer", true));
  }
  return Status::OK();
}

const char* TimezoneType(Dialect d) { return d == Dialect::kPostgres ? "text" : "TEXT"; }

}  // namespace

Status TimersTimezone::Up(Database* db, const DataMigrationOptions& options,
                          RollbackArtifact* out) {
  if (!options.scope.empty()) {
    return Status::InvalidInput(
        "0001 changes the schema of the whole database; it has no scope (got '" + options.scope +
        "')");
  }
  TimersSchema schema;
  REHEARSE_RETURN_IF_ERROR(ReadTimersSchema(db, &schema));
  if (!schema.participants) {
    return Status::InvalidInput(std::string("0001 needs the table ") + kParticipants +
                                ", which this database does not have");
  }
  if (!schema.timers) REHEARSE_RETURN_IF_ERROR(RunFolderScript(db, options.folder, kTimers));
  if (!schema.timezone) {
    REHEARSE_RETURN_IF_ERROR(db->Execute(std::string("ALTER TABLE ") + kParticipants +
                                         " ADD COLUMN timezone " + TimezoneType(db->dialect())));
  }
  std::set<int64_t> before, after;
  REHEARSE_RETURN_IF_ERROR(NegativeTimerIds(db, &before));
  REHEARSE_RETURN_IF_ERROR(RunFolderScript(db, options.folder, "reminders"));
  REHEARSE_RETURN_IF_ERROR(NegativeTimerIds(db, &after));
  nlohmann::json inserted = nlohmann::json::array();
  for (int64_t id : after)
    if (!before.count(id)) inserted.push_back(id);

  nlohmann::json& payload = out->payload;
  payload = nlohmann::json::object();
  payload["format"] = kPayloadFormat;
  payload["complete"] = !options.dry_run;
  payload["summary"] = {{"activeTimers", schema.timers ? "already there" : "created"},
                        {"timezone", schema.timezone ? "already there" : "added"},
                        {"remindersMoved", inserted.size()}};
  if (options.dry_run) return Status::OK();
  payload["createdActiveTimers"] = !schema.timers;
  payload["addedTimezone"] = !schema.timezone;
  payload["restores"] = inserted.size() + !schema.timers + !schema.timezone;
  payload["insertedTimerIds"] = std::move(inserted);
  return Status::OK();
}

Status TimersTimezone::Down(Database* db, const RollbackArtifact& artifact,
                            const DataMigrationDownOptions& options) {
  const nlohmann::json& payload = artifact.payload;
  REHEARSE_RETURN_IF_ERROR(CheckCompletePayload(payload, kPayloadFormat));
  for (const char* key : {"createdActiveTimers", "addedTimezone"}) {
    if (!payload.contains(key) || !payload[key].is_boolean())
      return Status::Corruption(std::string("rollback artifact: payload has no boolean \"") + key +
                                "\"");
  }
  if (!payload.contains("insertedTimerIds") || !payload["insertedTimerIds"].is_array())
    return Status::Corruption("rollback artifact: payload has no \"insertedTimerIds\" list");

  if (!options.force) {
    std::vector<LaterChange> changes;
    int64_t rows = 0;
    REHEARSE_RETURN_IF_ERROR(FindLaterWork(db, payload, &changes, &rows));
    REHEARSE_RETURN_IF_ERROR(RefuseLaterChanges(kVersion, changes, rows));
  }
  // Reverse order of Up: the rows, then the table they are in, then the column.
  if (payload["createdActiveTimers"].get<bool>()) {
    REHEARSE_RETURN_IF_ERROR(db->Execute(std::string("DROP TABLE ") + kTimers));
  } else {
    REHEARSE_RETURN_IF_ERROR(DeleteTimers(db, payload["insertedTimerIds"]));
  }
  // SQLite: ADD COLUMN appended ", timezone TEXT" to the stored CREATE text
  // and DROP COLUMN removes exactly that, so the DDL text is restored byte
  // for byte.
  if (payload["addedTimezone"].get<bool>()) {
    REHEARSE_RETURN_IF_ERROR(
        db->Execute(std::string("ALTER TABLE ") + kParticipants + " DROP COLUMN timezone"));
  }
  return Status::OK();
}

}  // namespace rehearse
