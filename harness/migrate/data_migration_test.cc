// Data migrations (C++ under a version) through the Migrator on both
// dialects: the artifact their up writes lets their down restore the
// database exactly, and an artifact that is damaged, or from another
// database or scope, is refused with nothing changed.
#include "harness/migrate/data_migration.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/common/status_test_util.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/migration_test_util.h"
#include "harness/migrate/migrator.h"
#include "harness/state/snapshot.h"

namespace rehearse {
namespace {

std::string Param(Database* db, int i) {
  return db->dialect() == Dialect::kPostgres ? "$" + std::to_string(i) : "?" + std::to_string(i);
}

// Upper-cases t.code (for one id when scoped), saving every previous value.
class UpperCodes final : public DataMigration {
 public:
  Status Up(Database* db, const DataMigrationOptions& options, RollbackArtifact* out) override {
    std::string where = options.scope.empty() ? "" : " WHERE id = " + options.scope;
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT id, code FROM t" + where + " ORDER BY id", {}, &rs));
    nlohmann::json previous = nlohmann::json::array();
    for (const Row& row : rs.rows) {
      previous.push_back(
          {{"id", row[0].ToText()},
           {"code", row[1].is_null() ? nlohmann::json() : nlohmann::json(row[1].bytes)}});
    }
    out->payload["previous"] = previous;
    out->payload["now"] = options.now;
    REHEARSE_RETURN_IF_ERROR(db->Execute("UPDATE t SET code = upper(code)" + where));
    return fail_ ? Status::Database("deliberate failure") : Status::OK();
  }
  Status Down(Database* db, const RollbackArtifact& artifact,
              const DataMigrationDownOptions&) override {
    for (const auto& p : artifact.payload.at("previous")) {
      Value code = p["code"].is_null() ? Value::Null() : Value::Text(p["code"].get<std::string>());
      REHEARSE_RETURN_IF_ERROR(
          db->Execute("UPDATE t SET code = " + Param(db, 1) + " WHERE id = " + Param(db, 2),
                      {code, Value::Integer(std::stoll(p["id"].get<std::string>()))}));
    }
    return Status::OK();
  }
  bool fail_ = false;
};

class DataMigrationTest : public PerEngineTest {
 protected:
  void SetUp() override {
    db_ = NewDatabase();
    dir_.Migration("0001_create_t",
                   "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT);\n"
                   "INSERT INTO t (id, code) VALUES (1, 'ab'), (2, 'Cd'), (3, NULL), (4, 'é');\n",
                   "DROP TABLE t;\n");
    dir_.Write("0002_upper_codes/migration.json", R"({"kind": "data"})");
    dir_.Write("0002_upper_codes/table.json", R"({"rule": "upper"})");
    auto code = std::make_unique<UpperCodes>();
    code_ = code.get();
    ASSERT_OK(registry_.Register("0002", std::move(code)));
  }

