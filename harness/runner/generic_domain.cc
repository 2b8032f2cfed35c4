#include "harness/runner/generic_domain.h"

#include <utility>

#include "fixtures/schema_filler.h"

namespace rehearse {

namespace {

// The tables the migrations so far created and nothing has filled yet; the
// rows also honour what later migrations add (look_ahead.h).
Status FillSchema(uint64_t seed, uint64_t scale, const std::vector<LookAheadConstraint>& look_ahead,
                  Database* db, FillReport* out) {
  SchemaFillReport report;
  SchemaFillOptions options = SchemaFillAtScale(seed, static_cast<int64_t>(scale));
  options.look_ahead = look_ahead;
  REHEARSE_RETURN_IF_ERROR(SchemaDrivenFiller(options).Fill(db, &report));
  for (const SchemaFillReport::Table& t : report.tables) out->tables.emplace_back(t.name, t.rows);
  out->total_rows += report.total_rows;
  for (const SchemaFillWarning& w : report.warnings) out->warnings.push_back(w.ToString());
  return Status::OK();
}

}  // namespace

Status GenericDomain::PlanFill(const FillSettings& settings, FillPlan* out) const {
  *out = FillPlan();
  switch (settings.kind) {
    case Scenario::Fill::kNone:
      return Status::OK();
    case Scenario::Fill::kSchema:
      out->point = RehearsalOptions::FillPoint::kBeforeEachTarget;
      out->description = "schema-driven";
      out->fill = [seed = settings.seed, scale = settings.scale](
                      Database* db, const std::vector<LookAheadConstraint>& look_ahead,
                      FillReport* report) {
        return FillSchema(seed, scale, look_ahead, db, report);
      };
      return Status::OK();
    case Scenario::Fill::kDomain:
      break;
  }
  return Status::InvalidInput(
      "\"fill\": \"domain\" is the domain generator of Rehearse's own migrations; this folder "
      "gets \"schema\" or \"none\"");
}

Status GenericDomain::MakeObserver(const Scenario& s,
                                   std::unique_ptr<MigrationObserver>* out) const {
  out->reset();
  for (const auto& [field, names] :
       {std::pair{"workloads", &s.workloads}, std::pair{"verifiers", &s.verifiers}})
    if (!names->empty())
      return Status::InvalidInput(s.path + ": field \"" + field + "\" needs \"fill\": \"domain\"");
  return Status::OK();
}

Status GenericDomain::FillCoverage(Database*, const FillSettings&, std::string*, bool*) const {
  return Status::InvalidInput("the schema-driven filler promises no coverage cases");
}

}  // namespace rehearse
