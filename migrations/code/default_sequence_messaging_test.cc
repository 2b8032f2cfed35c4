// Migration 0003 through the Migrator on both engines over generated
// fixtures at two seeds: forward, exact rollback, idempotent rerun, dry run,
// refused artifacts, a rollback refused over later application writes, and
// the scoped canary.
#include "migrations/code/default_sequence_messaging.h"

#include <gtest/gtest.h>

#include "harness/state/logical_digest.h"
#include "migrations/code/canonical_sequences.h"
#include "migrations/code/migration_test_support.h"

namespace rehearse {
namespace {

using namespace migration_test;

const char* const kDefaultNames =
    "('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', "
    "'Post-Booking Qualification')";

class DefaultSequenceMessagingTest : public ::testing::TestWithParam<Engine> {
 protected:
  static Databases& D() { return Databases::Get(); }
  void SetUp() override { ASSERT_OK(D().Clone(GetParam(), &db_, &identity_)); }

  Migrator MakeMigrator(const std::string& scope = "") {
    return Migrator(db_.get(), D().migrations(), D().Options(identity_, scope));
  }
  // Applies 0003 and returns its artifact.
  void Apply(RollbackArtifact* artifact, const std::string& scope = "") {
    MigrationReport report;
    ASSERT_OK(MakeMigrator(scope).Up(MigrationRange::Only(Version("0003")), &report));
    ASSERT_EQ(report.steps.size(), 1u);
    ASSERT_TRUE(report.steps[0].artifact.has_value());
    *artifact = *report.steps[0].artifact;
  }
  Status RollBack(const RollbackArtifact& artifact, const std::string& scope = "") {
    MigrationReport report;
    return MakeMigrator(scope).Down(MigrationRange::Only(Version("0003")), {artifact}, &report);
  }
  void ExpectUnchangedSince(const Snapshot& before) {
    Snapshot now;
    ASSERT_OK(D().Snap(db_.get(), &now));
    EXPECT_EQ(now.digest().ToHex(), before.digest().ToHex()) << DiffText(before, now);
  }

  std::unique_ptr<Database> db_;
  std::string identity_;
};

TEST_P(DefaultSequenceMessagingTest, ForwardOverwritesEveryDefaultSequenceAndNothingElse) {
  const std::string others =
      "SELECT st.* FROM follow_up_steps st JOIN follow_up_sequences s ON s.id = st.sequence_id "
      "WHERE s.name NOT IN " +
      std::string(kDefaultNames) + " ORDER BY st.id";
  std::map<std::string, std::string> others_before, others_after;
  ASSERT_OK(RowsById(db_.get(), others, &others_before));
  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact));

  std::vector<CanonicalSequence> canonical;
  ASSERT_OK(LoadCanonicalSequences(std::string(REHEARSE_MIGRATIONS_DIR) +
                                       "/0003_default_sequence_messaging/" + kCanonicalStepsFile,
                                   &canonical));
  for (const CanonicalSequence& c : canonical) {
    std::vector<Row> sequences;
    ASSERT_OK(Query(db_.get(),
                    "SELECT id FROM follow_up_sequences WHERE name = '" + c.name + "' ORDER BY id",
                    &sequences));
    ASSERT_FALSE(sequences.empty()) << "the fixture has no " << c.name;
    for (const Row& seq : sequences) {
      std::vector<Row> steps;
      ASSERT_OK(Query(db_.get(),
                      "SELECT step_order, day_offset, minute_offset, channel, condition, subject, "
                      "message_template, requires_approval FROM follow_up_steps WHERE "
                      "sequence_id = " +
                          seq[0].ToText() + " ORDER BY step_order",
                      &steps));
      ASSERT_EQ(steps.size(), c.steps.size()) << c.name << " " << seq[0].ToText();
      for (size_t i = 0; i < steps.size(); ++i) {
        const CanonicalStep& want = c.steps[i];
        const Row& got = steps[i];
        EXPECT_EQ(Int(got[0]), want.step_order);
        EXPECT_EQ(Int(got[1]), want.key.day_offset);
        EXPECT_EQ(Int(got[2]), want.key.minute_offset);
        EXPECT_EQ(got[3].bytes, want.key.channel);
        EXPECT_EQ(got[4].is_null() ? "NULL" : got[4].bytes, want.condition.value_or("NULL"));
        EXPECT_EQ(got[5].is_null() ? "NULL" : got[5].bytes, want.subject.value_or("NULL"));
        EXPECT_EQ(got[6].bytes, want.message_template);
        EXPECT_EQ(got[7].ToText() == "t" || got[7].ToText() == "1", want.requires_approval);
      }
    }
  }
  ASSERT_OK(RowsById(db_.get(), others, &others_after));
  EXPECT_FALSE(others_before.empty()) << "no custom or near-miss sequence to leave alone";
  EXPECT_EQ(others_after, others_before) << "a custom or near-miss sequence was rewritten";
}

