// Test support for scenarios/workloads/*_test.cc (header-only, not part of
// the library): throwaway databases of both engines at the baseline filled
// with fixtures, cloned from one template per (engine, seed) so that no
// state is built twice; the project's migrations and the negative folders;
// snapshot digests.
//
// LoadMigrations() reads the project's migrations without the gap rule and
// without 0003 (C++ registered in migrations/code/): 0002 and 0004 do not
// depend on it, and these tests are not about it;
// default_sequence_messaging_records_test.cc loads 0003 itself. 0001 stays:
// it is a data migration too (its C++ adapts to the database's start-up
// file), and the workloads of seed 003 run after it, so Up() and Down() run
// migrations with the project's registry.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_TEST_SUPPORT_H_
#define REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "fixtures/domain/fixture_generator.h"
#include "harness/common/harness_clock.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migration_override.h"
#include "harness/migrate/migrator.h"
#include "harness/state/snapshot.h"
#include "migrations/code/data_migrations.h"
#include "scenarios/workloads/workload.h"
#include "verifiers/domain/workload_checks.h"

#ifndef REHEARSE_REPO_ROOT
#error "workloads tests need REHEARSE_REPO_ROOT (set by scenarios/CMakeLists.txt)"
#endif

namespace rehearse {
namespace workloads_test {

#define ASSERT_OK(expr)                    \
  do {                                     \
    ::rehearse::Status _s = (expr);        \
    ASSERT_TRUE(_s.ok()) << _s.ToString(); \
  } while (0)

// The harness clock (Sunday, outside most workspaces' business days) and a
// Monday afternoon in New York, when most workspaces are open.
inline const std::string kSunday = kHarnessNow;
inline const std::string kMonday = "2026-03-09 15:00:00+00";

inline std::string RepoPath(const std::string& relative) {
  return std::string(REHEARSE_REPO_ROOT) + "/" + relative;
}

inline MigrationVersion Version(const char* text) {
  MigrationVersion v;
  EXPECT_TRUE(MigrationVersion::Parse(text, &v).ok());
  return v;
}

// Migrations of `relative` (a folder of the repository), 0003 left out.
inline std::vector<Migration> LoadMigrations(const std::string& relative) {
  FolderMigrationSourceOptions options;
  options.gaps = GapRule::kNone;
  FolderMigrationSource source(RepoPath(relative), options);
  std::vector<Migration> all;
  Status s = source.Load(&all);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::erase_if(all, [](const Migration& m) { return m.has_code && m.version == Version("0003"); });
  return all;
}

// The project's migrations with `negative_folder` of scenarios/negative/ in
// place of the migration of the same version (added in version order when
// the project has none, as for 0003 here).
inline std::vector<Migration> WithNegative(const std::string& negative_folder) {
  std::vector<Migration> base = LoadMigrations("migrations");
  for (Migration& negative : LoadMigrations("scenarios/negative")) {
    if (negative.label() != negative_folder) continue;
    std::erase_if(base, [&](const Migration& m) { return m.version == negative.version; });
    auto at = std::find_if(base.begin(), base.end(),
                           [&](const Migration& m) { return negative.version < m.version; });
    base.insert(at, std::move(negative));
    return base;
  }
  ADD_FAILURE() << "no negative folder " << negative_folder;
  return base;
}

// The project's migrations with `version` overridden (migration_override.h)
// by `files`: migration file name -> path relative to the repository.
inline std::vector<Migration> WithOverride(const char* version,
                                           const std::map<std::string, std::string>& files) {
  std::vector<Migration> chain = LoadMigrations("migrations");
  MigrationOverride o;
  EXPECT_TRUE(MigrationVersion::Parse(version, &o.version).ok()) << version;
  for (const auto& [name, path] : files) o.files[name] = RepoPath(path);
  Status s = ApplyOverride(o, &chain);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return chain;
}

// What every Migrator of these tests gets: the project's C++ (0001), an
// identity for the fixture databases, and a folder for the artifacts, which
// Down() reads back.
inline const MigratorOptions& TestMigratorOptions() {
  static DataMigrationRegistry registry;
  static ThrowawayDatabases scratch;  // removes the artifact folder at exit
  static const MigratorOptions options = [] {
    MigratorOptions o;
    Status s = RegisterDataMigrations(&registry);
    if (s.ok()) s = scratch.ScratchDir("artifacts", &o.artifact_dir);
    EXPECT_TRUE(s.ok()) << s.ToString();
    o.registry = &registry;
    o.identity = "workloads-test";
    return o;
  }();
  return options;
}

// Applies exactly `version` of `migrations` to *db.
inline Status Up(Database* db, const std::vector<Migration>& migrations, const char* version) {
  Migrator migrator(db, migrations, TestMigratorOptions());
  MigrationReport report;
  return migrator.Up(MigrationRange::Only(Version(version)), &report);
}
inline Status Down(Database* db, const std::vector<Migration>& migrations, const char* version) {
  Migrator migrator(db, migrations, TestMigratorOptions());
  MigrationReport report;
  return migrator.Down(MigrationRange::Only(Version(version)), {}, &report);
}

inline Digest DigestOf(Database* db) {
  Snapshot snapshot;
  Status s = Snapshot::Take(db, {}, &snapshot);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return snapshot.digest();
}

// One ThrowawayDatabases for the test process, and the filled templates.
class FixtureDatabases {
 public:
  static constexpr int64_t kScale = 2;

