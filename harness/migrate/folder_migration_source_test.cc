// FolderMigrationSource over small folders written by each test: what it
// accepts, and every kind of bad input it must refuse with kInvalidInput
// naming the offending path.
#include "harness/migrate/folder_migration_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "harness/migrate/migration_test_util.h"

namespace rehearse {
namespace {

constexpr const char* kUp = "CREATE TABLE t (id INTEGER PRIMARY KEY);\n";
constexpr const char* kDown = "DROP TABLE t;\n";

class FolderMigrationSourceTest : public ::testing::Test {
 protected:
  // Loads and expects kInvalidInput whose file names `path` (relative to the
  // scratch folder; "" for the folder itself). Returns the one-line message.
  std::string ExpectBadInput(const std::string& path, GapRule gaps = GapRule::kSequentialOnly) {
    FolderMigrationSource source(dir_.path(), {gaps});
    std::vector<Migration> out;
    Status s = source.Load(&out);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
    EXPECT_EQ(s.file(), path.empty() ? dir_.path() : dir_ / path) << s.ToString();
    EXPECT_TRUE(out.empty());
    std::string line = s.ToString();
    EXPECT_EQ(line.find('\n'), std::string::npos) << "one line: " << line;
    return line;
  }

  ScratchFolder dir_;
};

TEST_F(FolderMigrationSourceTest, GenericFilesServeBothDialects) {
  dir_.Migration("0001_create_t", kUp, kDown);
  dir_.Write("0001_create_t/migration.json", R"({"description": "make t", "transaction": false})");
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].version.text(), "0001");
  EXPECT_EQ(m[0].name, "create_t");
  EXPECT_EQ(m[0].label(), "0001_create_t");
  EXPECT_EQ(m[0].description, "make t");
  EXPECT_FALSE(m[0].transactional);
  EXPECT_FALSE(m[0].has_code);
  EXPECT_FALSE(m[0].privileged);
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    ASSERT_TRUE(m[0].available(d));
    EXPECT_EQ(m[0].For(d).up.path, dir_ / "0001_create_t/up.sql");
    EXPECT_EQ(m[0].For(d).up.text(), kUp);
    EXPECT_EQ(m[0].For(d).down.text(), kDown);
    EXPECT_EQ(m[0].For(d).checksum.size(), 32u);
  }
}

TEST_F(FolderMigrationSourceTest, DialectFileWinsOverGenericOne) {
  dir_.Migration("0001_x", kUp, kDown);
  dir_.Write("0001_x/up.sqlite.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT;");
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].postgres.up.path, dir_ / "0001_x/up.sql");
  EXPECT_EQ(m[0].sqlite.up.path, dir_ / "0001_x/up.sqlite.sql");
  EXPECT_EQ(m[0].sqlite.down.path, dir_ / "0001_x/down.sql");
  EXPECT_NE(m[0].postgres.checksum, m[0].sqlite.checksum);
}

TEST_F(FolderMigrationSourceTest, PostgresOnlyMigrationIsUnavailableOnSqliteNotAnError) {
  dir_.Write("0001_pg/up.postgres.sql", "CREATE EXTENSION IF NOT EXISTS pgcrypto;");
  dir_.Write("0001_pg/down.postgres.sql", "DROP EXTENSION pgcrypto;");
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].available(Dialect::kPostgres));
  EXPECT_FALSE(m[0].available(Dialect::kSqlite));
  EXPECT_TRUE(m[0].sqlite.checksum.empty());
}

TEST_F(FolderMigrationSourceTest, MigrationsComeBackInNumericOrderWithOthersIgnored) {
  dir_.Migration("10_c", kUp, kDown);
  dir_.Migration("9_b", kUp, kDown);
  dir_.Migration("0008_a", kUp, kDown);
  dir_.Write("README.md", "not a migration");
  dir_.Mkdir("legacy");
  dir_.Write(".hidden/junk", "x");
  FolderMigrationSource source(dir_.path());
  std::vector<Migration> m;
  ASSERT_TRUE(source.Load(&m).ok());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].label(), "0008_a");
  EXPECT_EQ(m[1].label(), "9_b");
  EXPECT_EQ(m[2].label(), "10_c");
  EXPECT_EQ(source.ignored(), (std::vector<std::string>{dir_ / "README.md", dir_ / "legacy"}));
}

TEST_F(FolderMigrationSourceTest, TimestampVersionsHaveNoGapRule) {
  dir_.Migration("20240101120000_a", kUp, kDown);
  dir_.Migration("20240315093000_b", kUp, kDown);
  dir_.Migration("20240315093000000001_c", kUp, kDown);  // 20 digits
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[2].name, "c");
}

TEST_F(FolderMigrationSourceTest, SequentialNumberingMayStartLateAfterASquash) {
  dir_.Migration("0042_a", kUp, kDown);
  dir_.Migration("0043_b", kUp, kDown);
  EXPECT_EQ(LoadOrDie(dir_.path()).size(), 2u);
}

