// The gate over every layout's small folders (harness/migrate/layouts/
// testdata), filled as `--migrations DIR` fills them, on the engines each
// case's <case>.gate names:
//
//   [folder <case>]                    another case's folder (default: <case>)
//   [foreign_keys on|off]              as --sqlite-foreign-keys
//   [unit version|prefix:N]            as --unit
//   [privileged]                       as --privileged
//   backends sqlite postgres
//   pass                               every run passes
//   fail <check> <label> <fragment>    that check fails on that migration,
//                                      its detail holding the fragment
//   warn <check> <label> <fragment>    the same, warning
//   clean <label>                      no check of that migration fails
//   skipped <label> <fragment>         its checks are skipped for that reason
//
// A kind may name one backend (skipped@postgres): the line holds there only.
// A <label> matches a migration whose label starts with it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

const std::string kLayouts = REHEARSE_RUNNER_TESTDATA "/../../migrate/layouts/testdata";

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& layout : fs::directory_iterator(kLayouts)) {
    if (!layout.is_directory()) continue;
    for (const auto& e : fs::directory_iterator(layout.path()))
      if (e.path().extension() == ".gate")
        out.push_back(fs::relative(e.path(), kLayouts).replace_extension().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const MigrationOutcome* FindOutcome(const ScenarioRun& run, const std::string& label) {
  for (const MigrationOutcome& o : run.outcomes)
    if (o.migration.rfind(label, 0) == 0) return &o;
  return nullptr;
}

class LayoutGateTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutGateTest, GateJudgesTheFolderAsItsToolRunsIt) {
  const fs::path dir = fs::path(kLayouts) / GetParam();
  std::ifstream in(dir.string() + ".gate");
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  Scenario s;
  s.migrations_dir = dir.string();
  for (; !lines.empty(); lines.erase(lines.begin())) {
    if (lines[0].rfind("folder ", 0) == 0) {
      s.migrations_dir = (dir.parent_path() / lines[0].substr(7)).string();
    } else if (lines[0].rfind("unit ", 0) == 0) {
      s.unit = lines[0].substr(5);
    } else if (lines[0] == "privileged") {
      s.privileged = true;
    } else if (lines[0].rfind("foreign_keys ", 0) == 0) {
      s.sqlite_foreign_keys = lines[0].substr(13) == "on";
    } else {
      break;
    }
  }
  ASSERT_FALSE(lines.empty());
  GateOptions options;
  options.backends.clear();
  std::istringstream head(lines[0]);
  std::string word;
  head >> word;
  ASSERT_EQ(word, "backends");
  while (head >> word)
    options.backends.push_back(word == "sqlite" ? Dialect::kSqlite : Dialect::kPostgres);
  s.name = GetParam();
  s.fill = Scenario::Fill::kSchema;
  s.include_first = true;
  options.scenarios = {s};
  GateResult result;
  Status st = RunGate(options, &result);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(result.runs.size(), options.backends.size());
  const std::string summary = RenderGateSummary(result);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend + "\n" + summary);
    for (size_t i = 1; i < lines.size(); ++i) {
      std::istringstream line(lines[i]);
      std::string kind, check, label, fragment;
      line >> kind;
      if (size_t at = kind.find('@'); at != std::string::npos) {
        if (kind.substr(at + 1) != run.backend) continue;
        kind = kind.substr(0, at);
      }
      if (kind == "pass") {
        EXPECT_TRUE(run.passed) << run.verdict;
        continue;
      }
      if (kind == "fail" || kind == "warn") line >> check;
      line >> label;
      std::getline(line, fragment);
      fragment.erase(0, fragment.find_first_not_of(' '));
      const MigrationOutcome* o = FindOutcome(run, label);
      ASSERT_NE(o, nullptr) << "no migration " << label;
      if (kind == "clean") {
        for (const CheckResult& c : o->checks)
          EXPECT_NE(c.status, CheckStatus::kFail) << label << " " << c.name << ": " << c.detail;
      } else if (kind == "fail" || kind == "warn") {
        const CheckStatus want = kind == "fail" ? CheckStatus::kFail : CheckStatus::kWarn;
        bool found = false;
        for (const CheckResult& c : o->checks)
          found = found || (c.name == check && c.status == want &&
                            c.detail.find(fragment) != std::string::npos);
        EXPECT_TRUE(found) << check << " did not " << kind << " on " << label << " with '"
                           << fragment << "'";
      } else if (kind == "skipped") {
        bool found = false;
        for (const CheckResult& c : o->checks)
          found = found ||
                  (c.status == CheckStatus::kSkip && c.detail.find(fragment) != std::string::npos);
        EXPECT_TRUE(found) << label << " not skipped with '" << fragment << "'";
      } else {
        FAIL() << "unknown line: " << lines[i];
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, LayoutGateTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace rehearse