  std::unique_ptr<Database> NewDatabase() {
    std::unique_ptr<Database> db;
    Status s = dbs_->Create(GetParam(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return db;
  }

  MigratorOptions Options(const std::string& identity = "db-test-a") {
    MigratorOptions o;
    o.registry = &registry_;
    o.identity = identity;
    o.artifact_dir = artifacts_.path();
    return o;
  }

  Migrator Make(Database* db, MigratorOptions options) {
    return Migrator(db, LoadOrDie(dir_.path()), std::move(options));
  }

  static Digest DigestOf(Database* db) {
    Snapshot snap;
    Status s = Snapshot::Take(db, {}, &snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return snap.digest();
  }

  std::string Code(Database* db, int id) {
    ResultSet rs;
    EXPECT_TRUE(db->Execute("SELECT code FROM t WHERE id = " + std::to_string(id), {}, &rs).ok());
    return rs.rows.empty() || rs.rows[0][0].is_null() ? "NULL" : rs.rows[0][0].bytes;
  }

  // The default name of an artifact of identity db-test-a: `suffix` is
  // ".scope-2" for a scoped run, ".2" for the second one written.
  std::string ArtifactFile(const std::string& suffix = "") const {
    return artifacts_ / ("0002_upper_codes." + std::string(DialectName(GetParam())) + ".db-test-a" +
                         suffix + ".rollback.json");
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
  }

  std::unique_ptr<Database> db_;
  ScratchFolder dir_;
  ScratchFolder artifacts_;
  DataMigrationRegistry registry_;
  UpperCodes* code_ = nullptr;
};

TEST_P(DataMigrationTest, UpWritesAnArtifactAndDownRestoresTheDatabaseExactly) {
  Migrator m = Make(db_.get(), Options());
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  Digest s0 = DigestOf(db_.get());
  ASSERT_OK(m.Up(MigrationRange::Only(V("2")), &report));
  ASSERT_EQ(report.steps.size(), 1u);
  ASSERT_TRUE(report.steps[0].artifact.has_value());
  EXPECT_EQ(report.steps[0].artifact_path, ArtifactFile());
  EXPECT_EQ(report.steps[0].artifact->database_identity, "db-test-a");
  EXPECT_EQ(report.steps[0].artifact->payload["now"], "2026-03-08 12:00:00+00");
  EXPECT_EQ(Code(db_.get(), 2), "CD");
  Digest s1 = DigestOf(db_.get());
  EXPECT_NE(s0, s1);

  ASSERT_OK(m.Down(MigrationRange::Only(V("2")), {}, &report));  // reads the file
  EXPECT_EQ(DigestOf(db_.get()), s0);
  ASSERT_OK(m.Up(MigrationRange::Only(V("2")), &report));
  EXPECT_EQ(DigestOf(db_.get()), s1);
  // Given explicitly, the in-memory artifact works as well as the file.
  RollbackArtifact artifact = *report.steps[0].artifact;
  MigratorOptions no_dir;
  no_dir.registry = &registry_;
  ASSERT_OK(Make(db_.get(), no_dir).Down(MigrationRange::Only(V("2")), {artifact}, &report));
  EXPECT_EQ(DigestOf(db_.get()), s0);
}

TEST_P(DataMigrationTest, ArtifactFromAnotherDatabaseIsRefusedAndNothingChanges) {
  std::unique_ptr<Database> other = NewDatabase();
  MigrationReport report;
  ASSERT_OK(Make(other.get(), Options("db-test-b")).UpAll(&report));
  RollbackArtifact from_b = *report.steps[1].artifact;

  Migrator m = Make(db_.get(), Options("db-test-a"));
  ASSERT_OK(m.UpAll(&report));
  Digest after_up = DigestOf(db_.get());
  Status s = m.Down(MigrationRange::Only(V("2")), {from_b}, &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("db-test-b"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("db-test-a"), std::string::npos) << s.ToString();
  EXPECT_EQ(DigestOf(db_.get()), after_up);
}

TEST_P(DataMigrationTest, TamperedOrTruncatedArtifactFileIsRefusedAndNothingChanges) {
  Migrator m = Make(db_.get(), Options());
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  Digest after_up = DigestOf(db_.get());
  std::ifstream in(ArtifactFile());
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();

  std::string tampered = text;
  size_t at = tampered.find("\"Cd\"");
  ASSERT_NE(at, std::string::npos) << text;
  tampered.replace(at, 4, "\"XX\"");
  std::ofstream(ArtifactFile(), std::ios::trunc) << tampered;
  Status s = m.Down(MigrationRange::Only(V("2")), {}, &report);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_EQ(s.file(), ArtifactFile());
  EXPECT_EQ(DigestOf(db_.get()), after_up);

  std::ofstream(ArtifactFile(), std::ios::trunc) << text.substr(0, text.size() / 2);
  s = m.Down(MigrationRange::Only(V("2")), {}, &report);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_EQ(DigestOf(db_.get()), after_up);
}

TEST_P(DataMigrationTest, ScopedRunTouchesOneClientAndOnlyItsOwnScopeCanRollItBack) {
  MigrationReport report;
  ASSERT_OK(Make(db_.get(), Options()).UpBefore(V("2"), &report));
  Digest s0 = DigestOf(db_.get());
  MigratorOptions scoped = Options();
  scoped.scope = "2";
  ASSERT_OK(Make(db_.get(), scoped).Up(MigrationRange::Only(V("2")), &report));
  EXPECT_EQ(report.steps[0].artifact_path, ArtifactFile(".scope-2"))
      << "a canary never overwrites a whole-database artifact";
  EXPECT_EQ(Code(db_.get(), 1), "ab");
  EXPECT_EQ(Code(db_.get(), 2), "CD");
  RollbackArtifact artifact = *report.steps[0].artifact;
  EXPECT_EQ(artifact.scope, "2");

  Digest canary = DigestOf(db_.get());
  MigratorOptions other_scope = scoped;
  other_scope.scope = "1";
  Status s = Make(db_.get(), other_scope).Down(MigrationRange::Only(V("2")), {artifact}, &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("scope"), std::string::npos) << s.ToString();
  EXPECT_EQ(DigestOf(db_.get()), canary);

  ASSERT_OK(Make(db_.get(), scoped).Down(MigrationRange::Only(V("2")), {artifact}, &report));
  EXPECT_EQ(DigestOf(db_.get()), s0) << "a scoped run never touches the ledger";
}

TEST_P(DataMigrationTest, DryRunOfADataMigrationLeavesTheDatabaseByteIdentical) {
  Migrator m = Make(db_.get(), Options());
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  Digest before = DigestOf(db_.get());
  ASSERT_OK(m.DryRun(MigrationRange::Only(V("2")), &report));
  EXPECT_EQ(DigestOf(db_.get()), before);
  ASSERT_EQ(report.steps.size(), 1u);
  ASSERT_EQ(report.steps[0].change.tables.size(), 1u) << report.steps[0].change.Render();
  EXPECT_TRUE(report.steps[0].change.tables[0].rows_changed);
  EXPECT_TRUE(report.steps[0].artifact_path.empty()) << "a dry run writes no artifact";
  EXPECT_FALSE(std::filesystem::exists(ArtifactFile()));
}

TEST_P(DataMigrationTest, FailingDataMigrationRollsBackItsSqlToo) {
  dir_.Migration("0002_upper_codes", "CREATE TABLE extra (id INTEGER PRIMARY KEY);",
                 "DROP TABLE extra;");
  code_->fail_ = true;
  Migrator m = Make(db_.get(), Options());
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  Digest before = DigestOf(db_.get());
  Status s = m.UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kDatabase);
  EXPECT_EQ(s.file(), dir_ / "0002_upper_codes") << s.ToString();
  EXPECT_EQ(DigestOf(db_.get()), before);
}

TEST_P(DataMigrationTest, DataMigrationWithoutRegisteredCodeIsBadInputBeforeAnyWrite) {
  Digest before = DigestOf(db_.get());
  MigratorOptions o = Options();
  o.registry = nullptr;
  MigrationReport report;
  Status s = Make(db_.get(), o).UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "0002_upper_codes");
  EXPECT_EQ(DigestOf(db_.get()), before) << "no ledger, no identity, nothing";
}

TEST_P(DataMigrationTest, CodeRegisteredUnderASqlMigrationIsBadInput) {
  ASSERT_OK(registry_.Register("1", std::make_unique<UpperCodes>()));
  MigrationReport report;
  Status s = Make(db_.get(), Options()).UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "0001_create_t");
}

TEST_P(DataMigrationTest, DataMigrationNeedsADatabaseIdentity) {
  MigratorOptions o = Options("");
  MigrationReport report;
  Status s = Make(db_.get(), o).UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("identity"), std::string::npos) << s.ToString();
}

TEST_P(DataMigrationTest, IdentityIsStampedOnceAndNeverOverwrittenByTheMigrator) {
  MigrationReport report;
  ASSERT_OK(Make(db_.get(), Options("db-first")).UpBefore(V("2"), &report));
  ASSERT_OK(Make(db_.get(), Options("db-second")).UpAll(&report));
  std::string token;
  ASSERT_OK(ReadDatabaseIdentity(db_.get(), &token));
  EXPECT_EQ(token, "db-first");
  EXPECT_EQ(report.steps[0].artifact->database_identity, "db-first");
  // Re-stamping (what a clone of a template needs) replaces it.
  ASSERT_OK(StampDatabaseIdentity(db_.get(), "db-clone"));
  ASSERT_OK(ReadDatabaseIdentity(db_.get(), &token));
  EXPECT_EQ(token, "db-clone");
  Status s = Make(db_.get(), Options()).Down(MigrationRange::Only(V("2")), {}, &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << "the artifact belongs to db-first";
}

TEST_P(DataMigrationTest, FreshDatabaseHasNoIdentity) {
  std::string token;
  EXPECT_EQ(ReadDatabaseIdentity(db_.get(), &token).code(), Status::Code::kNotFound);
  EXPECT_EQ(StampDatabaseIdentity(db_.get(), "").code(), Status::Code::kInvalidInput);
}

TEST_P(DataMigrationTest, AnArtifactIsNeverOverwrittenAndDownReadsTheNewest) {
  Migrator m = Make(db_.get(), Options());
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  const std::string first = ReadAll(ArtifactFile());
  ASSERT_FALSE(first.empty());
  ASSERT_OK(m.Down(MigrationRange::Only(V("2")), {}, &report));
  ASSERT_OK(db_->Execute("UPDATE t SET code = 'ef' WHERE id = 1"));
  ASSERT_OK(m.Up(MigrationRange::Only(V("2")), &report));
  EXPECT_EQ(report.steps[0].artifact_path, ArtifactFile(".2"));
  EXPECT_EQ(ReadAll(ArtifactFile()), first) << "the first artifact was overwritten";
  // The newest artifact is the one that knows about 'ef'.
  ASSERT_OK(m.Down(MigrationRange::Only(V("2")), {}, &report));
  EXPECT_EQ(Code(db_.get(), 1), "ef");
}

TEST_P(DataMigrationTest, TwoDatabasesInOneFolderKeepTheirOwnArtifacts) {
  std::unique_ptr<Database> other = NewDatabase();
  MigrationReport a, b;
  ASSERT_OK(Make(db_.get(), Options("db-test-a")).UpAll(&a));
  ASSERT_OK(Make(other.get(), Options("db-test-b")).UpAll(&b));
  EXPECT_EQ(a.steps[1].artifact_path, ArtifactFile());
  EXPECT_NE(a.steps[1].artifact_path, b.steps[1].artifact_path);
  ASSERT_OK(Make(other.get(), Options("db-test-b")).Down(MigrationRange::Only(V("2")), {}, &b));
  ASSERT_OK(Make(db_.get(), Options("db-test-a")).Down(MigrationRange::Only(V("2")), {}, &a));
}

TEST_P(DataMigrationTest, ANamedArtifactFileThatExistsIsRefusedBeforeAnythingChanges) {
  const std::string named = artifacts_ / "named.json";
  std::ofstream(named) << "keep me";
  MigratorOptions o = Options();
  o.artifact_files[V("2")] = named;
  Migrator m = Make(db_.get(), o);
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  Digest before = DigestOf(db_.get());
  Status s = m.Up(MigrationRange::Only(V("2")), &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_NE(s.message().find("already exists"), std::string::npos) << s.ToString();
  EXPECT_EQ(DigestOf(db_.get()), before);
  EXPECT_EQ(ReadAll(named), "keep me");

  // Free again: the artifact goes there, and only there.
  std::filesystem::remove(named);
  ASSERT_OK(m.Up(MigrationRange::Only(V("2")), &report));
  EXPECT_EQ(report.steps[0].artifact_path, named);
  EXPECT_FALSE(std::filesystem::exists(ArtifactFile()));
  ASSERT_OK(m.Down(MigrationRange::Only(V("2")), {}, &report));  // reads the named file
  EXPECT_EQ(DigestOf(db_.get()), before);
}

// The C++ of a data migration is part of it: code whose digest differs from
// the one applied is reported like an edited SQL file, and the same code is
// not.
TEST_P(DataMigrationTest, AppliedDataMigrationWhoseCodeChangedIsAChecksumMismatch) {
  DataMigrationRegistry first, same, changed;
  ASSERT_OK(first.Register("0002", std::make_unique<UpperCodes>(), "", "digest-a"));
  ASSERT_OK(same.Register("0002", std::make_unique<UpperCodes>(), "", "digest-a"));
  ASSERT_OK(changed.Register("0002", std::make_unique<UpperCodes>(), "", "digest-b"));
  auto with = [&](DataMigrationRegistry* r) {
    MigratorOptions o = Options();
    o.registry = r;
    return Make(db_.get(), o);
  };
  MigrationReport report;
  ASSERT_OK(with(&first).Up(MigrationRange::All(), &report));
  EXPECT_TRUE(report.mismatches.empty());

  std::vector<LedgerMismatch> mismatches;
  ASSERT_OK(with(&same).Verify(&mismatches));
  EXPECT_TRUE(mismatches.empty());
  ASSERT_OK(with(&changed).Verify(&mismatches));
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].kind, LedgerMismatch::Kind::kChecksumChanged);
  EXPECT_EQ(mismatches[0].version.text(), "0002");
  // Without a digest the checksum is the folder's alone, as for SQL.
  ASSERT_OK(Make(db_.get(), Options()).Verify(&mismatches));
  EXPECT_EQ(mismatches.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DataMigrationTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

TEST(DatabaseIdentityTest, TokenIsAFunctionOfSeedAndName) {
  EXPECT_EQ(MakeDatabaseIdentity(42, "scenario_a"), MakeDatabaseIdentity(42, "scenario_a"));
  EXPECT_NE(MakeDatabaseIdentity(42, "scenario_a"), MakeDatabaseIdentity(43, "scenario_a"));
  EXPECT_NE(MakeDatabaseIdentity(42, "scenario_a"), MakeDatabaseIdentity(42, "scenario_b"));
  EXPECT_EQ(MakeDatabaseIdentity(1, "x").rfind("db-", 0), 0u);
  EXPECT_EQ(MakeDatabaseIdentity(1, "x").size(), 35u);
}

TEST(DatabaseIdentityTest, RandomTokensHaveTheSameShapeAndNeverRepeat) {
  std::string a, b;
  ASSERT_OK(MakeRandomDatabaseIdentity(&a));
  ASSERT_OK(MakeRandomDatabaseIdentity(&b));
  EXPECT_EQ(a.rfind("db-", 0), 0u);
  EXPECT_EQ(a.size(), 35u);
  EXPECT_NE(a, b);
}

TEST(DataMigrationRegistryTest, SameNumberCannotBeRegisteredTwice) {
  DataMigrationRegistry r;
  ASSERT_OK(r.Register("0003", std::make_unique<UpperCodes>()));
  EXPECT_EQ(r.Register("3", std::make_unique<UpperCodes>()).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(r.Register("x", std::make_unique<UpperCodes>()).code(), Status::Code::kInvalidInput);
  EXPECT_NE(r.Find(V("3"), "any_name"), nullptr);
  EXPECT_EQ(r.Find(V("4"), "any_name"), nullptr);
}

TEST(DataMigrationRegistryTest, CodeRegisteredWithANameBelongsToThatMigrationOnly) {
  DataMigrationRegistry r;
  ASSERT_OK(r.Register("0001", std::make_unique<UpperCodes>(), "timers_timezone"));
  EXPECT_NE(r.Find(V("1"), "timers_timezone"), nullptr);
  EXPECT_EQ(r.Find(V("1"), "people"), nullptr) << "another chain's 0001 took the code";
}

}  // namespace
}  // namespace rehearse
