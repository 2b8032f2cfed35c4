// Test support for migrations/code/*_test.cc (header-only, not part of the
// library): generated fixture databases at the state migration 0003 starts
// from, cloned per test, plus snapshots and queries.
//
// One ThrowawayDatabases per test process. For each (dialect, seed) a
// template is built once — baseline, the domain fixture at kTestScale, then
// 0001 and 0002, as production got there — and every test works on a clone
// of it re-stamped with its own identity (a clone carries its template's).
#ifndef REHEARSE_MIGRATIONS_CODE_MIGRATION_TEST_SUPPORT_H_
#define REHEARSE_MIGRATIONS_CODE_MIGRATION_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "fixtures/domain/fixture_generator.h"
#include "harness/common/harness_clock.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migrator.h"
#include "harness/state/snapshot.h"
#include "harness/state/snapshot_diff.h"
#include "migrations/code/data_migrations.h"

#ifndef REHEARSE_MIGRATIONS_DIR
#error "migrations/code tests need REHEARSE_MIGRATIONS_DIR (set by migrations/code/CMakeLists.txt)"
#endif

#define ASSERT_OK(expr)                    \
  do {                                     \
    ::rehearse::Status _s = (expr);        \
    ASSERT_TRUE(_s.ok()) << _s.ToString(); \
  } while (0)

namespace rehearse {
namespace migration_test {

constexpr int64_t kTestScale = 3;
const char* const kNow = kHarnessNow;

inline MigrationVersion Version(const char* text) {
  MigrationVersion v;
  EXPECT_TRUE(MigrationVersion::Parse(text, &v).ok());
  return v;
}

struct Engine {
  Dialect dialect;
  uint64_t seed;
};

// Names the parameter in test listings (the default prints the struct's
// bytes, padding included, so the names CTest discovers would vary).
inline void PrintTo(const Engine& e, std::ostream* os) {
  *os << DialectName(e.dialect) << " seed " << e.seed;
}

inline std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return std::string(DialectName(info.param.dialect)) + "_seed" + std::to_string(info.param.seed);
}

class Databases {
 public:
  static Databases& Get() {
    static Databases instance;  // stops the server and removes the files at exit
    return instance;
  }

  ThrowawayDatabases* throwaway() { return &dbs_; }
  const std::vector<Migration>& migrations() const { return migrations_; }
  DataMigrationRegistry* registry() { return &registry_; }

  MigratorOptions Options(const std::string& identity, const std::string& scope = "") {
    MigratorOptions o;
    o.now = kNow;
    o.registry = &registry_;
    o.identity = identity;
    o.scope = scope;
    return o;
  }

  // A fresh clone at version 0002 with fixture data, connected as the role
  // migrations run as; *name is its identity.
  Status Clone(const Engine& e, std::unique_ptr<Database>* db, std::string* name) {
    std::string& tmpl = templates_[{e.dialect, e.seed}];
    if (tmpl.empty()) REHEARSE_RETURN_IF_ERROR(BuildTemplate(e, &tmpl));
    REHEARSE_RETURN_IF_ERROR(CloneTemplate(&dbs_, e.dialect, tmpl, db, name));
    // The data migrations run as they do in the gate: as the database's
    // owner, without superuser (engine/cluster_roles.h).
    if (e.dialect == Dialect::kPostgres)
      REHEARSE_RETURN_IF_ERROR(dbs_.ConnectAs(*name, ThrowawayDatabases::Role::kOwner, db));
    return StampDatabaseIdentity(db->get(), MakeDatabaseIdentity(e.seed, *name));
  }

  // A snapshot with row archives, so that it can be diffed.
  Status Snap(Database* db, Snapshot* out) {
    SnapshotOptions o;
    REHEARSE_RETURN_IF_ERROR(dbs_.ScratchDir("snapshot", &o.archive_dir));
    return Snapshot::Take(db, o, out);
  }

 private:
  Databases() {
    FolderMigrationSource source(REHEARSE_MIGRATIONS_DIR);
    Status s = source.Load(&migrations_);
    if (s.ok()) s = RegisterDataMigrations(&registry_);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  Status BuildTemplate(const Engine& e, std::string* name) {
    std::unique_ptr<Database> db;
    std::string location;
    REHEARSE_RETURN_IF_ERROR(dbs_.Create(e.dialect, &db, &location, "", name));
    // Migrations as the owner, the fixture (which needs superuser) as the
    // harness, as in the gate.
    MigrationConnections as;
    REHEARSE_RETURN_IF_ERROR(dbs_.ConnectForMigrations(db.get(), *name, false, &as));
    Migrator migrator(as.db, migrations_, Options(MakeDatabaseIdentity(e.seed, "template")));
    MigrationReport ignored;
    REHEARSE_RETURN_IF_ERROR(migrator.Up(MigrationRange::Through(Version("0000")), &ignored));
    FixtureStats stats;
    REHEARSE_RETURN_IF_ERROR(GenerateFixture({e.seed, kTestScale, "default"}, db.get(), &stats));
    return migrator.UpBefore(Version("0003"), &ignored);
  }

  ThrowawayDatabases dbs_;
  std::vector<Migration> migrations_;
  DataMigrationRegistry registry_;
  std::map<std::pair<Dialect, uint64_t>, std::string> templates_;
};

// Every row `sql` returns, each as a line of type-tagged values, keyed by
// the first column: for comparing the same query on two databases.
inline Status RowsById(Database* db, const std::string& sql,
                       std::map<std::string, std::string>* out) {
  out->clear();
  return db->Stream(sql, [&](const Row& row) {
    std::string line;
    for (const Value& v : row) line += v.ToDisplay() + "|";
    (*out)[row[0].ToText()] = line;
    return Status::OK();
  });
}

inline Status Query(Database* db, const std::string& sql, std::vector<Row>* rows) {
  rows->clear();
  return db->Stream(sql, [&](const Row& row) {
    rows->push_back(row);
    return Status::OK();
  });
}

// Integer of a row value on either dialect (PostgreSQL streams text).
inline int64_t Int(const Value& v) {
  return v.type == Value::Type::kInteger ? v.integer : std::stoll(v.bytes);
}

inline std::string DiffText(const Snapshot& a, const Snapshot& b) {
  SnapshotDiff diff;
  Status s = DiffSnapshots(a, b, {}, &diff);
  return s.ok() ? diff.Render() : s.ToString();
}

}  // namespace migration_test
}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_MIGRATION_TEST_SUPPORT_H_
