// The domain checks over database state, on both engines: each passes on a
// state that keeps its promise and fails, naming the offending rows, on one
// that breaks it.
#include <gtest/gtest.h>

#include <memory>

#include "harness/db/throwaway_databases.h"
#include "verifiers/domain/number_checks.h"
#include "verifiers/domain/timezone_column_check.h"

namespace rehearse {
namespace {

class StateChecksTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Status s = dbs_.Create(GetParam(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void Run(const std::string& sql) {
    Status s = db_->ExecuteScript(SqlScript::Parse(sql, "test"));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // The Phase 1.1 shape of the number tables, with two orgs whose backfill
  // went right, and an org without any number (nothing to assign).
  void NumbersBackfilled() {
    Run("CREATE TABLE orgs (id bigint PRIMARY KEY);"
        "CREATE TABLE message_numbers (id bigint PRIMARY KEY, org_id bigint NOT NULL,"
        "  is_active boolean NOT NULL, number_class text);"
        "CREATE TABLE message_threads (id bigint PRIMARY KEY, org_id bigint NOT NULL,"
        "  message_number_id bigint, number_class text);"
        "INSERT INTO orgs VALUES (1), (2), (3);"
        "INSERT INTO message_numbers VALUES (10, 1, true, 'front_desk'), (11, 1, true, 'pool'),"
        "  (20, 2, false, 'pool'), (21, 2, true, 'front_desk');"
        "INSERT INTO message_threads VALUES (100, 1, 10, 'front_desk'), (101, 1, 11, 'pool'),"
        "  (200, 2, 21, 'front_desk'), (300, 3, NULL, NULL);");
  }

  ThrowawayDatabases dbs_;
  std::unique_ptr<Database> db_;
};

TEST_P(StateChecksTest, NumberChecksSkipBeforeThePhase11Columns) {
  Run("CREATE TABLE message_threads (id bigint PRIMARY KEY, org_id bigint NOT NULL);");
  EXPECT_EQ(OneFrontDeskPerOrg(db_.get()).status, CheckStatus::kSkip);
  EXPECT_EQ(NoThreadWithoutNumber(db_.get()).status, CheckStatus::kSkip);
  EXPECT_EQ(NumberClassFromAssignedNumber(db_.get()).status, CheckStatus::kSkip);
}

TEST_P(StateChecksTest, NumberChecksPassOnACorrectBackfill) {
  NumbersBackfilled();
  for (const CheckResult& c : {OneFrontDeskPerOrg(db_.get()), NoThreadWithoutNumber(db_.get()),
                               NumberClassFromAssignedNumber(db_.get())})
    EXPECT_EQ(c.status, CheckStatus::kPass) << c.name << ": " << c.detail;
}

TEST_P(StateChecksTest, SecondFrontDeskFailsNamingTheOrg) {
  NumbersBackfilled();
  Run("UPDATE message_numbers SET number_class = 'front_desk' WHERE id = 11;");
  CheckResult c = OneFrontDeskPerOrg(db_.get());
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.detail.find("org_id='1'"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("front_desks='2'"), std::string::npos) << c.detail;
}

TEST_P(StateChecksTest, ThreadWithoutNumberOrWithAnotherOrgsNumberFails) {
  NumbersBackfilled();
  Run("UPDATE message_threads SET message_number_id = NULL, number_class = NULL WHERE id = 100;"
      "UPDATE message_threads SET message_number_id = 10, number_class = 'front_desk' "
      "WHERE id = 200;");
  CheckResult c = NoThreadWithoutNumber(db_.get());
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.detail.find("2 threads"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("thread_id='100'"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("thread_id='200'"), std::string::npos) << c.detail;
}

TEST_P(StateChecksTest, ClassNotTakenFromTheNumberFails) {
  NumbersBackfilled();
  Run("UPDATE message_threads SET number_class = 'front_desk' WHERE id = 101;");
  CheckResult c = NumberClassFromAssignedNumber(db_.get());
  EXPECT_EQ(c.status, CheckStatus::kFail);
  EXPECT_NE(c.detail.find("thread_id='101'"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("number_class='pool'"), std::string::npos) << c.detail;
}

TEST_P(StateChecksTest, TimezoneColumnIsJudgedOnTheExistingTable) {
  EXPECT_EQ(TimezoneColumnOnExistingTables(db_.get()).status, CheckStatus::kSkip);
  Run("CREATE TABLE conversation_participants (id bigint PRIMARY KEY);");
  CheckResult missing = TimezoneColumnOnExistingTables(db_.get());
  EXPECT_EQ(missing.status, CheckStatus::kFail);
  EXPECT_NE(missing.detail.find("no timezone column"), std::string::npos) << missing.detail;
  Run("ALTER TABLE conversation_participants ADD COLUMN timezone text;");
  EXPECT_EQ(TimezoneColumnOnExistingTables(db_.get()).status, CheckStatus::kPass);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, StateChecksTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
