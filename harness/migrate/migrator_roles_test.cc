// The Migrator runs each migration as the role it may use (migrator.h,
// Roles): on PostgreSQL the database owner without superuser, and the
// superuser only for migrations marked "privileged", each step saying which.
#include <gtest/gtest.h>

#include "harness/common/status_test_util.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/migration_test_util.h"
#include "harness/migrate/migrator.h"

namespace rehearse {
namespace {

class MigratorRolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dbs_ = new ThrowawayDatabases(); }
  static void TearDownTestSuite() {
    delete dbs_;
    dbs_ = nullptr;
  }

  void SetUp() override {
    ASSERT_OK(dbs_->Create(Dialect::kPostgres, &db_, nullptr, "", &name_));
    ASSERT_OK(dbs_->ConnectForMigrations(db_.get(), name_, true, &as_));
    dir_.Migration("0001_owned", "CREATE TABLE owned AS SELECT current_user::text AS who;\n",
                   "DROP TABLE owned;\n");
    dir_.Migration("0002_privileged",
                   "CREATE TABLE privileged AS SELECT current_user::text AS who;\n",
                   "DROP TABLE privileged;\n");
    dir_.Write("0002_privileged/migration.json", R"({"privileged": true})");
  }

  Migrator Make(Database* privileged) {
    MigratorOptions options;
    options.privileged_db = privileged;
    return Migrator(as_.db, LoadOrDie(dir_.path()), std::move(options));
  }

  std::string Who(const std::string& table) {
    ResultSet rows;
    Status s = db_->Execute("SELECT who FROM " + table, {}, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows.rows.size() == 1 ? rows.rows[0][0].ToText() : "?";
  }

  static ThrowawayDatabases* dbs_;
  std::unique_ptr<Database> db_;  // the harness's: the superuser
  std::string name_;
  MigrationConnections as_;
  ScratchFolder dir_;
};

ThrowawayDatabases* MigratorRolesTest::dbs_ = nullptr;

TEST_F(MigratorRolesTest, OnlyThePrivilegedMigrationRunsAsTheSuperuser) {
  ASSERT_NE(as_.privileged, nullptr);
  Migrator migrator = Make(as_.privileged);
  MigrationReport up;
  ASSERT_OK(migrator.Up(MigrationRange::All(), &up));
  ASSERT_EQ(up.steps.size(), 2u);
  EXPECT_FALSE(up.steps[0].privileged);
  EXPECT_TRUE(up.steps[1].privileged);
  EXPECT_EQ(Who("owned"), "rehearse_owner");
  EXPECT_EQ(Who("privileged"), "rehearse");
  std::vector<AppliedMigration> applied;
  ASSERT_OK(migrator.Applied(&applied));
  EXPECT_EQ(applied.size(), 2u);

  MigrationReport down;
  ASSERT_OK(migrator.Down(MigrationRange::All(), {}, &down));
  ASSERT_EQ(down.steps.size(), 2u);
  EXPECT_TRUE(down.steps[0].privileged);  // newest first
  EXPECT_FALSE(down.steps[1].privileged);
}

TEST_F(MigratorRolesTest, APrivilegedMigrationCannotBeRunWithoutTheSuperusersConnection) {
  // Without one, it runs like the rest, as the owner: never silently more.
  Migrator migrator = Make(nullptr);
  MigrationReport up;
  ASSERT_OK(migrator.Up(MigrationRange::All(), &up));
  EXPECT_FALSE(up.steps[1].privileged);
  EXPECT_EQ(Who("privileged"), "rehearse_owner");
}

TEST_F(MigratorRolesTest, ADryRunMixingPrivilegedAndOtherMigrationsIsRefused) {
  Migrator migrator = Make(as_.privileged);
  MigrationReport dry;
  Status s = migrator.DryRun(MigrationRange::All(), &dry);
  ASSERT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_NE(s.message().find("0002_privileged"), std::string::npos) << s.message();
  // One at a time, each on its own role.
  const MigrationVersion first = LoadOrDie(dir_.path())[0].version;
  ASSERT_OK(migrator.DryRun(MigrationRange::Only(first), &dry));
  ASSERT_EQ(dry.steps.size(), 1u);
  EXPECT_FALSE(dry.steps[0].privileged);
  MigrationReport up;
  ASSERT_OK(migrator.Up(MigrationRange::Only(first), &up));
  ASSERT_OK(migrator.DryRun(MigrationRange::All(), &dry));
  ASSERT_EQ(dry.steps.size(), 1u);
  EXPECT_TRUE(dry.steps[0].privileged);
}

}  // namespace
}  // namespace rehearse
