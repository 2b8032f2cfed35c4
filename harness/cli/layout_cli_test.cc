// Layouts through the command line: every bad-input folder of the layout
// conformance suite exits 2 from the gate naming its file, before anything
// boots; --format forces a reader; `rehearse list` shows what a folder holds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/cli/command_run_test_util.h"
#include "harness/common/remove_tree.h"

namespace {

namespace fs = std::filesystem;

const std::string kLayouts = REHEARSE_SOURCE_ROOT "/harness/migrate/layouts/testdata";

class LayoutCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("rehearse-layout-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    rehearse::RemoveTree(tmp_);
    fs::create_directories(tmp_);
  }
  void TearDown() override { EXPECT_TRUE(rehearse::RemoveTree(tmp_)); }
  rehearse::CommandRun Rehearse(const std::string& args) {
    return rehearse::RunCommandLine("TMPDIR=" + tmp_.string() + " " REHEARSE_BINARY " " + args);
  }
  fs::path tmp_;
};

TEST_F(LayoutCliTest, EveryBadFolderExitsTwoNamingItsFileBeforeAnythingBoots) {
  int cases = 0;
  for (const auto& e : fs::directory_iterator(kLayouts + "/bad")) {
    if (!e.is_directory()) continue;
    ++cases;
    std::ifstream expect(e.path().string() + ".expect");
    std::string error, at;
    std::getline(expect, error);
    std::getline(expect, at);
    at = at.substr(3, at.find(':') == std::string::npos ? std::string::npos : at.find(':') - 3);
    rehearse::CommandRun r = Rehearse("gate --migrations '" + e.path().string() + "'");
    SCOPED_TRACE(e.path().string() + "\n" + r.output);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(error.substr(6)), std::string::npos);
    EXPECT_NE(r.output.find(at == "." ? e.path().string() : at), std::string::npos);
    EXPECT_TRUE(fs::is_empty(tmp_)) << "something was made in TMPDIR";
  }
  EXPECT_GE(cases, 10);
}

TEST_F(LayoutCliTest, FormatForcesAReaderAndAnUnknownOneIsUsage) {
  rehearse::CommandRun r =
      Rehearse("list --migrations " + kLayouts + "/goose/good --format dbmate");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("-- migrate:up"), std::string::npos) << r.output;
  r = Rehearse("gate --migrations " + kLayouts + "/goose/good --format liquibase");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown layout 'liquibase'"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(tmp_));
}

TEST_F(LayoutCliTest, AUnitThatIsNotOneIsUsageAndPendingNeedsABaseline) {
  rehearse::CommandRun r = Rehearse("gate --migrations " + kLayouts + "/pop/units --unit prefix:x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("is not version, prefix:N"), std::string::npos) << r.output;
  r = Rehearse("gate --migrations " + kLayouts + "/pop/units --unit pending");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--unit pending needs --baseline"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(tmp_));
}

TEST_F(LayoutCliTest, PendingIsOneUnitOverTheBaseline) {
  fs::copy(kLayouts + "/pop/units", tmp_ / "main");
  fs::copy(kLayouts + "/pop/units", tmp_ / "pr");
  for (const auto& e : fs::directory_iterator(tmp_ / "main"))
    if (e.path().filename().string().rfind("20240101", 0) != 0) fs::remove(e.path());
  rehearse::CommandRun r = Rehearse("gate --backend sqlite --migrations " + (tmp_ / "pr").string() +
                                    " --baseline " + (tmp_ / "main").string() +
                                    " --unit pending --report-json " + (tmp_ / "r.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(tmp_ / "r.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("\"20240202000001000000_split_a..20240303000001000000_index\""),
            std::string::npos)
      << json;
}

TEST_F(LayoutCliTest, AFailureAfterACodeMigrationNamesItAsTheLikelyCause) {
  fs::create_directories(tmp_ / "m");
  std::ofstream(tmp_ / "m" / "00001_people.sql")
      << "-- +goose Up\nCREATE TABLE people (id integer PRIMARY KEY);\n"
         "-- +goose Down\nDROP TABLE people;\n";
  std::ofstream(tmp_ / "m" / "00002_pets.go") << "package migrations\n";
  std::ofstream(tmp_ / "m" / "00003_index_pets.sql")
      << "-- +goose Up\nCREATE INDEX pets_name ON pets (name);\n"
         "-- +goose Down\nDROP INDEX pets_name;\n";
  rehearse::CommandRun r = Rehearse("gate --backend sqlite --migrations " + (tmp_ / "m").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("likely cause: the code migration(s) 00002_pets before it were not run"),
            std::string::npos)
      << r.output;
}

TEST_F(LayoutCliTest, ListShowsTheToolsOrderAndWhatCannotBeRehearsed) {
  rehearse::CommandRun r = Rehearse("list --migrations " + kLayouts + "/goose/lossy");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(
      r.output.find("layout goose, SQLite foreign_keys off, 4 migration(s)\n"
                    "00001_create_people\n"
                    "00002_add_nick  # empty down (postgres); empty down (sqlite)\n"
                    "00003_index_name  # outside a transaction\n"
                    "00004_seed_people  # not rehearsable (code migration: a Go migration)\n"),
      std::string::npos)
      << r.output;
}

TEST_F(LayoutCliTest, AnIrreversibleListBesideTheFolderSkipsItsRollbackChecks) {
  fs::copy(kLayouts + "/golang-migrate/lossy", tmp_ / "m");
  std::ofstream(tmp_ / "rehearse-irreversible.txt") << "# accepted: the nickname stays\n2\n";
  rehearse::CommandRun r = Rehearse("gate --backend sqlite --migrations " + (tmp_ / "m").string() +
                                    " --report-json " + (tmp_ / "r.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(tmp_ / "r.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("irreversible: declared irreversible (" +
                      (tmp_ / "rehearse-irreversible.txt").string() + ":2)"),
            std::string::npos)
      << json;
}

}  // namespace