  // A new database at migration 0000 filled with the fixture of `seed`.
  static Status Open(Dialect dialect, uint64_t seed, std::unique_ptr<Database>* db) {
    FixtureDatabases& self = Instance();
    auto key = std::make_pair(dialect, seed);
    auto it = self.templates_.find(key);
    if (it == self.templates_.end()) {
      std::unique_ptr<Database> fresh;
      std::string name;
      REHEARSE_RETURN_IF_ERROR(self.dbs_.Create(dialect, &fresh, nullptr, "", &name));
      Migrator migrator(fresh.get(), LoadMigrations("migrations"), TestMigratorOptions());
      MigrationReport report;
      REHEARSE_RETURN_IF_ERROR(migrator.UpBefore(Version("0001"), &report));
      REHEARSE_RETURN_IF_ERROR(
          GenerateFixture(FixtureSpec{seed, kScale, "default"}, fresh.get(), nullptr));
      fresh.reset();  // a PostgreSQL template must have no open connection
      it = self.templates_.emplace(key, name).first;
    }
    return CloneTemplate(&self.dbs_, dialect, it->second, db);
  }

 private:
  static FixtureDatabases& Instance() {
    static FixtureDatabases instance;
    return instance;
  }
  ThrowawayDatabases dbs_;
  std::map<std::pair<Dialect, uint64_t>, std::string> templates_;
};

// Both engines, two fixture seeds.
using EngineAndSeed = std::tuple<Dialect, uint64_t>;

class WorkloadDatabaseTest : public ::testing::TestWithParam<EngineAndSeed> {
 protected:
  Dialect dialect() const { return std::get<0>(GetParam()); }
  uint64_t seed() const { return std::get<1>(GetParam()); }

  void SetUp() override { ASSERT_OK(FixtureDatabases::Open(dialect(), seed(), &db_)); }

  // Plays `workload` and expects the database byte-identical afterwards.
  WorkloadRecord Play(Workload& workload, const std::string& now) {
    const Digest before = DigestOf(db_.get());
    WorkloadRecord record;
    Status s = workload.Play(db_.get(), now, &record);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(DigestOf(db_.get()), before) << workload.name() << " left the database changed";
    return record;
  }

  std::unique_ptr<Database> db_;
};

inline std::string EngineAndSeedName(const ::testing::TestParamInfo<EngineAndSeed>& info) {
  return std::string(DialectName(std::get<0>(info.param))) + "_seed" +
         std::to_string(std::get<1>(info.param));
}

#define INSTANTIATE_WORKLOAD_TEST(suite)                                          \
  INSTANTIATE_TEST_SUITE_P(                                                       \
      BothEnginesTwoSeeds, suite,                                                 \
      ::testing::Combine(::testing::Values(Dialect::kPostgres, Dialect::kSqlite), \
                         ::testing::Values(uint64_t{3}, uint64_t{20260308})),     \
      ::rehearse::workloads_test::EngineAndSeedName)

// For EXPECT_* messages.
inline std::string Describe(const CheckResult& r) {
  return std::string(CheckStatusName(r.status)) + ": " + r.detail;
}

}  // namespace workloads_test
}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_TEST_SUPPORT_H_
