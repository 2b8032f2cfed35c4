// ProfiledDatabase: the Database a profiled migration runs on. It forwards
// everything to the migration's own connection and, between StartStep and
// FinishStep, measures each statement of every script it runs (the
// migration's up or down SQL, as the Migrator hands it over): its time, the
// locks its transaction held (RelationProbe's exact read right after it, and
// LockSampler's while it ran), and the work it did (rewrites, index builds,
// scans, rows changed). The statements run exactly as the connection runs
// them unprofiled, one at a time, each failure naming file, line and
// statement as Database::ExecuteScript does.
//
// Transactions are followed through Begin/Commit/Rollback and through a
// script's own BEGIN/COMMIT/ROLLBACK/END statements; a statement outside any
// is a transaction of its own.
//
// Cost: two catalog reads on the migration's connection per statement, and
// the sampler's polling while a statement runs (bench/profile_bench
// measures it).
#ifndef REHEARSE_PROFILE_PROFILED_DATABASE_H_
#define REHEARSE_PROFILE_PROFILED_DATABASE_H_

#include <chrono>
#include <map>
#include <string>

#include "harness/db/database.h"
#include "harness/profile/lock_sampler.h"
#include "harness/profile/relation_probe.h"
#include "harness/profile/step_profile.h"

namespace rehearse {

class ProfiledDatabase final : public Database {
 public:
  // `inner` is the migration's connection; `sampler` (PostgreSQL; may be
  // null) watches its backend. Neither is owned.
  ProfiledDatabase(Database* inner, LockSampler* sampler) : inner_(inner), sampler_(sampler) {}

  // Statements run from now on are recorded into *step until FinishStep.
  Status StartStep(StepProfile* step);
  void FinishStep();

  Dialect dialect() const override { return inner_->dialect(); }
  Status ExecuteScript(const SqlScript& script) override;
  Status Execute(std::string_view sql, const Row& params = {}, ResultSet* out = nullptr) override {
    return inner_->Execute(sql, params, out);
  }
  Status Stream(std::string_view query, const RowSink& sink) override {
    return inner_->Stream(query, sink);
  }
  Status StreamTyped(std::string_view query, const RowSink& sink) override {
    return inner_->StreamTyped(query, sink);
  }
  Status Prepare(const std::string& name, std::string_view sql) override {
    return inner_->Prepare(name, sql);
  }
  Status ExecutePrepared(const std::string& name, const Row& params, ResultSet* out) override {
    return inner_->ExecutePrepared(name, params, out);
  }
  Status BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                  RowSource* rows, int64_t* loaded) override {
    return inner_->BulkLoad(table, columns, rows, loaded);
  }
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  bool in_transaction() const override { return inner_->in_transaction(); }
  bool session_in_transaction() const override { return inner_->session_in_transaction(); }
  Status SetDeadline(Deadline deadline) override { return inner_->SetDeadline(deadline); }

 private:
  double Now() const;
  void EndTransaction();
  Status RunStatement(const SqlScript& script, const SqlStatementView& st);

  Database* inner_;
  LockSampler* sampler_;
  StepProfile* step_ = nullptr;
  std::chrono::steady_clock::time_point step_start_;
  RelationState first_, last_;
  bool last_valid_ = false;
  std::map<std::string, int64_t> storage_seen_;
  std::map<std::string, int64_t> table_rows_;  // SQLite: counted when the step began
  int next_transaction_ = 0;
  int open_transaction_ = -1;          // -1: none open
  bool wrote_in_transaction_ = false;  // SQLite: the write lock is held
};

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_PROFILED_DATABASE_H_
