#include "verifiers/domain/project_domain.h"

#include <filesystem>

#include "fixtures/domain/fixture_coverage.h"
#include "fixtures/domain/fixture_generator.h"
#include "migrations/code/data_migrations.h"
#include "verifiers/domain/domain_verifier.h"

namespace rehearse {

Status ProjectDomain::Make(const std::string& migrations_dir, std::unique_ptr<ProjectDomain>* out) {
  std::unique_ptr<ProjectDomain> d(new ProjectDomain());
  d->migrations_dir_ = migrations_dir;
  REHEARSE_RETURN_IF_ERROR(
      RegisterDataMigrations(&d->code_).Prepend("registering the data migrations' code"));
  d->checks_ = GenericChecks().Merge(DomainVerifier::Checks());
  *out = std::move(d);
  return Status::OK();
}

Status ProjectDomain::PlanFill(const FillSettings& settings, FillPlan* out) const {
  if (settings.kind != Scenario::Fill::kDomain) return generic_.PlanFill(settings, out);
  *out = FillPlan();
  FixtureProfile profile;
  REHEARSE_RETURN_IF_ERROR(ResolveFixtureProfile(settings.profile, &profile));
  // The domain fixtures know only the baseline schema: the migrations up to
  // N-1 then run over the filled data, as they did in production.
  out->point = RehearsalOptions::FillPoint::kAfterFirstMigration;
  out->description = "profile " + settings.profile;
  const FixtureSpec spec{settings.seed, static_cast<int64_t>(settings.scale), settings.profile};
  out->fill = [spec](Database* db, const std::vector<LookAheadConstraint>&, FillReport* report) {
    FixtureStats stats;
    REHEARSE_RETURN_IF_ERROR(GenerateFixture(spec, db, &stats));
    for (const FixtureStats::Table& t : stats.tables) report->tables.emplace_back(t.name, t.rows);
    report->total_rows += stats.total_rows;
    return Status::OK();
  };
  return Status::OK();
}

Status ProjectDomain::MakeObserver(const Scenario& s,
                                   std::unique_ptr<MigrationObserver>* out) const {
  // Domain invariants follow the domain fixtures: a scenario filled from the
  // schema is someone else's migrations.
  if (s.fill != Scenario::Fill::kDomain) return generic_.MakeObserver(s, out);
  DomainVerifierOptions o;
  o.workloads = s.workloads;
  o.only = s.verifiers;
  std::unique_ptr<DomainVerifier> v;
  Status st = DomainVerifier::Make(o, &v);
  if (!st.ok()) return st.Prepend(s.path + ": field \"workloads\" or \"verifiers\"");
  *out = std::move(v);
  return Status::OK();
}

bool ProjectDomain::Owns(const std::string& migrations_dir) const {
  std::error_code ec;
  return std::filesystem::equivalent(migrations_dir, migrations_dir_, ec);
}

Status ProjectDomain::FillCoverage(Database* db, const FillSettings& settings, std::string* report,
                                   bool* missing) const {
  FixtureCoverage coverage;
  REHEARSE_RETURN_IF_ERROR(MeasureCoverage(db, &coverage));
  *report = "\ncoverage\n" + coverage.ToText();
  const bool plain = settings.profile == "plain";
  const std::vector<std::string> absent = coverage.Missing(!plain);
  const size_t promised = coverage.PromisedCount(!plain);
  *report += std::to_string(promised - absent.size()) + " of " + std::to_string(promised) +
             " cases present" +
             (plain ? " (the hostile cases are not made with profile plain)" : "") + "\n";
  std::string names;
  for (const std::string& m : absent) names += (names.empty() ? "" : ", ") + m;
  if (!absent.empty()) *report += "missing: " + names + "\n";
  *missing = !absent.empty() && settings.scale >= 1;
  return Status::OK();
}

}  // namespace rehearse