TEST_F(FolderMigrationSourceTest, DataMigrationMayHoldOnlyManifestAndDataFiles) {
  dir_.Write("0003_seq/migration.json", R"({"kind": "data", "description": "sequences"})");
  dir_.Write("0003_seq/copy.json", R"({"step": "hello"})");
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].has_code);
  EXPECT_TRUE(m[0].available(Dialect::kPostgres));
  EXPECT_TRUE(m[0].available(Dialect::kSqlite));
  EXPECT_FALSE(m[0].postgres.up.present());
  EXPECT_EQ(m[0].data_files, (std::vector<std::string>{dir_ / "0003_seq/copy.json"}));
  std::string before = m[0].sqlite.checksum;
  dir_.Write("0003_seq/copy.json", R"({"step": "hello!"})");
  EXPECT_NE(LoadOrDie(dir_.path())[0].sqlite.checksum, before) << "data files are checksummed";
}

TEST_F(FolderMigrationSourceTest, ChecksumIsStableAndFollowsEveryByteOfUpAndDown) {
  dir_.Migration("0001_x", kUp, kDown);
  std::string first = LoadOrDie(dir_.path())[0].postgres.checksum;
  EXPECT_EQ(LoadOrDie(dir_.path())[0].postgres.checksum, first);
  dir_.Write("0001_x/down.sql", "DROP TABLE t; ");
  EXPECT_NE(LoadOrDie(dir_.path())[0].postgres.checksum, first);
  dir_.Write("0001_x/down.sql", kDown);
  dir_.Write("0001_x/migration.json", R"({"description": "docs only"})");
  EXPECT_EQ(LoadOrDie(dir_.path())[0].postgres.checksum, first) << "manifest is not checksummed";
}

TEST_F(FolderMigrationSourceTest, TheProjectsOwnMigrationsFolderLoads) {
  std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../../migrations";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no migrations/ beside the harness";
  FolderMigrationSource source(root.lexically_normal().string());
  std::vector<Migration> m;
  Status s = source.Load(&m);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].label(), "0000_baseline");
}

// --- bad input ---------------------------------------------------------------

TEST_F(FolderMigrationSourceTest, MissingFolderIsBadInputNamingIt) {
  dir_.Remove("");
  EXPECT_NE(ExpectBadInput("").find("does not exist"), std::string::npos);
}

TEST_F(FolderMigrationSourceTest, FileInsteadOfFolderIsBadInput) {
  dir_.Remove("");
  ScratchFolder other;
  other.Write("file", "x");
  FolderMigrationSource source(other / "file");
  std::vector<Migration> out;
  Status s = source.Load(&out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), other / "file");
}

TEST_F(FolderMigrationSourceTest, FolderNameWithoutUnderscoreNameIsBadInput) {
  dir_.Migration("0002-add-index", kUp, kDown);
  ExpectBadInput("0002-add-index");
}

TEST_F(FolderMigrationSourceTest, FlatGolangMigrateFileIsBadInputNotSilentlyIgnored) {
  dir_.Write("0001_init.up.sql", kUp);
  ExpectBadInput("0001_init.up.sql");
}

TEST_F(FolderMigrationSourceTest, WellNamedFileInsteadOfFolderIsBadInput) {
  dir_.Write("0001_init", kUp);
  ExpectBadInput("0001_init");
}

TEST_F(FolderMigrationSourceTest, DuplicateVersionIsBadInputEvenWithOtherLeadingZeros) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Migration("1_b", kUp, kDown);
  std::string msg = ExpectBadInput("1_b");
  EXPECT_NE(msg.find("duplicate version 1"), std::string::npos) << msg;
  EXPECT_NE(msg.find(dir_ / "0001_a"), std::string::npos) << msg;
}

TEST_F(FolderMigrationSourceTest, GapInSequentialNumberingIsBadInput) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Migration("0002_b", kUp, kDown);
  dir_.Migration("0004_d", kUp, kDown);
  std::string msg = ExpectBadInput("0004_d");
  EXPECT_NE(msg.find("3 is missing"), std::string::npos) << msg;
}

TEST_F(FolderMigrationSourceTest, GapRuleCanBeTurnedOffForNumberingByTens) {
  dir_.Migration("10_a", kUp, kDown);
  dir_.Migration("20_b", kUp, kDown);
  FolderMigrationSource source(dir_.path(), {GapRule::kNone});
  std::vector<Migration> m;
  EXPECT_TRUE(source.Load(&m).ok());
  EXPECT_EQ(m.size(), 2u);
}

TEST_F(FolderMigrationSourceTest, UnknownFileNameIsBadInput) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Write("0001_a/up.postgre.sql", kUp);
  std::string msg = ExpectBadInput("0001_a/up.postgre.sql");
  EXPECT_NE(msg.find("unknown file name"), std::string::npos) << msg;
}

