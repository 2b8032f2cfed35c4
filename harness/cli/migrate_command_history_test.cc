// `rehearse migrate` where production's history is awkward: a rollback
// after the application went on working, and a database that predates the
// ledger (seed 003's start-up file).
#include "harness/cli/migrate_command_test_support.h"
#include "harness/db/sql_script.h"

namespace rehearse {
namespace {

using namespace migrate_command_test;

TEST_F(MigrateCommandTest, RollbackOverLaterWritesExitsOneUntilForced) {
  ASSERT_NO_FATAL_FAILURE(MakeDatabaseFile());
  const std::string before = Digest();
  const std::string artifact = (dir_ / "rollback.json").string();
  const std::string db = " --database " + File();
  CommandRun apply = Rehearse("0003 --apply --artifact " + artifact + db);
  ASSERT_EQ(apply.exit_code, 0) << apply.output;
  {
    // The application, after the apply: a cron tick sends the next step of
    // an instance 0003 remapped.
    RollbackArtifact written;
    ASSERT_OK(RollbackArtifact::ReadFile(artifact, &written));
    ASSERT_FALSE(written.payload["instances"]["rows"].empty());
    const int64_t id = written.payload["instances"]["rows"][0][0].get<int64_t>();
    std::unique_ptr<Database> file;
    ASSERT_OK(OpenSqlite(File(), &file));
    ASSERT_OK(
        file->Execute("UPDATE follow_up_instances SET current_step = current_step + 1 "
                      "WHERE id = " +
                      std::to_string(id)));
  }
  const std::string worked = Digest();

  CommandRun refused = Rehearse("0003 --rollback " + artifact + db);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(Says(refused, "rollback_applies failed")) << refused.output;
  EXPECT_TRUE(Says(refused, "changed after 0003 wrote them")) << refused.output;
  EXPECT_TRUE(Says(refused, "follow_up_instances id ")) << refused.output;
  EXPECT_TRUE(Says(refused, "--force")) << refused.output;
  EXPECT_EQ(Digest(), worked) << "a refused rollback changed the file";

  CommandRun misplaced = Rehearse("0003 --apply --force" + db);
  EXPECT_EQ(misplaced.exit_code, 2) << misplaced.output;

  CommandRun forced = Rehearse("0003 --rollback " + artifact + " --force" + db);
  ASSERT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_EQ(Digest(), before) << "the forced rollback is not exact";
}

// Seed 003's production database: built by the legacy start-up file, no
// ledger. 0001 is for exactly that database, but the chain starts with
// 0000_baseline, whose CREATEs fail there; --adopt-at records the baseline as
// applied instead of running it.

TEST_F(MigrateCommandTest, LegacyDatabaseWithoutALedgerIsAdoptedAtTheBaseline) {
  {
    std::unique_ptr<Database> db;
    ASSERT_OK(OpenSqlite(File(), &db));
    SqlScript legacy;
    ASSERT_OK(SqlScript::FromFile(
        std::string(REHEARSE_MIGRATIONS_DIR) + "/legacy/startup_before.sqlite.sql", &legacy));
    ASSERT_OK(db->ExecuteScript(legacy));
  }
  const std::string before = Digest();
  const std::string db = " --database " + File();

  CommandRun plain = Rehearse("0001" + db);
  EXPECT_EQ(plain.exit_code, 1) << plain.output;
  EXPECT_TRUE(Says(plain, "already exists")) << plain.output;

  CommandRun dry = Rehearse("0001 --adopt-at 0000" + db);
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_TRUE(Says(dry, "timezone: added")) << dry.output;
  EXPECT_EQ(Digest(), before) << "the dry run changed the file";

  CommandRun apply = Rehearse("0001 --apply --adopt-at 0000" + db);
  ASSERT_EQ(apply.exit_code, 0) << apply.output;
  EXPECT_TRUE(Says(apply, "applied 0001_timers_timezone")) << apply.output;
  {
    std::unique_ptr<Database> file;
    ASSERT_OK(OpenSqlite(File(), &file));
    ResultSet rs;
    ASSERT_OK(file->Execute("SELECT version FROM schema_migrations ORDER BY version", {}, &rs));
    ASSERT_EQ(rs.rows.size(), 2u);
    EXPECT_EQ(rs.rows[0][0].ToText(), "0000");
    EXPECT_EQ(rs.rows[1][0].ToText(), "0001");
  }
  // Adoption never rewrites a ledger that exists.
  CommandRun again = Rehearse("0001 --apply --adopt-at 0000" + db);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_TRUE(Says(again, "cannot adopt the database at 0000")) << again.output;
  CommandRun later = Rehearse("0001 --adopt-at 0001" + db);
  EXPECT_EQ(later.exit_code, 2) << later.output;
  CommandRun throwaway = Rehearse("0001 --adopt-at 0000");
  EXPECT_EQ(throwaway.exit_code, 2) << throwaway.output;
}

}  // namespace
}  // namespace rehearse