TEST_P(DefaultSequenceMessagingTest, RollbackRestoresTheSnapshotByteForByte) {
  Snapshot s0, s1, s2;
  ASSERT_OK(D().Snap(db_.get(), &s0));
  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact));
  ASSERT_OK(D().Snap(db_.get(), &s1));
  EXPECT_NE(s1.digest().ToHex(), s0.digest().ToHex());

  // Through its file form, as production keeps it.
  std::string text;
  ASSERT_OK(artifact.Serialize(&text));
  RollbackArtifact reread;
  ASSERT_OK(RollbackArtifact::Parse(text, "artifact", &reread));
  ASSERT_OK(RollBack(reread));
  ASSERT_OK(D().Snap(db_.get(), &s2));
  EXPECT_EQ(s2.digest().ToHex(), s0.digest().ToHex()) << DiffText(s0, s2);
  SnapshotDiff diff;
  ASSERT_OK(DiffSnapshots(s0, s2, {}, &diff));
  EXPECT_TRUE(diff.identical()) << diff.Render();
}

// The application goes on after an apply: a cron tick advances an instance,
// a user completes a task. A rollback from the artifact would put back the
// values from before the apply and silently undo that, so it is refused,
// naming the rows, until it is forced.
TEST_P(DefaultSequenceMessagingTest, RollbackOverLaterApplicationWritesIsRefusedUnlessForced) {
  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact));
  const nlohmann::json& instances = artifact.payload["instances"]["rows"];
  const nlohmann::json& tasks = artifact.payload["tasks"]["rows"];
  ASSERT_FALSE(instances.empty());
  ASSERT_FALSE(tasks.empty());
  const std::string instance = std::to_string(instances[0][0].get<int64_t>());
  const std::string task = std::to_string(tasks[0][0].get<int64_t>());
  ASSERT_OK(
      db_->Execute("UPDATE follow_up_instances SET current_step = current_step + 1 "
                   "WHERE id = " +
                   instance));
  ASSERT_OK(
      db_->Execute("UPDATE follow_up_tasks SET subject = 'edited by a user' WHERE id = " + task));
  Snapshot worked;
  ASSERT_OK(D().Snap(db_.get(), &worked));

  Status refused = RollBack(artifact);
  EXPECT_EQ(refused.code(), Status::Code::kConflict) << refused.ToString();
  const std::string message = refused.ToString();
  EXPECT_NE(message.find("2 rows were changed after 0003 wrote them"), std::string::npos)
      << message;
  EXPECT_NE(message.find("follow_up_instances id " + instance + " current_step"), std::string::npos)
      << message;
  EXPECT_NE(message.find("follow_up_tasks id " + task + " subject"), std::string::npos) << message;
  EXPECT_NE(message.find("\"edited by a user\" now"), std::string::npos) << message;
  ASSERT_NO_FATAL_FAILURE(ExpectUnchangedSince(worked));

  MigratorOptions forced = D().Options(identity_);
  forced.force_rollback = true;
  MigrationReport report;
  ASSERT_OK(Migrator(db_.get(), D().migrations(), forced)
                .Down(MigrationRange::Only(Version("0003")), {artifact}, &report));
  ResultSet rs;
  ASSERT_OK(db_->Execute("SELECT subject FROM follow_up_tasks WHERE id = " + task, {}, &rs));
  EXPECT_NE(rs.rows[0][0].ToText(), "edited by a user");
}