TEST_F(FolderMigrationSourceTest, DataMigrationStillRefusesMisspelledScripts) {
  dir_.Write("0001_a/migration.json", R"({"kind": "data"})");
  dir_.Write("0001_a/up.sqlit.sql", kUp);
  ExpectBadInput("0001_a/up.sqlit.sql");
}

TEST_F(FolderMigrationSourceTest, SubfolderInsideMigrationIsBadInput) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Mkdir("0001_a/extra");
  ExpectBadInput("0001_a/extra");
}

TEST_F(FolderMigrationSourceTest, UpWithoutDownIsBadInput) {
  dir_.Write("0001_a/up.sql", kUp);
  std::string msg = ExpectBadInput("0001_a/up.sql");
  EXPECT_NE(msg.find("up without down"), std::string::npos) << msg;
}

TEST_F(FolderMigrationSourceTest, UpWithoutDownOnOneDialectIsBadInput) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Write("0001_a/up.sqlite.sql", kUp);
  dir_.Remove("0001_a/down.sql");
  dir_.Write("0001_a/down.postgres.sql", kDown);
  std::string msg = ExpectBadInput("0001_a/up.sqlite.sql");
  EXPECT_NE(msg.find("up without down for sqlite"), std::string::npos) << msg;
}

TEST_F(FolderMigrationSourceTest, DownWithoutUpIsBadInput) {
  dir_.Write("0001_a/down.sql", kDown);
  ExpectBadInput("0001_a/down.sql");
}

TEST_F(FolderMigrationSourceTest, FolderWithNoScriptsIsBadInput) {
  dir_.Write("0001_a/migration.json", R"({"description": "forgot the files"})");
  ExpectBadInput("0001_a");
}

TEST_F(FolderMigrationSourceTest, MalformedMigrationJsonIsBadInputWithBytePosition) {
  dir_.Migration("0001_a", kUp, kDown);
  dir_.Write("0001_a/migration.json", "{\n  \"description\": \"x\",\n  \"transaction\": tru\n}");
  FolderMigrationSource source(dir_.path());
  std::vector<Migration> out;
  Status s = source.Load(&out);
  ASSERT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "0001_a/migration.json");
  EXPECT_EQ(s.line(), 3);
  EXPECT_NE(s.message().find("at byte"), std::string::npos) << s.ToString();
}

TEST_F(FolderMigrationSourceTest, PrivilegedIsAnExplicitChoiceOutsideTheChecksum) {
  dir_.Migration("0001_a", kUp, kDown);
  const std::string before = LoadOrDie(dir_.path())[0].postgres.checksum;
  dir_.Write("0001_a/migration.json", R"({"privileged": true})");
  std::vector<Migration> m = LoadOrDie(dir_.path());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].privileged);
  EXPECT_TRUE(AnyPrivileged(m));
  EXPECT_EQ(m[0].postgres.checksum, before);
}

TEST_F(FolderMigrationSourceTest, MigrationJsonWithWrongTypeOrUnknownKeyIsBadInput) {
  dir_.Migration("0001_a", kUp, kDown);
  for (const char* json :
       {R"({"transaction": "yes"})", R"({"transactional": false})", R"({"kind": "python"})",
        R"([1, 2])", "", R"({"report": ["SELECT 1"]})", R"({"report": {"empty": ""}})",
        R"({"privileged": "yes"})", R"({"superuser": true})"}) {
    dir_.Write("0001_a/migration.json", json);
    std::string msg = ExpectBadInput("0001_a/migration.json");
    EXPECT_FALSE(msg.empty()) << json;
  }
}

TEST_F(FolderMigrationSourceTest, UnreadableScriptIsBadInputNamingIt) {
  // Root reads any file whatever its mode, so a dangling link stands in for
  // an unreadable one.
  dir_.Write("0001_a/up.sql", kUp);
  std::filesystem::create_symlink(dir_ / "nowhere.sql", dir_ / "0001_a/down.sql");
  ExpectBadInput("0001_a/down.sql");
}

TEST_F(FolderMigrationSourceTest, TransactionControlInTransactionalMigrationIsBadInput) {
  dir_.Migration("0001_a", std::string("BEGIN;\n") + kUp + "COMMIT;\n", kDown);
  FolderMigrationSource source(dir_.path());
  std::vector<Migration> out;
  Status s = source.Load(&out);
  ASSERT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "0001_a/up.sql");
  EXPECT_EQ(s.line(), 1);
  // Allowed when the migration manages its own transactions.
  dir_.Write("0001_a/migration.json", R"({"transaction": false})");
  EXPECT_EQ(LoadOrDie(dir_.path()).size(), 1u);
}

TEST_F(FolderMigrationSourceTest, SqliteTriggerBodyIsNotMistakenForTransactionControl) {
  dir_.Migration("0001_a",
                 "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);\n"
                 "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET n = 1; END;\n"
                 "SAVEPOINT s; ROLLBACK TO s; RELEASE s;\n",
                 kDown);
  EXPECT_EQ(LoadOrDie(dir_.path()).size(), 1u);
}

}  // namespace
}  // namespace rehearse
