// Scenario: one rehearsal described as data (scenarios/*.json), so adding a
// case needs no C++. Fields (all but "name" optional):
//
//   {
//     "name": "negative_retro_inserting_overwrite",
//     "description": "a 0003 that keeps current_step by position",
//     "migrations": "migrations",             // folder of the chain, from the project root
//     "baseline": "scenarios/x/production",  // like --baseline, for this scenario
//     "replace": ["scenarios/negative/0003_retro_inserting_overwrite"],
//                                             // migration folders standing in for
//                                             // the chain's ones of the same version
//     "targets": ["0002"],                    // versions to rehearse (default: all but the first),
//                                             // or a range {"from": "0002", "to": "0004"}
//     "backends": ["sqlite", "postgres"],     // default: both
//     "fixture": {"seed": 1, "scale": 1, "profile": "default"},
//     "fill": "domain" | "schema" | "none",   // default: domain
//     "workloads": ["restart_recovery_without_exclusion"],
//                                             // known-bad workloads played in place
//                                             // of the faithful ones (domain fill)
//     "override": {"migration": "0002", "files": {"down.sql": "scenarios/known_bad/x.sql"}},
//                                             // a known-bad migration: the chain's
//                                             // 0002 with these files swapped in
//     "append_to_up": {"migration": "0002", "file": "scenarios/known_bad/y.sql"},
//                                             // a known-bad migration: the chain's
//                                             // own up of 0002, then this script
//     "append_to_down": {...},                // the same after its down
//     "verifiers": ["one_front_desk_per_org"], // domain invariants to judge
//                                             // (default: all; generic ones always)
//     "expect": "pass"                        // or {"fail": "rollback_identical",
//                                             //     "migration": "0002"}
//   }
//
// A negative scenario (expect.fail) passes when that check fails on that
// migration on every backend it runs on: it proves the check bites.
#ifndef REHEARSE_RUNNER_SCENARIO_H_
#define REHEARSE_RUNNER_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/db/sql_script.h"
#include "harness/migrate/layouts/layout.h"

namespace rehearse {

struct Scenario {
  std::string name;
  std::string path;  // the file it came from
  std::string description;
  std::string migrations_dir;        // absolute
  std::string baseline_dir;          // absolute; empty: the gate's --baseline, if any
  std::vector<std::string> replace;  // absolute migration folder paths
  std::vector<std::string> targets;  // version texts; empty: all but the first
  bool include_first = false;        // with no targets: rehearse the first one too
  std::vector<Dialect> backends = {Dialect::kSqlite, Dialect::kPostgres};
  uint64_t seed = 1;
  uint64_t scale = 1;
  std::string profile = "default";
  enum class Fill { kDomain, kSchema, kNone } fill = Fill::kDomain;
  std::vector<std::string> workloads;                 // known-bad workload names
  std::string override_version;                       // version text; empty: none
  std::map<std::string, std::string> override_files;  // file name -> absolute path
  // A script run right after every up (or down) of one version: a known-bad
  // migration made of the chain's own.
  struct Appended {
    std::string version;  // version text; empty: nothing appended
    SqlScript script;
  };
  Appended append_to_up, append_to_down;
  // "targets": {"from": A, "to": B}: every version in [A, B] (either bound
  // may be left out). Used instead of `targets` when either is set.
  std::string targets_from, targets_to;
  // Domain invariants to judge (DomainVerifier names); empty: all of them.
  // The generic invariants are always judged.
  std::vector<std::string> verifiers;
  // Flags `rehearse reproduce` needs to find this scenario again when it
  // did not come from scenarios/ ("--migrations DIR [--baseline DIR]").
  std::string reproduce_flags;
  // How the folders are read (--format, --irreversible, --sqlite-foreign-keys).
  std::optional<Layout> format;             // nullopt: detected
  std::vector<std::string> irreversible;    // versions declared irreversible
  bool privileged = false;                  // --privileged: the whole folder as the superuser
  std::optional<bool> sqlite_foreign_keys;  // nullopt: as the layout's tool runs it
  // The unit of rehearsal (--unit): "version" (each alone), "prefix:N"
  // (versions sharing their first N digits go up, are checked and come down
  // together), "pending" (with a baseline: every pending version at once, as
  // production receives the release).
  std::string unit = "version";
  std::string expect_fail_check;      // empty: expect pass
  std::string expect_fail_migration;  // version text; empty: any migration
};

// Reads one scenario file (ReadInputFile); relative paths resolve against
// `project_root`. Malformed JSON or a wrong field is kInvalidInput naming the
// file and field; so is a file it names (override.files, append_to_up/down)
// that lies outside `project_root` once symlinks are resolved: scenarios
// come with a pull request, and what they read ends up in reports.
Status LoadScenario(const std::string& path, const std::string& project_root, Scenario* out);
// The same for a scenario's text, `path` naming it in messages.
Status ParseScenario(std::string_view text, const std::string& path,
                     const std::string& project_root, Scenario* out);

// Every *.json directly in `dir`, sorted by file name.
Status LoadScenarios(const std::string& dir, const std::string& project_root,
                     std::vector<Scenario>* out);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_SCENARIO_H_
