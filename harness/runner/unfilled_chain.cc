#include "harness/runner/unfilled_chain.h"

#include <set>

#include "fixtures/schema_model.h"

namespace rehearse {

UnfilledChain::UnfilledChain(ThrowawayDatabases* dbs, const RehearsalOptions& options,
                             const MigratorOptions& migrator_options)
    : dbs_(dbs), options_(options), migrator_options_(migrator_options) {}

Status UnfilledChain::Connect(Database* db, const std::string& name, MigrationConnections* as) {
  return dbs_->ConnectForMigrations(
      db, name, AnyPrivileged(options_.migrations) || AnyPrivileged(options_.baseline), as);
}

Migrator UnfilledChain::MigratorOn(const MigrationConnections& as,
                                   const std::vector<Migration>& chain) const {
  MigratorOptions o = migrator_options_;
  o.privileged_db = as.privileged;
  return Migrator(as.db, chain, std::move(o));
}

Status UnfilledChain::Up(const MigrationConnections& as, const Migration& m) {
  MigrationReport ignored;
  REHEARSE_RETURN_IF_ERROR(
      MigratorOn(as, options_.migrations).Up(MigrationRange::Only(m.version), &ignored));
  const auto& a = options_.append_to_up;
  Database* mdb = m.privileged && as.privileged ? as.privileged : as.db;
  if (a && a->version == m.version && m.available(mdb->dialect()))
    return mdb->ExecuteScript(a->script);
  return Status::OK();
}

Status UnfilledChain::StartingPoint(const MigrationConnections& as) {
  if (options_.baseline.empty()) return Status::OK();
  MigrationReport ignored;
  return MigratorOn(as, options_.baseline).UpAll(&ignored);
}

Status UnfilledChain::Survey() {
  surveyed_ = true;
  std::unique_ptr<Database> db;
  std::string name;
  REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, "", &name));
  dbs_->DescribeLast("the chain without rows, for look-ahead filling");
  MigrationConnections as;
  REHEARSE_RETURN_IF_ERROR(Connect(db.get(), name, &as));
  Status st = StartingPoint(as);
  if (!st.ok()) return st.code() == Status::Code::kInfrastructure ? st : Status::OK();
  SchemaModel before, after;
  REHEARSE_RETURN_IF_ERROR(ReadSchemaModel(db.get(), &before));
  std::set<std::string> baseline;
  for (const Migration& m : options_.baseline) baseline.insert(m.version.key());
  for (const Migration& m : options_.migrations) {
    if (baseline.count(m.version.key())) continue;
    st = Up(as, m);
    if (st.code() == Status::Code::kInfrastructure) return st;
    up_[m.version.key()] = st;
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
  auto it = up_.find(version.key());
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
  MigrationConnections as;
  REHEARSE_RETURN_IF_ERROR(Connect(db.get(), made, &as));
  if (!forward) REHEARSE_RETURN_IF_ERROR(StartingPoint(as));
  std::set<std::string> baseline;
  for (const Migration& m : options_.baseline) baseline.insert(m.version.key());
  for (const Migration& m : options_.migrations) {
    if (!(m.version < version) || baseline.count(m.version.key())) continue;
    if (forward && m.version < *template_before_) continue;
    Status st = Up(as, m);
    if (!st.ok())
      return st.Prepend("building the state before " + version.text() + " without rows");
  }
  as = MigrationConnections();
  db.reset();  // a template must have no open connection
  template_ = made;
  template_before_ = version;
  *name = template_;
  return Status::OK();
}

}  // namespace rehearse
