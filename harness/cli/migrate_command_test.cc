// `rehearse migrate` on the built binary: the runbook of seed 000 (dry run,
// canary, apply with an artifact, rollback from it as a separate command)
// on one SQLite file, and bad input refused with exit code 2.
#include "harness/cli/migrate_command_test_support.h"

namespace rehearse {
namespace {

using namespace migrate_command_test;

TEST_F(MigrateCommandTest, BadInputExitsTwoNamingTheProblem) {
  struct Case {
    std::string args, says;
  } cases[] = {
      {"", "exactly one VERSION"},
      {"0003 --bogus", "unknown flag --bogus"},
      {"3x", "no migration 3x in"},
      {"0009", "no migration 0009"},
      {"0003 --database /nonexistent/prod.db", "/nonexistent/prod.db"},
      {"0003 --rollback a.json", "--rollback needs --database"},
      {"0003 --apply --dry-run", "one of --dry-run, --apply"},
      {"0003 --dry-run --artifact a.json", "--artifact FILE names where --apply"},
      {"0003 --apply --artifact /nonexistent/dir/a.json", "cannot write into /nonexistent/dir"},
      {"0003 --backend mysql", "--backend"},
  };
  for (const Case& c : cases) {
    CommandRun r = Rehearse(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_TRUE(Says(r, c.says)) << c.args << "\n" << r.output;
  }
}

TEST_F(MigrateCommandTest, DryRunOnAThrowawayFixtureReportsCountsAndSamples) {
  CommandRun r = Rehearse("0003 --seed 5 --scale 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* text : {"dry run of 0003_default_sequence_messaging", "sequencesFound:",
                           "stepsBySequenceName:", "currentStepRemapped:", "rerendered:",
                           "samples:", "would change:", "dry run: nothing was changed"})
    EXPECT_TRUE(Says(r, text)) << text << "\n" << r.output;
  // What the Migrator measured: rows per table, then sample differences.
  for (const char* text : {"table follow_up_steps: ", " added, ", " removed, ", " changed\n",
                           "row changed: follow_up_instances key id="})
    EXPECT_TRUE(Says(r, text)) << text << "\n" << r.output;

  // A SQL migration gets the same: here, the values 0002's backfill gives.
  CommandRun numbers = Rehearse("0002 --seed 5 --scale 1");
  ASSERT_EQ(numbers.exit_code, 0) << numbers.output;
  for (const char* text : {"table message_threads: ", "row changed: message_threads key id=",
                           "column number_class: (absent) -> ", "dry run: nothing was changed"})
    EXPECT_TRUE(Says(numbers, text)) << text << "\n" << numbers.output;
}

TEST_F(MigrateCommandTest, CanaryRunsOnAThrowawayFixtureToo) {
  for (const char* action : {"--dry-run", "--apply"}) {
    CommandRun r = Rehearse(std::string("0003 ") + action + " --client-id 1 --seed 1 --scale 1");
    EXPECT_EQ(r.exit_code, 0) << action << "\n" << r.output;
    EXPECT_TRUE(Says(r, "scope: workspace 1")) << action << "\n" << r.output;
  }
}

TEST_F(MigrateCommandTest, ApplyAndRollbackAreTwoCommandsOnOneFile) {
  ASSERT_NO_FATAL_FAILURE(MakeDatabaseFile());
  const std::string before = Digest();
  const std::string artifact = (dir_ / "rollback.json").string();
  const std::string db = " --database " + File();

  CommandRun dry = Rehearse("0003" + db);
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_EQ(Digest(), before) << "the dry run changed the file";

  CommandRun apply = Rehearse("0003 --apply --artifact " + artifact + db);
  ASSERT_EQ(apply.exit_code, 0) << apply.output;
  EXPECT_TRUE(Says(apply, "rollback artifact: " + artifact)) << apply.output;
  ASSERT_TRUE(fs::exists(artifact));
  const std::string applied = Digest();
  EXPECT_NE(applied, before);
  CommandRun again = Rehearse("0003 --apply" + db);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(Says(again, "nothing to apply")) << again.output;
  EXPECT_EQ(Digest(), applied);

  // A hand-edited artifact is refused, and nothing changes.
  const std::string edited = (dir_ / "edited.json").string();
  {
    std::ifstream in(artifact);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find("\"currentStep\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 13, "\"currentStap\"");
    std::ofstream(edited) << text;
  }
  CommandRun tampered = Rehearse("0003 --rollback " + edited + db);
  EXPECT_EQ(tampered.exit_code, 2) << tampered.output;
  EXPECT_TRUE(Says(tampered, "checksum")) << tampered.output;
  EXPECT_EQ(Digest(), applied);

  CommandRun rollback = Rehearse("0003 --rollback " + artifact + db);
  ASSERT_EQ(rollback.exit_code, 0) << rollback.output;
  EXPECT_TRUE(Says(rollback, "rolled back 0003_default_sequence_messaging")) << rollback.output;
  EXPECT_EQ(Digest(), before) << "the rollback is not exact";
  CommandRun twice = Rehearse("0003 --rollback " + artifact + db);
  EXPECT_EQ(twice.exit_code, 2) << twice.output;
  EXPECT_TRUE(Says(twice, "nothing to roll back")) << twice.output;
  EXPECT_EQ(Digest(), before);
}

TEST_F(MigrateCommandTest, CanaryAppliesToOneClientAndRollsBackFromItsArtifact) {
  ASSERT_NO_FATAL_FAILURE(MakeDatabaseFile());
  const std::string before = Digest();
  const std::string client = Busiest();
  ASSERT_FALSE(client.empty());
  const std::string artifact = (dir_ / "canary.json").string();
  const std::string db = " --database " + File();

  CommandRun wrong = Rehearse("0003 --apply --client-id 987654321" + db);
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_TRUE(Says(wrong, "no workspace has id 987654321")) << wrong.output;
  EXPECT_EQ(Digest(), before);

  CommandRun canary =
      Rehearse("0003 --apply --client-id " + client + " --artifact " + artifact + db);
  ASSERT_EQ(canary.exit_code, 0) << canary.output;
  EXPECT_TRUE(Says(canary, "scope: workspace " + client)) << canary.output;
  EXPECT_NE(Digest(), before);
  CommandRun other = Rehearse("0003 --rollback " + artifact + " --client-id 1" + client + db);
  EXPECT_EQ(other.exit_code, 2) << other.output;
  CommandRun rollback = Rehearse("0003 --rollback " + artifact + db);
  ASSERT_EQ(rollback.exit_code, 0) << rollback.output;
  EXPECT_EQ(Digest(), before);
}

TEST_F(MigrateCommandTest, ArtifactOfADatabaseRecreatedAtTheSamePathIsRefused) {
  const std::string db = " --database " + File();
  const std::string first = (dir_ / "first.json").string();
  const std::string second = (dir_ / "second.json").string();
  ASSERT_NO_FATAL_FAILURE(WriteFixtureFile(File(), 1));
  CommandRun apply = Rehearse("0003 --apply --artifact " + first + db);
  ASSERT_EQ(apply.exit_code, 0) << apply.output;

  // Another database, built from another seed, at the very same path.
  ASSERT_TRUE(fs::remove(File()));
  ASSERT_NO_FATAL_FAILURE(WriteFixtureFile(File(), 5));
  apply = Rehearse("0003 --apply --artifact " + second + db);
  ASSERT_EQ(apply.exit_code, 0) << apply.output;
  const std::string applied = Digest();

  CommandRun stale = Rehearse("0003 --rollback " + first + db);
  EXPECT_EQ(stale.exit_code, 2) << stale.output;
  EXPECT_TRUE(Says(stale, "rollback artifact is for database")) << stale.output;
  EXPECT_EQ(Digest(), applied) << "an artifact of the earlier database was applied";
  CommandRun own = Rehearse("0003 --rollback " + second + db);
  EXPECT_EQ(own.exit_code, 0) << own.output;
}

TEST_F(MigrateCommandTest, ArtifactsAreNeverOverwritten) {
  const std::string a = (dir_ / "a.db").string(), b = (dir_ / "b.db").string();
  ASSERT_NO_FATAL_FAILURE(WriteFixtureFile(a, 1));
  ASSERT_NO_FATAL_FAILURE(WriteFixtureFile(b, 2));

  // Two databases in one folder, each applied with the default name.
  CommandRun apply_a = Rehearse("0003 --apply --database " + a);
  CommandRun apply_b = Rehearse("0003 --apply --database " + b);
  ASSERT_EQ(apply_a.exit_code, 0) << apply_a.output;
  ASSERT_EQ(apply_b.exit_code, 0) << apply_b.output;
  const std::string artifact_a = PrintedArtifact(apply_a), artifact_b = PrintedArtifact(apply_b);
  EXPECT_NE(artifact_a, artifact_b);
  ASSERT_TRUE(fs::exists(artifact_a)) << apply_a.output;
  ASSERT_TRUE(fs::exists(artifact_b)) << apply_b.output;
  CommandRun back_a = Rehearse("0003 --rollback " + artifact_a + " --database " + a);
  EXPECT_EQ(back_a.exit_code, 0) << back_a.output;
  CommandRun back_b = Rehearse("0003 --rollback " + artifact_b + " --database " + b);
  EXPECT_EQ(back_b.exit_code, 0) << back_b.output;

  // The same canary twice: the second artifact restores nothing, says so,
  // and leaves the first (the one that can roll the canary back) alone.
  const std::string client = Busiest(a);
  ASSERT_FALSE(client.empty());
  const std::string before_canary = Digest(a);
  CommandRun canary = Rehearse("0003 --apply --client-id " + client + " --database " + a);
  ASSERT_EQ(canary.exit_code, 0) << canary.output;
  EXPECT_FALSE(Says(canary, "restores nothing")) << canary.output;
  const std::string first = PrintedArtifact(canary), first_text = ReadAll(first);
  ASSERT_FALSE(first_text.empty()) << canary.output;
  CommandRun again = Rehearse("0003 --apply --client-id " + client + " --database " + a);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(Says(again, "warning: this artifact restores nothing")) << again.output;
  EXPECT_NE(PrintedArtifact(again), first);
  EXPECT_TRUE(fs::exists(PrintedArtifact(again))) << again.output;
  EXPECT_EQ(ReadAll(first), first_text) << "the first canary's artifact was overwritten";
  CommandRun undo = Rehearse("0003 --rollback " + first + " --database " + a);
  EXPECT_EQ(undo.exit_code, 0) << undo.output;
  EXPECT_EQ(Digest(a), before_canary);

  // --artifact FILE that exists: refused before anything is applied.
  const std::string named = (dir_ / "named.json").string();
  std::ofstream(named) << "keep me";
  const std::string before = Digest(b);
  CommandRun taken = Rehearse("0003 --apply --artifact " + named + " --database " + b);
  EXPECT_EQ(taken.exit_code, 2) << taken.output;
  EXPECT_TRUE(Says(taken, "already exists")) << taken.output;
  EXPECT_EQ(Digest(b), before);
  EXPECT_EQ(ReadAll(named), "keep me");

  // --artifact FILE that is free: that file is the only one written.
  const std::string fresh = (dir_ / "fresh.json").string();
  std::set<std::string> files = FilesIn(dir_);
  CommandRun named_apply = Rehearse("0003 --apply --artifact " + fresh + " --database " + b);
  ASSERT_EQ(named_apply.exit_code, 0) << named_apply.output;
  files.insert("fresh.json");
  EXPECT_EQ(FilesIn(dir_), files);
}

TEST_F(MigrateCommandTest, NumbersMigrationReportsOrgsWithoutAnyOrAnyActiveNumber) {
  ASSERT_NO_FATAL_FAILURE(WriteFixtureFile(File(), 1));
  {
    std::unique_ptr<Database> db;
    ASSERT_OK(OpenSqlite(File(), &db));
    ASSERT_OK(
        db->Execute("INSERT INTO orgs (id, name, created_at) VALUES (999999, 'No Numbers Yet', "
                    "'2026-03-01 09:00:00+00')"));
  }
  for (const char* action : {"", " --apply"}) {
    CommandRun r = Rehearse(std::string("0002") + action + " --database " + File());
    ASSERT_EQ(r.exit_code, 0) << action << "\n" << r.output;
    const size_t at = r.output.find("orgs without any number");
    ASSERT_NE(at, std::string::npos) << r.output;
    const std::string line = r.output.substr(at, r.output.find('\n', at) - at);
    EXPECT_NE(line.find("999999"), std::string::npos) << line;
    EXPECT_TRUE(Says(r, "threads left without a number: ")) << r.output;
    // The fixture's org whose numbers are all inactive (org scale + 2 at
    // scale 1): no front desk either, listed on its own line.
    const size_t inactive = r.output.find("orgs whose numbers are all inactive");
    ASSERT_NE(inactive, std::string::npos) << r.output;
    const std::string listed = r.output.substr(inactive, r.output.find('\n', inactive) - inactive);
    EXPECT_NE(listed.find(": 1 ("), std::string::npos) << listed;
  }
}

}  // namespace
}  // namespace rehearse
