// The CI reports of ci_reports.h on a made-up GateResult (no database): the
// annotations' exact syntax, the Markdown, the SARIF against a SARIF 2.1.0
// schema (testdata/sarif-2.1.0-subset.schema.json, checked by a validator
// of the JSON Schema keywords that file uses), and the HTML — in headless
// Chromium when it is installed.
#include "harness/runner/ci_reports.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rehearse {
namespace {

using nlohmann::json;

GateResult MakeResult() {
  GateResult r;
  ScenarioRun run;
  run.scenario = "db";
  run.backend = "postgres";
  run.expect = "pass";
  run.reproduce = "rehearse gate --migrations db --backend postgres";
  run.verdict = "forward_applies failed on 0002_add_total";
  MigrationOutcome first;
  first.migration = "0001_init";
  first.backend = "postgres";
  first.origin = "db/0001_init";
  first.seconds = 0.25;
  first.checks = {CheckResult::Pass("forward_applies"),
                  CheckResult::Warn("fill", "table t, column c: 3 of 10 rows")};
  MigrationOutcome second;
  second.migration = "0002_add_total";
  second.backend = "postgres";
  second.origin = "db/0002_add_total";
  second.seconds = 1.5;
  second.checks = {
      CheckResult::Fail("forward_applies",
                        "db/0002_add_total/up.sql:7: column \"total\" does not exist (SQLSTATE "
                        "42703)\n  in statement: UPDATE orders SET total = 1 | 2"),
      CheckResult::Fail("down_restores", "table orders, key (id)=(1), column total: 1 vs 2"),
      CheckResult::Skip("rerun_idempotent", "an earlier step failed")};
  run.outcomes = {first, second};
  r.runs.push_back(run);
  // A negative scenario catching what it expects: no finding.
  ScenarioRun negative = run;
  negative.scenario = "known_bad";
  negative.expect = "fail forward_applies";
  negative.negative = true;
  negative.passed = true;
  negative.outcomes = {second};
  r.runs.push_back(negative);
  r.seconds = 2;
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(GithubAnnotationsTest, EscapesAsTheToolkitDoes) {
  EXPECT_EQ(EscapeAnnotationData("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
  EXPECT_EQ(EscapeAnnotationProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
}

TEST(GithubAnnotationsTest, OneCommandPerFailedCheckAndWarning) {
  std::vector<std::string> lines = Lines(RenderGithubAnnotations(MakeResult()));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "::warning file=db/0001_init,title=rehearse fill warns on 0001_init [postgres]::table "
            "t, column c: 3 of 10 rows");
  EXPECT_EQ(lines[1],
            "::error file=db/0002_add_total/up.sql,line=7,title=rehearse forward_applies failed "
            "on 0002_add_total [postgres]::db/0002_add_total/up.sql:7: column \"total\" does not "
            "exist (SQLSTATE 42703)%0A  in statement: UPDATE orders SET total = 1 | 2");
  EXPECT_EQ(lines[2].rfind("::error file=db/0002_add_total,title=rehearse down_restores", 0), 0u)
      << lines[2];
}

TEST(GithubAnnotationsTest, LinesRelativeToTheWorkingDirectory) {
  MigrationOutcome o;
  o.origin = "/nowhere/x";
  const std::string cwd = std::filesystem::current_path().string();
  FindingLocation loc = LocateFinding(o, "oops in " + cwd + "/m/0003_x.sql:12: syntax error");
  EXPECT_EQ(loc.file, "m/0003_x.sql");
  EXPECT_EQ(loc.line, 12);
  loc = LocateFinding(o, "at 12:30: not a file");
  EXPECT_EQ(loc.file, "/nowhere/x");
  EXPECT_EQ(loc.line, 0);
}

TEST(GateMarkdownTest, VerdictTablesAndFirstDifferences) {
  const std::string md = RenderGateMarkdown(MakeResult());
  EXPECT_NE(md.find("## Rehearse: \u274c fail"), std::string::npos) << md;
  EXPECT_NE(md.find("| check | status | detail |"), std::string::npos);
  EXPECT_NE(md.find("| forward_applies | \u274c fail | db/0002_add_total/up.sql:7:"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("### First differences"), std::string::npos);
  EXPECT_NE(md.find("UPDATE orders SET total = 1 | 2"), std::string::npos);  // fenced, as is
  // The negative run caught its failure: a verdict, no table.
  EXPECT_NE(md.find("### \u2705 known_bad [postgres]"), std::string::npos) << md;
}

// The JSON Schema keywords the schema file uses, draft 7 semantics.
void Validate(const json& schema, const json& root, const json& v, const std::string& at,
              std::vector<std::string>* errors) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"];
    ASSERT_EQ(ref.rfind("#/definitions/", 0), 0u);
    return Validate(root["definitions"][ref.substr(14)], root, v, at, errors);
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
    errors->push_back(at + ": not one of " + schema["enum"].dump());
  if (schema.contains("type")) {
    const std::string t = schema["type"];
    bool ok = (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
              (t == "string" && v.is_string()) || (t == "boolean" && v.is_boolean()) ||
              (t == "integer" && v.is_number_integer()) || (t == "number" && v.is_number());
    if (!ok) return errors->push_back(at + ": not " + t);
  }
  if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema["minimum"])
    errors->push_back(at + ": below the minimum");
  if (schema.contains("format") && schema["format"] == "uri-reference" &&
      v.get<std::string>().find_first_of(" \\\"<>") != std::string::npos)
    errors->push_back(at + ": not a URI reference");
  if (v.is_object()) {
    for (const auto& r : schema.value("required", json::array()))
      if (!v.contains(r)) errors->push_back(at + ": missing " + r.get<std::string>());
    const json props = schema.value("properties", json::object());
    for (const auto& [k, value] : v.items()) {
      if (props.contains(k))
        Validate(props[k], root, value, at + "/" + k, errors);
      else if (schema.value("additionalProperties", true) == false)
        errors->push_back(at + ": unexpected property " + k);
    }
  }
  if (v.is_array() && schema.contains("items"))
    for (size_t i = 0; i < v.size(); ++i)
      Validate(schema["items"], root, v[i], at + "/" + std::to_string(i), errors);
}

TEST(GateSarifTest, ValidAgainstTheSchemaAndPointsAtTheLine) {
  std::ifstream in(std::string(REHEARSE_RUNNER_TESTDATA) + "/sarif-2.1.0-subset.schema.json");
  const json schema = json::parse(in);
  const json sarif = json::parse(RenderGateSarif(MakeResult()));
  std::vector<std::string> errors;
  Validate(schema, schema, sarif, "", &errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
  const json& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["level"], "warning");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "db/0002_add_total/up.sql");
  // The validator catches what the schema forbids.
  json bad = sarif;
  bad["runs"][0]["results"][0]["level"] = "fatal";
  bad["runs"][0]["results"][1].erase("message");
  errors.clear();
  Validate(schema, schema, bad, "", &errors);
  EXPECT_EQ(errors.size(), 2u);
}

std::string TempDir(const std::string& name) {
  std::string dir = std::filesystem::temp_directory_path() /
                    ("rehearse-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(GateHtmlTest, SelfContainedFailedChecksOpen) {
  const std::string html = RenderGateHtml(MakeResult());
  EXPECT_NE(html.find("<details class=\"check fail\" data-check=\"forward_applies\" "
                      "data-status=\"fail\" open>"),
            std::string::npos);
  EXPECT_NE(html.find("<nav class=\"timeline\""), std::string::npos);
  for (const char* fetch : {"<script", "<link", "<img", "src=", "url(", "@import", "http://"})
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
  const std::string dir = TempDir("html");
  ASSERT_TRUE(WriteGateHtml(MakeResult(), dir + "/r.html").ok());
  ASSERT_TRUE(WriteGateMarkdown(MakeResult(), dir + "/r.md").ok());
  ASSERT_TRUE(WriteGateSarif(MakeResult(), dir + "/r.sarif").ok());
  EXPECT_GT(std::filesystem::file_size(dir + "/r.html"), 1000u);
  std::filesystem::remove_all(dir);
}

std::string FindChromium() {
  if (const char* env = std::getenv("REHEARSE_CHROMIUM"); env && *env) return env;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (access(p, X_OK) == 0) return p;
  return "";
}

// Real headless Chromium: the page renders offline, a failed check is in the
// DOM as an open <details>, and a screenshot is taken.
TEST(GateHtmlTest, RendersInHeadlessChromium) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "no chromium (apt-get install chromium; ci/test does)";
  const std::string dir = TempDir("chromium");
  ASSERT_TRUE(WriteGateHtml(MakeResult(), dir + "/report.html").ok());
  // No network at all: every fetch would fail, and the DOM is still whole.
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--proxy-server=127.0.0.1:9 --user-data-dir=" +
      dir + "/profile --window-size=1200,900 ";
  const std::string url = "file://" + dir + "/report.html";
  std::string cmd =
      chromium + flags + "--dump-dom " + url + " >" + dir + "/dom.html 2>" + dir + "/dom.log";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(dir + "/dom.html");
  std::stringstream dom;
  dom << in.rdbuf();
  EXPECT_NE(dom.str().find("data-verdict=\"fail\""), std::string::npos) << dom.str();
  EXPECT_NE(dom.str().find("data-check=\"forward_applies\" data-status=\"fail\" open=\"\""),
            std::string::npos)
      << dom.str();
  EXPECT_NE(dom.str().find("column \"total\" does not exist"), std::string::npos);
  cmd =
      chromium + flags + "--screenshot=" + dir + "/shot.png " + url + " >" + dir + "/shot.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream png(dir + "/shot.png", std::ios::binary);
  char magic[8] = {};
  png.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  EXPECT_GT(std::filesystem::file_size(dir + "/shot.png"), 5000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rehearse
