#include "harness/runner/prepared_scenario.h"

#include <algorithm>
#include <filesystem>

#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migration_override.h"
#include "harness/runner/migration_units.h"

namespace rehearse {

namespace {

Status LoadFolder(const std::string& dir, GapRule gaps, std::vector<Migration>* out) {
  FolderMigrationSourceOptions o;
  o.gaps = gaps;
  return FolderMigrationSource(dir, o).Load(out);
}

// A chain or baseline folder, in whatever layout it is kept.
Status ReadChain(const Scenario& s, const std::string& dir, MigrationFolder* out) {
  MigrationFolderOptions o;
  o.format = s.format;
  o.irreversible = s.irreversible;
  o.privileged = s.privileged;
  return ReadMigrationFolder(dir, o, out);
}

std::string Canonical(const std::string& p) {
  std::error_code ec;
  auto c = std::filesystem::weakly_canonical(p, ec);
  return ec ? p : c.string();
}

// A scenario's append_to_up/_down, with its version checked against the chain.
Status ResolveAppended(const Scenario& s, const char* field, const Scenario::Appended& in,
                       const std::vector<Migration>& chain,
                       std::optional<RehearsalOptions::AppendedScript>* out) {
  if (in.version.empty()) return Status::OK();
  MigrationVersion v;
  bool found = MigrationVersion::Parse(in.version, &v).ok();
  found = found && std::any_of(chain.begin(), chain.end(),
                               [&](const Migration& m) { return m.version == v; });
  if (!found)
    return Status::InvalidInput(s.path + ": " + field + " names " + in.version +
                                ", which is not a version in " + s.migrations_dir);
  *out = RehearsalOptions::AppendedScript{v, in.script};
  return Status::OK();
}

// Scenario::unit: which consecutive targets go up and come down together.
Status GroupUnits(const Scenario& s, PreparedScenario* out) {
  if (s.unit == "version" || out->rehearsal.targets.size() < 2) return Status::OK();
  if (s.unit == "pending") {
    if (out->rehearsal.baseline.empty())
      return Status::InvalidInput(
          "--unit pending needs --baseline: what is pending is what "
          "the baseline lacks");
    out->rehearsal.unit_through[out->rehearsal.targets.front()] = out->rehearsal.targets.back();
    out->rehearsal.targets.resize(1);
    return Status::OK();
  }
  std::vector<MigrationVersion> firsts;
  REHEARSE_RETURN_IF_ERROR(
      GroupIntoUnits("--unit", s.unit, "version, prefix:N (1 <= N <= 40) or pending",
                     out->rehearsal.targets, &firsts, &out->rehearsal.unit_through));
  out->rehearsal.targets = std::move(firsts);
  return Status::OK();
}

}  // namespace

Status PrepareScenario(const Scenario& s, const std::string& baseline_dir, PreparedScenario* out) {
  out->scenario = &s;
  MigrationFolder chain;
  REHEARSE_RETURN_IF_ERROR(ReadChain(s, s.migrations_dir, &chain));
  out->rehearsal.migrations = std::move(chain.migrations);
  out->layout = chain.layout;
  out->settings = chain.settings;
  if (s.sqlite_foreign_keys) out->settings.sqlite_foreign_keys = *s.sqlite_foreign_keys;
  out->rehearsal.sqlite_foreign_keys = out->settings.sqlite_foreign_keys;
  for (const std::string& folder : s.replace) {
    // A stand-in is read with its siblings (a source reads folders of
    // migrations) and picked out by path.
    std::vector<Migration> siblings;
    std::string parent = std::filesystem::path(folder).parent_path().string();
    REHEARSE_RETURN_IF_ERROR(LoadFolder(parent, GapRule::kNone, &siblings));
    const Migration* stand_in = nullptr;
    for (const Migration& m : siblings)
      if (Canonical(m.origin) == Canonical(folder)) stand_in = &m;
    if (!stand_in)
      return Status::InvalidInput(s.path + ": \"replace\" names " + folder +
                                  ", which is not a migration folder");
    bool replaced = false;
    for (Migration& m : out->rehearsal.migrations) {
      if (m.version == stand_in->version) {
        if (!stand_in->has_code) out->rehearsal.code_set_aside.push_back(m.version);
        m = *stand_in;
        replaced = true;
      }
    }
    if (!replaced)
      return Status::InvalidInput(s.path + ": \"replace\" names " + folder + ", whose version " +
                                  stand_in->version.text() + " is not in " + s.migrations_dir);
  }
  if (!s.override_version.empty()) {
    MigrationOverride o;
    if (!MigrationVersion::Parse(s.override_version, &o.version).ok())
      return Status::InvalidInput(s.path + ": override names " + s.override_version +
                                  ", which is not a version");
    o.files = s.override_files;
    Status st = ApplyOverride(o, &out->rehearsal.migrations);
    if (!st.ok()) return st.Prepend(s.path);
  }
  const std::string& baseline = s.baseline_dir.empty() ? baseline_dir : s.baseline_dir;
  if (!baseline.empty()) {
    MigrationFolder production;
    Scenario plain = s;
    plain.irreversible.clear();  // declared for the chain's versions
    REHEARSE_RETURN_IF_ERROR(ReadChain(plain, baseline, &production));
    out->rehearsal.baseline = std::move(production.migrations);
  }
  if (out->rehearsal.migrations.empty())
    return Status::InvalidInput(s.migrations_dir + ": no migrations");
  REHEARSE_RETURN_IF_ERROR(ResolveAppended(
      s, "append_to_up", s.append_to_up, out->rehearsal.migrations, &out->rehearsal.append_to_up));
  REHEARSE_RETURN_IF_ERROR(ResolveAppended(s, "append_to_down", s.append_to_down,
                                           out->rehearsal.migrations,
                                           &out->rehearsal.append_to_down));
  if (!s.targets_from.empty() || !s.targets_to.empty()) {
    MigrationVersion from, to;
    for (const auto& [text, v] : {std::pair{&s.targets_from, &from}, std::pair{&s.targets_to, &to}})
      if (!text->empty() && !MigrationVersion::Parse(*text, v).ok())
        return Status::InvalidInput(s.path + ": targets range bound \"" + *text +
                                    "\" is not a version");
    for (const Migration& m : out->rehearsal.migrations)
      if ((s.targets_from.empty() || m.version >= from) &&
          (s.targets_to.empty() || m.version <= to))
        out->rehearsal.targets.push_back(m.version);
    if (out->rehearsal.targets.empty())
      return Status::InvalidInput(s.path + ": the targets range holds no migration of " +
                                  s.migrations_dir);
  } else if (!s.targets.empty()) {
    for (const std::string& t : s.targets) {
      MigrationVersion v;
      Status st = MigrationVersion::Parse(t, &v);
      if (!st.ok()) return Status::InvalidInput(s.path + ": target \"" + t + "\" is not a version");
      bool found = false;
      for (const Migration& m : out->rehearsal.migrations) found = found || m.version == v;
      if (!found)
        return Status::InvalidInput(s.path + ": target " + t + " is not in " + s.migrations_dir);
      out->rehearsal.targets.push_back(v);
    }
  } else if (!out->rehearsal.baseline.empty()) {
    // Upgrade the way production will be: everything the baseline lacks.
    for (const Migration& m : out->rehearsal.migrations) {
      bool applied = false;
      for (const Migration& b : out->rehearsal.baseline)
        applied = applied || b.version == m.version;
      if (!applied) out->rehearsal.targets.push_back(m.version);
    }
  } else {
    // A first migration the domain fills after (a baseline) is the starting
    // point; a folder from outside is rehearsed from empty (include_first).
    size_t first = s.include_first || out->rehearsal.migrations.size() == 1 ? 0 : 1;
    for (size_t i = first; i < out->rehearsal.migrations.size(); ++i)
      out->rehearsal.targets.push_back(out->rehearsal.migrations[i].version);
  }
  return GroupUnits(s, out);
}

}  // namespace rehearse
