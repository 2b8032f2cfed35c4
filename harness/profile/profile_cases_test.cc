// Data-driven: every folder of testdata/ holds a migrations folder (or names
// one) and an expect.json: the backends, the size and thresholds to profile
// at, and exactly the findings the profile must make — (migration, step,
// kind, table[, mode]) — so each known-bad migration must be flagged with its
// finding and no safe variant may be. Optionally the lock a statement's
// transaction held right after it ("statement_locks"), each migration's
// rollback verdict ("rollback"), the number of rollback-log entries, a
// production export of per-table sizes ("rows_file"), and the units ("unit",
// as --unit; findings and verdicts then name a unit "first..last"), and the
// migrations whose up fails only because of the generated rows
// ("applies_with_data": every other migration must be reached and apply).
// Nothing here depends on how long anything took: thresholds are set so that
// only rows, locks and work decide.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "harness/profile/profile_request.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string TestdataDir() { return REHEARSE_PROFILE_TESTDATA; }

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(TestdataDir()))
    if (fs::exists(e.path() / "expect.json")) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string FitName(RollbackFit fit) {
  switch (fit) {
    case RollbackFit::kImmediate:
      return "immediate";
    case RollbackFit::kDeadline:
      return "deadline";
    case RollbackFit::kMissed:
      return "missed";
    case RollbackFit::kFailed:
      return "failed";
    case RollbackFit::kLostData:
      return "lost_data";
    case RollbackFit::kNoDown:
      return "no_down";
  }
  return "?";
}

class ProfileCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ProfileCaseTest, FlagsExactlyTheKnownBadMigrations) {
  const std::string dir = TestdataDir() + "/" + GetParam();
  std::ifstream in(dir + "/expect.json");
  const json expect = json::parse(in);
  ProfileRequest r;
  r.migrations_dir = dir + "/" + expect.value("migrations", "migrations");
  r.run.backends.clear();
  for (const std::string b : expect["backends"])
    r.run.backends.push_back(b == "postgres" ? Dialect::kPostgres : Dialect::kSqlite);
  r.run.rows = expect["rows"];
  r.unit = expect.value("unit", "version");
  if (expect.contains("rows_file"))
    r.rows_file = dir + "/" + expect["rows_file"].get<std::string>();
  r.run.thresholds.min_rows = expect["min_rows"];
  r.run.thresholds.max_lock_s = expect["max_lock"];
  r.run.thresholds.max_rows_per_transaction = expect["max_rows_per_transaction"];
  const fs::path log = fs::temp_directory_path() /
                       ("profile_case_" + GetParam() + "_" + std::to_string(getpid()) + ".md");
  fs::remove(log);
  if (expect.contains("rollback_log_entries")) r.rollback_log = log.string();
  r.now_utc = "2026-12-07 12:00 UTC";
  r.rerun = "rehearse profile --migrations " + r.migrations_dir;

  ProfileOutcome out;
  const Status run = RunProfileRequest(r, &out);
  ASSERT_TRUE(run.ok()) << run.ToString();
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::multiset<Key> got, want;
  for (const json& f : expect["findings"]) {
    for (const BackendProfile& b : out.result.backends)
      want.insert({DialectName(b.dialect), f["migration"], f["step"], f["kind"], f["table"]});
  }
  std::map<Key, std::string> modes;
  for (const BackendProfile& b : out.result.backends) {
    for (const MigrationProfile& m : b.migrations) {
      EXPECT_EQ(m.not_reached, "") << m.migration;
      const json data_only = expect.value("applies_with_data", json::array());
      const bool only_with_data =
          std::find(data_only.begin(), data_only.end(), m.migration) != data_only.end();
      EXPECT_EQ(m.fails_only_with_data, only_with_data) << m.migration;
      if (!expect.contains("rollback") && !only_with_data) {
        EXPECT_TRUE(m.up_failure.ok()) << m.migration << ": " << m.up_failure.ToString();
      }
      for (const auto& [step, findings] :
           {std::pair{"up", &m.up_findings}, {"down", &m.down_findings}}) {
        for (const ProfileFinding& f : *findings) {
          Key k{DialectName(b.dialect), m.migration, step, f.kind, f.table};
          got.insert(k);
          modes[k] = LockModeName(f.mode);
        }
      }
    }
  }
  EXPECT_EQ(got, want) << out.summary;
  for (const json& f : expect["findings"]) {
    if (!f.contains("mode")) continue;
    for (const BackendProfile& b : out.result.backends) {
      const Key k{DialectName(b.dialect), f["migration"], f["step"], f["kind"], f["table"]};
      EXPECT_EQ(modes[k], f["mode"].get<std::string>()) << f.dump();
    }
  }
  for (const json& l : expect.value("statement_locks", json::array())) {
    for (const BackendProfile& b : out.result.backends) {
      std::string held;
      for (const MigrationProfile& m : b.migrations) {
        if (m.migration != l["migration"]) continue;
        const StepProfile& step = l["step"] == "up" ? m.up : m.down;
        for (const StatementProfile& p : step.statements)
          if (p.line == l["line"])
            for (const HeldLock& h : p.locks)
              if (h.table == l["table"]) held = LockModeName(h.mode);
      }
      EXPECT_EQ(held, l["mode"].get<std::string>()) << l.dump();
    }
  }
  if (expect.contains("rollback")) {
    for (const BackendProfile& b : out.result.backends)
      for (const MigrationProfile& m : b.migrations)
        EXPECT_EQ(FitName(JudgeRollback(m.rollback, r.run.windows)),
                  expect["rollback"].value(m.migration, "?"))
            << DialectName(b.dialect) << " " << m.migration << ": "
            << DescribeRollback(m.rollback, r.run.windows);
  }
  if (expect.contains("rollback_log_entries")) {
    EXPECT_EQ(out.rollback_log_entries, expect["rollback_log_entries"].get<int>());
    std::ifstream logged(log);
    const std::string text((std::istreambuf_iterator<char>(logged)), {});
    size_t entries = 0;
    for (size_t at = text.find("## Rollback: "); at != std::string::npos;
         at = text.find("## Rollback: ", at + 1))
      ++entries;
    EXPECT_EQ(entries, static_cast<size_t>(expect["rollback_log_entries"].get<int>())) << text;
    for (const char* field :
         {"**Trigger:**", "**Severity:**", "**Rollback From:**", "**Rollback To:**", "**Impact:**",
          "**Root Cause:**", "**Prevention:**", "**Retry ETA:**"})
      EXPECT_NE(text.find(field), std::string::npos) << field;
    fs::remove(log);
  }
}

INSTANTIATE_TEST_SUITE_P(Testdata, ProfileCaseTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace rehearse
