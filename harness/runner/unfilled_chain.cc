#include "harness/runner/unfilled_chain.h"

#include <set>

#include "fixtures/schema_model.h"

namespace rehearse {

UnfilledChain::UnfilledChain(ThrowawayDatabases* dbs, const RehearsalOptions& options,
                             const MigratorOptions& migrator_options)
    : dbs_(dbs), options_(options), migrator_options_(migrator_options) {}

Status UnfilledChain::Up(Database* db, const Migration& m) {
  MigrationReport ignored;
  REHEARSE_RETURN_IF_ERROR(Migrator(db, options_.migrations, migrator_options_)
                               .Up(MigrationRange::Only(m.version), &ignored));
  const auto& a = options_.append_to_up;
  if (a && a->version == m.version && m.available(db->dialect()))
    return db->ExecuteScript(a->script);
  return Status::OK();
}

Status UnfilledChain::StartingPoint(Database* db) {
  if (options_.baseline.empty()) return Status::OK();
  MigrationReport ignored;
  return Migrator(db, options_.baseline, migrator_options_).UpAll(&ignored);
}

Status UnfilledChain::Survey() {
  surveyed_ = true;
  std::unique_ptr<Database> db;
  REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db));
  dbs_->DescribeLast("the chain without rows, for look-ahead filling");
  Status st = StartingPoint(db.get());
  if (!st.ok()) return st.code() == Status::Code::kInfrastructure ? st : Status::OK();
  SchemaModel before, after;
  REHEARSE_RETURN_IF_ERROR(ReadSchemaModel(db.get(), &before));
  std::set<std::string> baseline;
  for (const Migration& m : options_.baseline) baseline.insert(m.version.digits());
  for (const Migration& m : options_.migrations) {
    if (baseline.count(m.version.digits())) continue;
    st = Up(db.get(), m);
    if (st.code() == Status::Code::kInfrastructure) return st;
    up_[m.version.digits()] = st;
    if (!st.ok()) break;  // the chain breaks here, filled or not
    REHEARSE_RETURN_IF_ERROR(ReadSchemaModel(db.get(), &after));
    Added added{m.version, {}};
    LookAheadConstraint::Added(before, after, m.label(), &added.constraints);
    if (!added.constraints.empty()) added_.push_back(std::move(added));
    before = std::move(after);
  }
  return Status::OK();
}

std::optional<Status> UnfilledChain::UnfilledUp(const MigrationVersion& version) const {
  auto it = up_.find(version.digits());
  if (it == up_.end()) return std::nullopt;
  return it->second;
}

std::vector<LookAheadConstraint> UnfilledChain::AddedFrom(const MigrationVersion& version) const {
  std::vector<LookAheadConstraint> out;
  std::set<std::string> checked;  // tables whose CHECKs an earlier migration set
  for (const Added& a : added_) {
    if (a.version < version) continue;
    std::set<std::string> checked_here;
    for (const LookAheadConstraint& c : a.constraints) {
      if (c.kind == LookAheadConstraint::Kind::kCheck) {
        if (checked.count(c.table)) continue;
        checked_here.insert(c.table);
      }
      out.push_back(c);
    }
    checked.insert(checked_here.begin(), checked_here.end());
  }
  return out;
}

Status UnfilledChain::TemplateBefore(const MigrationVersion& version, std::string* name) {
  if (template_before_ && *template_before_ == version) {
    *name = template_;
    return Status::OK();
  }
  // Forward from the last template when it lies before `version`, else
  // from empty (targets come in order, so that is the first call only).
  const bool forward = template_before_ && *template_before_ < version;
  std::unique_ptr<Database> db;
  std::string made;
  REHEARSE_RETURN_IF_ERROR(
      dbs_->Create(options_.dialect, &db, nullptr, forward ? template_ : "", &made));
  dbs_->DescribeLast("unfilled, right before " + version.text());
  if (!forward) REHEARSE_RETURN_IF_ERROR(StartingPoint(db.get()));
  std::set<std::string> baseline;
  for (const Migration& m : options_.baseline) baseline.insert(m.version.digits());
  for (const Migration& m : options_.migrations) {
    if (!(m.version < version) || baseline.count(m.version.digits())) continue;
    if (forward && m.version < *template_before_) continue;
    Status st = Up(db.get(), m);
    if (!st.ok())
      return st.Prepend("building the state before " + version.text() + " without rows");
  }
  db.reset();  // a template must have no open connection
  template_ = made;
  template_before_ = version;
  *name = template_;
  return Status::OK();
}

}  // namespace rehearse
