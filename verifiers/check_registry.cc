#include "verifiers/check_registry.h"

namespace rehearse {

CheckRegistry CheckRegistry::Merge(const CheckRegistry& more) const {
  CheckRegistry out = *this;
  for (const CheckInfo& c : more.checks_)
    if (!out.Has(c.name)) out.checks_.push_back(c);
  return out;
}

const CheckInfo* CheckRegistry::Find(std::string_view name) const {
  for (const CheckInfo& c : checks_)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> CheckRegistry::Names() const {
  std::vector<std::string> out;
  for (const CheckInfo& c : checks_) out.emplace_back(c.name);
  return out;
}

const CheckRegistry& GenericChecks() {
  static const CheckRegistry kChecks({
      {"dry_run_unchanged", CheckKind::kFlow, "a dry run leaves the database identical",
       "negative_dry_run_escape"},
      {kForwardApplies.name, CheckKind::kFlow, "up runs without error", "negative_failing_up"},
      {"idempotent_rerun", CheckKind::kFlow, "running again applies nothing",
       "negative_ledger_rewrite"},
      {kRollbackApplies.name, CheckKind::kFlow, "down runs without error", "negative_failing_down"},
      {"rollback_identical", CheckKind::kFlow,
       "S2 == S0, byte for byte (sequence positions warn; rows that were there are compared in "
       "full despite a volatile default)",
       "negative_lossy_number_rollback, negative_down_rewrites_created_at"},
      {"reapply_identical", CheckKind::kFlow, "up after down gives S1 again",
       "negative_sequence_reapply"},
      {"upgrade_matches_fresh", CheckKind::kFlow, "the upgraded schema is a fresh install's",
       "negative_edited_in_place"},
      {"applied_unchanged", CheckKind::kFinding, "applied migrations' files did not change",
       "negative_edited_in_place_ledger"},
      {"fill", CheckKind::kFinding, "every table the filler was given is filled (a warning)",
       "harness/runner/testdata (gate_test: a table it cannot fill)"},
      {kDialectParity.name, CheckKind::kGate, "same logical data after each up on both engines",
       "negative_dialect_mismatch"},
      {"verify_passes", CheckKind::kFinding, "a Sqitch verify script passes after each deploy",
       "harness/migrate/layouts/testdata (sqitch)"},
      {"privileged", CheckKind::kFinding, "says a migration ran as the superuser", ""},
      {kAppliesWithData.name, CheckKind::kFinding,
       "a migration that fails only on the generated rows is named (fails with --strict)",
       "harness/runner/testdata/down_fails_with_data"},
  });
  return kChecks;
}

std::string RenderInvariantTable(const CheckRegistry& registry) {
  std::string out =
      "| invariant | what it asserts | caught in |\n"
      "|---|---|---|\n";
  for (const CheckInfo& c : registry.all()) {
    if (!c.known_bad.starts_with("negative_")) continue;
    std::string caught;
    for (std::string_view rest = c.known_bad; !rest.empty();) {
      const size_t comma = rest.find(", ");
      caught += (caught.empty() ? "`" : ", `") + std::string(rest.substr(0, comma)) + "`";
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
    }
    out += "| `" + std::string(c.name) + "` | " + std::string(c.asserts) + " | " + caught + " |\n";
  }
  return out;
}

}  // namespace rehearse