TEST_P(DefaultSequenceMessagingTest, RerunChangesNothing) {
  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact));
  Snapshot s1;
  ASSERT_OK(D().Snap(db_.get(), &s1));
  MigrationReport rerun;
  ASSERT_OK(MakeMigrator().Up(MigrationRange::Through(Version("0003")), &rerun));
  EXPECT_TRUE(rerun.steps.empty());
  ExpectUnchangedSince(s1);

  // The code itself, run again on its own result, writes nothing.
  DefaultSequenceMessaging code;
  RollbackArtifact again;
  ASSERT_OK(db_->Begin());
  Status s = code.Up(
      db_.get(),
      {false, "", kNow, std::string(REHEARSE_MIGRATIONS_DIR) + "/0003_default_sequence_messaging"},
      &again);
  ASSERT_OK(db_->Commit());
  ASSERT_OK(s);
  const nlohmann::json& summary = again.payload["summary"];
  EXPECT_EQ(summary["instances"]["updated"], 0) << summary.dump(2);
  EXPECT_EQ(summary["tasks"]["rerendered"], 0) << summary.dump(2);
  for (const auto& per_name : summary["stepsBySequenceName"].items())
    EXPECT_EQ(per_name.value()["alreadyCanonical"], per_name.value()["sequences"]);
  ExpectUnchangedSince(s1);
}

TEST_P(DefaultSequenceMessagingTest, DryRunChangesNothingAndCountsWhatApplyChanges) {
  Snapshot s0;
  ASSERT_OK(D().Snap(db_.get(), &s0));
  MigrationReport dry;
  ASSERT_OK(MakeMigrator().DryRun(MigrationRange::Only(Version("0003")), &dry));
  ExpectUnchangedSince(s0);
  ASSERT_EQ(dry.steps.size(), 1u);
  ASSERT_TRUE(dry.steps[0].artifact.has_value());
  const nlohmann::json& counted = dry.steps[0].artifact->payload["summary"];
  EXPECT_GT(counted["sequencesFound"].get<int64_t>(), 0);
  EXPECT_GT(counted["instances"]["updated"].get<int64_t>(), 0);
  EXPECT_GT(counted["tasks"]["rerendered"].get<int64_t>(), 0);
  EXPECT_FALSE(dry.steps[0].change.empty());
  EXPECT_FALSE(dry.steps[0].artifact->payload["complete"].get<bool>());

  RollbackArtifact applied;
  ASSERT_NO_FATAL_FAILURE(Apply(&applied));
  EXPECT_EQ(applied.payload["summary"], counted);
}

TEST_P(DefaultSequenceMessagingTest, DamagedOrForeignArtifactsAreRefusedAndChangeNothing) {
  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact));
  Snapshot s1;
  ASSERT_OK(D().Snap(db_.get(), &s1));
  std::string text;
  ASSERT_OK(artifact.Serialize(&text));
  RollbackArtifact parsed;

  // Edited by hand (checksum not recomputed), or cut short.
  nlohmann::json doc = nlohmann::json::parse(text);
  doc["payload"]["instances"]["rows"][0][1] = 0;
  EXPECT_EQ(RollbackArtifact::Parse(doc.dump(), "edited", &parsed).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(RollbackArtifact::Parse(text.substr(0, text.size() / 2), "cut", &parsed).code(),
            Status::Code::kCorruption);

  // From another database or another scope: refused before anything runs.
  RollbackArtifact foreign = artifact;
  foreign.database_identity = "db-00000000000000000000000000000000";
  EXPECT_EQ(RollBack(foreign).code(), Status::Code::kInvalidInput);
  RollbackArtifact scoped = artifact;
  scoped.scope = "1";
  EXPECT_EQ(RollBack(scoped).code(), Status::Code::kInvalidInput);

  // Checksummed but not ours to use: a dry run's, another format, a
  // malformed section. The migration's down refuses; the Migrator undoes.
  for (const char* damage : {"dry_run", "format", "section"}) {
    RollbackArtifact bad = artifact;
    if (std::string(damage) == "dry_run") bad.payload["complete"] = false;
    if (std::string(damage) == "format") bad.payload["format"] = "something/2";
    if (std::string(damage) == "section") bad.payload["tasks"]["rows"][0] = "junk";
    EXPECT_EQ(RollBack(bad).code(), Status::Code::kCorruption) << damage;
  }
  ExpectUnchangedSince(s1);
}

