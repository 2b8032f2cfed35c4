// Sqitch: a plan and three folders of scripts,
//
//   DIR/sqitch.plan        %pragmas, changes, @tags, # comments
//   DIR/deploy/{change}.sql, revert/{change}.sql, verify/{change}.sql
//   DIR/sqitch.conf        optional; [core] engine = pg | sqlite
//
// A change line is `name [dependencies] timestamp planner <email> # note`.
// Changes run in plan order; a version is the change's name. A dependency
// on a change of this plan must name an earlier one (bad input otherwise);
// `!conflicts` and `project:change` are not checked. A change named again
// after a tag is a rework: the earlier one's scripts are {change}@{tag}.sql,
// the first tag after it, as Sqitch copies them. Scripts carry their own
// BEGIN/COMMIT, so they run as written, outside Rehearse's transaction.
// verify/ runs after every deploy (the `verify_passes` check). The engine in
// sqitch.conf picks the dialect; without one, both.
#include <algorithm>
#include <map>
#include <set>

#include "harness/common/input_file.h"
#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

struct PlannedChange {
  std::string name;
  std::vector<std::string> requires_;
  int line = 0;
  std::string script_name;  // name, or name@tag for a reworked earlier change
};

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!w.empty()) out.push_back(std::move(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

Status ParsePlan(const std::string& path, const std::string& text,
                 std::vector<PlannedChange>* out) {
  std::vector<std::pair<size_t, std::string>> tags;  // (changes before it, tag)
  for (const NumberedLine& l : SplitLines(text)) {
    std::string_view line = l.text;
    size_t hash = line.find(" #");
    if (!line.empty() && line[0] == '#') continue;
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string> w = Words(line);
    if (w.empty() || w[0][0] == '%') continue;
    if (w[0][0] == '@') {
      tags.emplace_back(out->size(), w[0].substr(1));
      continue;
    }
    PlannedChange c;
    c.name = w[0];
    if (c.name[0] == '+' || c.name[0] == '-') c.name.erase(0, 1);
    c.line = l.number;
    if (w.size() > 1 && w[1][0] == '[') {
      std::string deps;
      size_t i = 1;
      for (; i < w.size(); ++i) {
        deps += " " + w[i];
        if (w[i].back() == ']') break;
      }
      if (i == w.size())
        return Status::InvalidInput("unterminated [dependencies] of " + c.name).At(path, l.number);
      for (std::string d : Words(deps)) {
        d.erase(std::remove(d.begin(), d.end(), '['), d.end());
        d.erase(std::remove(d.begin(), d.end(), ']'), d.end());
        if (!d.empty()) c.requires_.push_back(d);
      }
    }
    std::set<std::string> earlier;
    for (const PlannedChange& p : *out) earlier.insert(p.name);
    for (const std::string& d : c.requires_) {
      if (d[0] == '!' || d.find(':') != std::string::npos) continue;
      std::string base = d.substr(0, d.find('@'));
      if (!earlier.count(base))
        return Status::InvalidInput(c.name + " requires " + d +
                                    ", which is not an earlier change of the plan")
            .At(path, l.number);
    }
    c.script_name = c.name;
    out->push_back(std::move(c));
  }
  // Reworks: the earlier change's scripts carry the first tag after it.
  for (size_t i = 0; i < out->size(); ++i) {
    for (size_t j = i + 1; j < out->size(); ++j) {
      if ((*out)[j].name != (*out)[i].name) continue;
      for (const auto& [before, tag] : tags) {
        if (before > i) {
          (*out)[i].script_name = (*out)[i].name + "@" + tag;
          break;
        }
      }
      break;
    }
  }
  return Status::OK();
}

// The dialects sqitch.conf's engine names; both when it names none.
std::vector<Dialect> EngineDialects(const std::string& dir) {
  std::string conf;
  if (!ReadInputFile(dir + "/sqitch.conf", &conf).ok())
    return {Dialect::kPostgres, Dialect::kSqlite};
  for (const NumberedLine& l : SplitLines(conf)) {
    std::vector<std::string> w = Words(l.text);
    if (w.size() >= 3 && w[0] == "engine" && w[1] == "=") {
      if (w[2] == "pg") return {Dialect::kPostgres};
      if (w[2] == "sqlite") return {Dialect::kSqlite};
    }
  }
  return {Dialect::kPostgres, Dialect::kSqlite};
}

Status ReadSqitch(const std::string& dir, std::vector<Migration>* out) {
  const std::string plan_path = dir + "/sqitch.plan";
  std::string plan;
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(plan_path, &plan));
  std::vector<PlannedChange> changes;
  REHEARSE_RETURN_IF_ERROR(ParsePlan(plan_path, plan, &changes));
  if (changes.empty()) return Status::InvalidInput("the plan names no change").At(plan_path, 0);
  const std::vector<Dialect> dialects = EngineDialects(dir);
  std::map<std::string, int> seen;
  std::vector<Migration> migrations;
  for (size_t i = 0; i < changes.size(); ++i) {
    const PlannedChange& c = changes[i];
    Migration m;
    const int n = ++seen[c.name];
    m.version = MigrationVersion::Ordinal(n == 1 ? c.name : c.name + "#" + std::to_string(n), i);
    m.origin = dir + "/deploy/" + c.script_name + ".sql";
    MigrationScriptFile deploy, revert, verify;
    Status s = ReadScript(m.origin, &deploy);
    if (!s.ok())
      return Status::InvalidInput("the plan names " + c.name + " but " + m.origin + ": " +
                                  s.message())
          .At(plan_path, c.line);
    const std::string revert_path = dir + "/revert/" + c.script_name + ".sql";
    const std::string verify_path = dir + "/verify/" + c.script_name + ".sql";
    if (IsRegularFile(revert_path)) REHEARSE_RETURN_IF_ERROR(ReadScript(revert_path, &revert));
    if (IsRegularFile(verify_path)) REHEARSE_RETURN_IF_ERROR(ReadScript(verify_path, &verify));
    for (Dialect d : dialects) {
      m.For(d).up = deploy;
      m.For(d).down = revert;
      m.For(d).verify = verify;
    }
    FinishForeignMigration(&m);
    migrations.push_back(std::move(m));
  }
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

const LayoutReader kSqitchReader = {
    Layout::kSqitch, "sqitch", "sqitch.plan with deploy/, revert/ and verify/ folders",
    [](const std::string& dir, const std::vector<std::string>& entries) {
      return std::find(entries.begin(), entries.end(), "sqitch.plan") != entries.end() &&
             !IsDirectory(dir + "/sqitch.plan");
    },
    ReadSqitch};

}  // namespace rehearse
