// One conformance suite for every layout reader, driven by the files in
// testdata/: each <layout>/<case>/ folder beside <case>.expect, which names
// the layout and lists the migrations in the tool's order, one per line:
//
//   <label> [notx] [pg|sqlite] [code] [irreversible] [verify] [statements=N]
//
// (notx: runs outside a transaction; pg/sqlite: available only there; code:
// listed as not rehearsable; statements=N: the up's statement count). Every
// bad/<case>/ folder beside bad/<case>.expect must be refused:
//
//   error <fragment of the message>
//   at <path relative to the case folder>[:<line>]
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/migrate/layouts/layout.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = REHEARSE_SOURCE_DIR "/harness/migrate/layouts/testdata";

std::vector<std::string> ReadLines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

// Every case folder with its .expect, relative to testdata/.
std::vector<std::string> Cases(bool bad) {
  std::vector<std::string> out;
  for (const auto& layout : fs::directory_iterator(kTestdata)) {
    if (!layout.is_directory() || (layout.path().filename() == "bad") != bad) continue;
    for (const auto& e : fs::directory_iterator(layout.path()))
      if (e.path().extension() == ".expect")
        out.push_back(fs::relative(e.path(), kTestdata).replace_extension().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Splits "2024-01-02-000001_Add nick to people notx" into the label (which
// may hold spaces) and its flags, which never do.
void SplitExpectation(const std::string& line, std::string* label,
                      std::vector<std::string>* flags) {
  std::vector<std::string> w = Words(line);
  static const char* kFlags[] = {"notx", "pg", "sqlite", "code", "irreversible", "verify"};
  size_t end = w.size();
  while (end > 1) {
    const std::string& f = w[end - 1];
    bool flag = f.rfind("statements=", 0) == 0;
    for (const char* k : kFlags) flag = flag || f == k;
    if (!flag) break;
    --end;
  }
  label->clear();
  for (size_t i = 0; i < end; ++i) *label += (i ? " " : "") + w[i];
  flags->assign(w.begin() + static_cast<long>(end), w.end());
}

class LayoutConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutConformance, ReadsTheToolsOrderAndSettings) {
  const fs::path dir = fs::path(kTestdata) / GetParam();
  std::vector<std::string> expect = ReadLines(dir.string() + ".expect");
  ASSERT_FALSE(expect.empty());
  std::vector<std::string> head = Words(expect[0]);
  ASSERT_EQ(head.size(), 2u);
  std::optional<Layout> named;
  ASSERT_TRUE(ParseLayoutName(head[1], &named).ok());

  MigrationFolder detected, forced;
  Status s = ReadMigrationFolder(dir.string(), {}, &detected);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(LayoutName(detected.layout), head[1]);
  MigrationFolderOptions o;
  o.format = named;
  s = ReadMigrationFolder(dir.string(), o, &forced);
  ASSERT_TRUE(s.ok()) << s.ToString();

  ASSERT_EQ(detected.migrations.size(), expect.size() - 1);
  for (size_t i = 0; i < detected.migrations.size(); ++i) {
    const Migration& m = detected.migrations[i];
    std::string label;
    std::vector<std::string> flags;
    SplitExpectation(expect[i + 1], &label, &flags);
    SCOPED_TRACE(label);
    EXPECT_EQ(m.label(), label);
    auto has = [&](const std::string& f) {
      return std::find(flags.begin(), flags.end(), f) != flags.end();
    };
    EXPECT_EQ(!m.transactional, has("notx"));
    EXPECT_EQ(!m.not_rehearsable.empty(), has("code"));
    EXPECT_EQ(!m.irreversible.empty(), has("irreversible"));
    const bool code = has("code");
    EXPECT_EQ(m.available(Dialect::kPostgres), !code && !has("sqlite"));
    EXPECT_EQ(m.available(Dialect::kSqlite), !code && !has("pg"));
    bool verify = false;
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite})
      verify = verify || (m.available(d) && m.For(d).verify.present());
    EXPECT_EQ(verify, has("verify"));
    for (const std::string& f : flags) {
      if (f.rfind("statements=", 0) != 0) continue;
      const Dialect d = m.available(Dialect::kPostgres) ? Dialect::kPostgres : Dialect::kSqlite;
      EXPECT_EQ(std::to_string(m.For(d).up.Parse().statements().size()), f.substr(11));
    }
    // Forcing the layout reads the same; reading again gives the same checksums.
    ASSERT_EQ(forced.migrations.size(), detected.migrations.size());
    EXPECT_EQ(forced.migrations[i].label(), m.label());
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite})
      EXPECT_EQ(forced.migrations[i].For(d).checksum, m.For(d).checksum);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, LayoutConformance, ::testing::ValuesIn(Cases(false)),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

class LayoutBadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutBadInput, IsRefusedNamingTheFileAndLine) {
  const fs::path dir = fs::path(kTestdata) / GetParam();
  std::vector<std::string> expect = ReadLines(dir.string() + ".expect");
  ASSERT_EQ(expect.size(), 2u);
  ASSERT_EQ(expect[0].rfind("error ", 0), 0u);
  ASSERT_EQ(expect[1].rfind("at ", 0), 0u);
  MigrationFolder folder;
  Status s = ReadMigrationFolder(dir.string(), {}, &folder);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find(expect[0].substr(6)), std::string::npos) << s.ToString();
  std::string at = expect[1].substr(3);
  int line = 0;
  if (size_t colon = at.find(':'); colon != std::string::npos) {
    line = std::stoi(at.substr(colon + 1));
    at = at.substr(0, colon);
  }
  const std::string want = at == "." ? dir.string() : (dir / at).string();
  EXPECT_EQ(s.file(), want) << s.ToString();
  EXPECT_EQ(s.line(), line) << s.ToString();
  EXPECT_TRUE(folder.migrations.empty());
}

INSTANTIATE_TEST_SUITE_P(Layouts, LayoutBadInput, ::testing::ValuesIn(Cases(true)),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(LayoutTest, UnknownFormatNamesTheKnownOnes) {
  std::optional<Layout> l;
  Status s = ParseLayoutName("liquibase", &l);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("golang-migrate, goose, dbmate, diesel, pop, flyway, sqitch"),
            std::string::npos)
      << s.message();
}

TEST(LayoutTest, DeclaredIrreversibleVersionsAreMarkedAndUnknownOnesRefused) {
  MigrationFolderOptions o;
  o.irreversible = {"2"};
  MigrationFolder folder;
  Status s = ReadMigrationFolder(kTestdata + "/golang-migrate/lossy", o, &folder);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(folder.migrations[1].irreversible, "declared irreversible (--irreversible)");
  EXPECT_TRUE(folder.migrations[0].irreversible.empty());
  o.irreversible = {"7"};
  s = ReadMigrationFolder(kTestdata + "/golang-migrate/lossy", o, &folder);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("names 7, which is not a migration"), std::string::npos);
}

TEST(LayoutTest, ToolSettingsFollowTheTool) {
  EXPECT_TRUE(SettingsOf(Layout::kRehearse).sqlite_foreign_keys);
  for (Layout l : {Layout::kGolangMigrate, Layout::kGoose, Layout::kDbmate, Layout::kDiesel,
                   Layout::kPop, Layout::kFlyway, Layout::kSqitch})
    EXPECT_FALSE(SettingsOf(l).sqlite_foreign_keys) << LayoutName(l);
}

}  // namespace
}  // namespace rehearse