TEST_P(DefaultSequenceMessagingTest, CanaryTouchesOnlyItsWorkspaceAndRollsBackExactly) {
  std::vector<Row> busiest;
  ASSERT_OK(Query(db_.get(),
                  "SELECT s.workspace_id FROM follow_up_instances i JOIN follow_up_sequences s ON "
                  "s.id = i.sequence_id WHERE s.name IN " +
                      std::string(kDefaultNames) +
                      " AND i.status IN ('active', 'paused') GROUP BY s.workspace_id "
                      "ORDER BY count(*) DESC, s.workspace_id LIMIT 1",
                  &busiest));
  ASSERT_EQ(busiest.size(), 1u);
  const std::string client = busiest[0][0].ToText();
  // Rows of every other workspace, through the workspace each belongs to.
  const std::vector<std::string> others = {
      "SELECT st.* FROM follow_up_steps st JOIN follow_up_sequences s ON s.id = st.sequence_id "
      "WHERE s.workspace_id <> " +
          client,
      "SELECT i.* FROM follow_up_instances i JOIN follow_up_sequences s ON s.id = i.sequence_id "
      "WHERE s.workspace_id <> " +
          client,
      "SELECT t.* FROM follow_up_tasks t JOIN leads l ON l.id = t.lead_id "
      "WHERE l.workspace_id <> " +
          client};
  std::vector<std::map<std::string, std::string>> before(others.size()), after(others.size());
  for (size_t i = 0; i < others.size(); ++i) ASSERT_OK(RowsById(db_.get(), others[i], &before[i]));
  Snapshot s0, s1, s2;
  ASSERT_OK(D().Snap(db_.get(), &s0));

  // A client id nobody has, or not an id at all, fails and changes nothing.
  MigrationReport report;
  EXPECT_EQ(MakeMigrator("999999999").Up(MigrationRange::Only(Version("0003")), &report).code(),
            Status::Code::kInvalidInput);
  EXPECT_EQ(MakeMigrator("abc").Up(MigrationRange::Only(Version("0003")), &report).code(),
            Status::Code::kInvalidInput);
  ExpectUnchangedSince(s0);

  RollbackArtifact artifact;
  ASSERT_NO_FATAL_FAILURE(Apply(&artifact, client));
  EXPECT_EQ(artifact.scope, client);
  EXPECT_EQ(artifact.payload["summary"]["scope"], "workspace " + client);
  ASSERT_OK(D().Snap(db_.get(), &s1));
  EXPECT_NE(s1.digest().ToHex(), s0.digest().ToHex()) << "the canary changed nothing";
  for (size_t i = 0; i < others.size(); ++i) {
    ASSERT_OK(RowsById(db_.get(), others[i], &after[i]));
    EXPECT_EQ(after[i], before[i]) << "another workspace changed: " << others[i];
  }
  std::vector<AppliedMigration> applied;
  ASSERT_OK(MakeMigrator().Applied(&applied));
  for (const AppliedMigration& a : applied)
    EXPECT_FALSE(a.version == Version("0003")) << "a canary is not an apply";

  const std::string another = client == "1" ? "2" : "1";
  EXPECT_EQ(RollBack(artifact, another).code(), Status::Code::kInvalidInput);
  ASSERT_OK(RollBack(artifact, client));
  ASSERT_OK(D().Snap(db_.get(), &s2));
  EXPECT_EQ(s2.digest().ToHex(), s0.digest().ToHex()) << DiffText(s0, s2);
}

// dialect_parity for 0003's own output: the same fixture migrated on both
// engines holds the same follow-up rows (ids of inserted steps, rendered
// copy, timestamps) once the engines' spelling is taken out.
bool NotFollowUp(std::string_view table) { return table.rfind("follow_up_", 0) != 0; }

TEST(DefaultSequenceMessagingParityTest, BothEnginesWriteTheSameFollowUpRows) {
  LogicalDigest digests[2];
  const Dialect dialects[2] = {Dialect::kSqlite, Dialect::kPostgres};
  for (int i = 0; i < 2; ++i) {
    std::unique_ptr<Database> db;
    std::string name;
    ASSERT_OK(Databases::Get().Clone({dialects[i], 1}, &db, &name));
    MigrationReport report;
    ASSERT_OK(Migrator(db.get(), Databases::Get().migrations(), Databases::Get().Options(name))
                  .Up(MigrationRange::Only(Version("0003")), &report));
    Snapshot snap;
    ASSERT_OK(Databases::Get().Snap(db.get(), &snap));
    ASSERT_OK(ComputeLogicalDigest(snap, NotFollowUp, &digests[i]));
  }
  EXPECT_EQ(digests[0].size(), 4u);
  EXPECT_TRUE(digests[0] == digests[1])
      << DescribeLogicalDifferences(digests[0], "sqlite", digests[1], "postgres");
}

INSTANTIATE_TEST_SUITE_P(Engines, DefaultSequenceMessagingTest,
                         ::testing::Values(Engine{Dialect::kSqlite, 1}, Engine{Dialect::kSqlite, 7},
                                           Engine{Dialect::kPostgres, 1},
                                           Engine{Dialect::kPostgres, 7}),
                         EngineName);

}  // namespace
}  // namespace rehearse
