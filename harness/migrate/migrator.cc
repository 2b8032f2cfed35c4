#include "harness/migrate/migrator.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <unordered_map>

#include "harness/migrate/database_identity.h"

namespace rehearse {

namespace {

std::set<std::string> AppliedDigits(const std::vector<AppliedMigration>& applied) {
  std::set<std::string> out;
  for (const AppliedMigration& a : applied) out.insert(a.version.key());
  return out;
}

}  // namespace

Migrator::Migrator(Database* db, std::vector<Migration> migrations, MigratorOptions options)
    : db_(db),
      migrations_(std::move(migrations)),
      options_(std::move(options)),
      artifacts_(options_.artifact_dir, options_.artifact_files, db_->dialect(), options_.scope) {
  // A data migration's code is part of what was applied: its digest joins
  // the checksum the ledger records and compares (migration.h).
  for (Migration& m : migrations_) {
    if (!m.has_code || !CodeFor(m)) continue;
    const std::string digest = options_.registry->CodeDigest(m.version, m.name);
    if (digest.empty()) continue;
    for (DialectMigration* dm : {&m.postgres, &m.sqlite})
      if (!dm->checksum.empty()) dm->checksum = WithCodeDigest(dm->checksum, digest);
  }
  for (size_t i = 0; i < migrations_.size(); ++i) {
    by_text_[migrations_[i].version.text()].push_back(i);
    by_key_[migrations_[i].version.key()].push_back(i);
  }
}

const Migration* Migrator::Find(const MigrationVersion& version) const {
  auto it =
      std::lower_bound(migrations_.begin(), migrations_.end(), version,
                       [](const Migration& m, const MigrationVersion& v) { return m.version < v; });
  return it != migrations_.end() && it->version == version ? &*it : nullptr;
}

Status Migrator::Applied(std::vector<AppliedMigration>* out) {
  REHEARSE_RETURN_IF_ERROR(MigrationLedger::Read(db_, out));
  // The ledger holds versions as written; the source knows how its layout
  // orders them (a Diesel date, a Sqitch change), so each takes the source's
  // own version where there is one: the first migration (in source order)
  // whose version has the same text or key, or else one of those with the
  // same name. Versions that share a number (ordered by name) are told apart
  // by name.
  static const std::vector<size_t> kNone;
  auto lookup = [](const auto& index, const std::string& s) -> const std::vector<size_t>& {
    auto it = index.find(s);
    return it == index.end() ? kNone : it->second;
  };
  std::vector<size_t> candidates;
  for (AppliedMigration& a : *out) {
    const std::vector<size_t>& same_text = lookup(by_text_, a.version.text());
    const std::vector<size_t>& same_key = lookup(by_key_, a.version.key());
    candidates.clear();
    std::set_union(same_text.begin(), same_text.end(), same_key.begin(), same_key.end(),
                   std::back_inserter(candidates));
    const Migration* match = nullptr;
    for (size_t i : candidates) {
      const Migration& m = migrations_[i];
      if (!match || m.name == a.name) match = &m;
      if (m.name == a.name) break;
    }
    if (match) a.version = match->version;
  }
  std::stable_sort(
      out->begin(), out->end(),
      [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; });
  if (!options_.adopt_through || adoption_recorded_) return Status::OK();
  if (!out->empty()) {
    return Status::InvalidInput("cannot adopt the database at " + options_.adopt_through->text() +
                                ": its ledger already records " + std::to_string(out->size()) +
                                " applied migration(s), the newest " + out->back().version.text());
  }
  for (const Migration& m : migrations_) {
    if (*options_.adopt_through < m.version) break;
    if (m.available(db_->dialect()))
      out->push_back({m.version, m.name, m.For(db_->dialect()).checksum, options_.now});
  }
  return Status::OK();
}

Status Migrator::Pending(std::vector<const Migration*>* out) {
  out->clear();
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  std::set<std::string> done = AppliedDigits(applied);
  for (const Migration& m : migrations_)
    if (m.available(db_->dialect()) && !done.count(m.version.key())) out->push_back(&m);
  return Status::OK();
}

Status Migrator::Verify(std::vector<LedgerMismatch>* out) {
  out->clear();
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  *out = CompareLedger(applied, migrations_, db_->dialect());
  return Status::OK();
}

Status Migrator::ReadLedger(std::vector<AppliedMigration>* applied, MigrationReport* report) {
  *report = MigrationReport();
  REHEARSE_RETURN_IF_ERROR(CheckOutsideTransaction());
  REHEARSE_RETURN_IF_ERROR(Applied(applied));
  report->mismatches = CompareLedger(*applied, migrations_, db_->dialect());
  return Status::OK();
}

Database* Migrator::On(const Migration& m) const {
  return m.privileged && options_.privileged_db != nullptr ? options_.privileged_db : db_;
}

Status Migrator::CheckOutsideTransaction() const {
  if (db_->in_transaction() ||
      (options_.privileged_db != nullptr && options_.privileged_db->in_transaction())) {
    return Status::InvalidInput("the migrator needs a database outside any transaction");
  }
  return Status::OK();
}

Status Migrator::Prepare() {
  REHEARSE_RETURN_IF_ERROR(MigrationLedger::Ensure(db_));
  if (options_.adopt_through && !adoption_recorded_) {
    std::vector<AppliedMigration> adopted;
    REHEARSE_RETURN_IF_ERROR(Applied(&adopted));
    REHEARSE_RETURN_IF_ERROR(db_->Begin());
    Status s;
    for (const AppliedMigration& a : adopted)
      if (s.ok()) s = MigrationLedger::Record(db_, a);
    if (!s.ok()) {
      db_->Rollback();
      return s.Prepend("recording the adopted migrations");
    }
    REHEARSE_RETURN_IF_ERROR(db_->Commit());
    adoption_recorded_ = true;
  }
  if (options_.identity.empty()) return Status::OK();
  std::string token;
  Status s = ReadDatabaseIdentity(db_, &token);
  if (s.code() == Status::Code::kNotFound) return StampDatabaseIdentity(db_, options_.identity);
  return s;
}

DataMigration* Migrator::CodeFor(const Migration& m) const {
  if (!options_.registry || m.code_replaced) return nullptr;
  for (const MigrationVersion& v : options_.code_set_aside)
    if (v == m.version) return nullptr;
  return options_.registry->Find(m.version, m.name);
}

Status Migrator::CheckCode(const Migration& m) const {
  DataMigration* code = CodeFor(m);
  if (m.has_code && !code) {
    return Status::InvalidInput("migration " + m.label() +
                                " is a data migration (\"kind\": \"data\") but no C++ code is "
                                "registered under version " +
                                m.version.text())
        .At(m.origin, 0);
  }
  if (!m.has_code && code) {
    return Status::InvalidInput("C++ code is registered under version " + m.version.text() +
                                " but " + m.label() +
                                " is not a data migration (its migration.json needs \"kind\": "
                                "\"data\")")
        .At(m.origin, 0);
  }
  if (!options_.scope.empty() && (!m.has_code || m.For(db_->dialect()).up.present())) {
    return Status::InvalidInput("a scope (\"" + options_.scope +
                                "\") applies to data migrations without SQL only, and " +
                                m.label() + " has SQL")
        .At(m.origin, 0);
  }
  return Status::OK();
}

Status Migrator::PlanUp(const MigrationRange& range, const std::vector<AppliedMigration>& applied,
                        std::vector<PlannedStep>* plan) {
  plan->clear();
  std::set<std::string> done = AppliedDigits(applied);
  const Dialect dialect = db_->dialect();
  const bool scoped = !options_.scope.empty();
  for (const Migration& m : migrations_) {
    const bool available = m.available(dialect);
    if (range.Contains(m.version)) {
      if (!available) {
        plan->push_back({&m, false});
        continue;
      }
      if (scoped || !done.count(m.version.key())) plan->push_back({&m, true});
      continue;
    }
    if (scoped || !available || done.count(m.version.key())) continue;
    if (range.Below(m.version)) {
      return Status::InvalidInput("migration " + m.label() + " is not applied and comes before " +
                                  range.ToString() + "; apply it first")
          .At(m.origin, 0);
    }
  }
  if (!scoped && !applied.empty()) {
    const AppliedMigration& newest = applied.back();
    for (const PlannedStep& p : *plan) {
      if (p.apply && p.migration->version < newest.version) {
        return Status::InvalidInput("migration " + p.migration->label() +
                                    " is pending but the newer version " + newest.version.text() +
                                    " is already applied; refusing to apply out of order")
            .At(p.migration->origin, 0);
      }
    }
  }
  for (const PlannedStep& p : *plan)
    if (p.apply) REHEARSE_RETURN_IF_ERROR(CheckCode(*p.migration));
  return Status::OK();
}

Status Migrator::DataIdentity(bool required, std::string* identity) {
  Status s = ReadDatabaseIdentity(db_, identity);
  if (s.ok()) return s;
  if (s.code() == Status::Code::kNotFound && !required) {
    *identity = options_.identity;
    return Status::OK();
  }
  if (s.code() == Status::Code::kNotFound) {
    return Status::InvalidInput(
        "a data migration needs the database's identity to bind its rollback artifact, and this "
        "database has none: stamp it when creating the database, or set MigratorOptions::identity");
  }
  return s;
}

Status Migrator::FreshInstall(const MigrationVersion& version, MigrationReport* report) {
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(ReadLedger(&applied, report));
  if (!applied.empty()) {
    return Status::InvalidInput("not a fresh database: " + std::to_string(applied.size()) +
                                " versions are already applied, the newest " +
                                applied.back().version.text());
  }
  return UpFrom(MigrationRange::Through(version), applied, report);
}

}  // namespace rehearse
