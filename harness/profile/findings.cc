#include "harness/profile/findings.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

#include "harness/common/duration.h"

namespace rehearse {

namespace {

// How long (txn, table)'s write-blocking lock was held: from the start of
// the first statement of the transaction that held one, to its end.
struct Interval {
  LockMode mode = LockMode::kNone;
  double since = -1;
  double until = 0;
  const StatementProfile* taken_by = nullptr;  // the statement that took it
  double held() const { return since < 0 ? 0 : until - since; }
};

using IntervalKey = std::pair<int, std::string>;

double TransactionEnd(const StepProfile& step, int transaction) {
  auto it = step.transaction_end_s.find(transaction);
  if (it != step.transaction_end_s.end()) return it->second;
  double end = 0;  // never ended (a failure): its last statement's end
  for (const StatementProfile& p : step.statements)
    if (p.transaction == transaction) end = std::max(end, p.start_s + p.seconds);
  return end;
}

std::map<IntervalKey, Interval> BlockingIntervals(const StepProfile& step) {
  std::map<IntervalKey, Interval> out;
  for (const StatementProfile& p : step.statements) {
    for (const HeldLock& l : p.locks) {
      if (!BlocksWrites(l.mode)) continue;
      Interval& i = out[{p.transaction, l.table}];
      if (i.since < 0) {
        i.since = p.start_s;
        i.until = TransactionEnd(step, p.transaction);
        i.taken_by = &p;
      }
      i.mode = std::max(i.mode, l.mode);
    }
  }
  return out;
}

std::string Upper(const std::string& s) {
  std::string u;
  for (char c : s) u.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return u;
}

bool Has(const std::string& upper, const char* what) {
  return upper.find(what) != std::string::npos;
}

std::string SafeRewrite(const std::string& upper) {
  if (Has(upper, " TYPE "))
    return "change to a type that needs no rewrite (varchar(n) to text or a longer varchar, "
           "numeric to unconstrained numeric), or add a new column, backfill it in batches and "
           "switch over";
  if (Has(upper, "DEFAULT"))
    return "add the column without a volatile default (a constant default needs no rewrite), "
           "then backfill it in batches";
  return "avoid the rewrite: add a new column or table, backfill in batches, switch over "
         "(pg_repack for VACUUM FULL / CLUSTER)";
}

std::string SafeRebuild(const std::string& upper) {
  if (Has(upper, "ALTER TABLE") && Has(upper, " DROP "))
    return "SQLite rewrites every row to drop a column; stop reading and writing the column "
           "and leave it in place (it costs only its stored values), or drop it when writes can "
           "wait that long";
  return "SQLite rebuilds the whole table for this change; add a nullable column instead "
         "(ALTER TABLE … ADD COLUMN rebuilds nothing) and backfill it in batches";
}

std::string SafeScan(const std::string& upper) {
  if (Has(upper, "FOREIGN KEY") || Has(upper, "REFERENCES"))
    return "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later "
           "transaction (it takes SHARE UPDATE EXCLUSIVE, which lets writes through)";
  if (Has(upper, "NOT NULL"))
    return "ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a "
           "later transaction, then SET NOT NULL (PostgreSQL 12+ skips the scan)";
  if (Has(upper, "CHECK"))
    return "ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT in a later "
           "transaction";
  if (Has(upper, "UPDATE") || Has(upper, "DELETE"))
    return "run the backfill in a migration of its own, outside the transaction that changed "
           "the table's schema, in batches";
  return "split the change so that the scan runs under a lock that lets writes through";
}

std::string Rows(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

const HeldLock* LockOn(const StatementProfile& p, const std::string& table) {
  const HeldLock* best = nullptr;
  for (const HeldLock& l : p.locks)
    if ((l.table == table || l.table.empty()) && (!best || l.mode > best->mode)) best = &l;
  return best;
}

ProfileFinding Make(const char* kind, const StatementProfile& p, const std::string& table,
                    LockMode mode, double held, int64_t rows) {
  ProfileFinding f;
  f.kind = kind;
  f.table = table;
  f.mode = mode;
  f.held_s = held;
  f.rows = rows;
  f.origin = p.origin;
  f.line = p.line;
  f.statement = p.text;
  return f;
}

std::string Blocks(LockMode mode, const std::string& table) {
  if (mode == LockMode::kSqliteWrite) return "every write to the database blocks for that long";
  return std::string(BlocksReads(mode) ? "reads and writes" : "writes") + " to " + table +
         " block for that long";
}

}  // namespace

std::string StatementSummary(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 120) out = out.substr(0, 117) + "...";
  return out;
}

BlockingLock LongestBlockingLock(const StepProfile& step) {
  BlockingLock best;
  for (const auto& [key, i] : BlockingIntervals(step)) {
    if (i.held() > best.held_s) {
      best.table = key.second;
      best.mode = i.mode;
      best.held_s = i.held();
      best.origin = i.taken_by->origin;
      best.line = i.taken_by->line;
      best.statement = StatementSummary(i.taken_by->text);
    }
  }
  return best;
}

std::string DescribeBlockingLock(const BlockingLock& l) {
  if (l.held_s <= 0) return "no lock that blocks writes";
  return LockModeName(l.mode) + (l.table.empty() ? "" : " on " + l.table) + " for " +
         FormatSeconds(l.held_s) +
         (l.statement.empty() ? ""
                              : ", from `" + l.statement + "` (" +
                                    std::filesystem::path(l.origin).filename().string() + ":" +
                                    std::to_string(l.line) + ")");
}

std::vector<ProfileFinding> JudgeStep(const StepProfile& step, const ProfileThresholds& t) {
  std::vector<ProfileFinding> out;
  const auto intervals = BlockingIntervals(step);
  for (const StatementProfile& p : step.statements) {
    const std::string upper = Upper(p.text);
    const std::string quoted = "`" + StatementSummary(p.text) + "`";
    for (const TableWork& w : p.work) {
      if (w.rows < t.min_rows) continue;
      const HeldLock* lock = LockOn(p, w.table);
      if (lock == nullptr || !BlocksWrites(lock->mode)) continue;
      auto it = intervals.find({p.transaction, lock->table});
      const double held = it == intervals.end() ? p.seconds : it->second.held();
      if (held < t.max_lock_s) continue;
      const bool sqlite = lock->mode == LockMode::kSqliteWrite;
      const std::string holding = " holding " + LockModeName(lock->mode) + " for " +
                                  FormatSeconds(held) + "; " + Blocks(lock->mode, w.table) + ". ";
      const std::string sized = w.table + " (" + Rows(w.rows) + " rows)";
      if (w.rewritten) {
        ProfileFinding f =
            Make(sqlite ? "table_rebuild" : "table_rewrite", p, w.table, lock->mode, held, w.rows);
        f.message = quoted + (sqlite ? " rebuilt " : " rewrote ") + sized + holding +
                    "Safe form: " + (sqlite ? SafeRebuild(upper) : SafeRewrite(upper));
        out.push_back(std::move(f));
      } else if (!w.indexes_built.empty()) {
        ProfileFinding f = Make("index_build", p, w.table, lock->mode, held, w.rows);
        f.message = quoted + " built " + w.indexes_built.front() + " on " + sized + holding +
                    "Safe form: " +
                    (sqlite ? "none on SQLite (no concurrent index build): run it when writes "
                              "can wait that long"
                            : "CREATE INDEX CONCURRENTLY (for a constraint: then ADD "
                              "CONSTRAINT … USING INDEX) in a migration that runs outside a "
                              "transaction");
        out.push_back(std::move(f));
      } else if (w.scans > 0) {
        ProfileFinding f = Make("blocking_scan", p, w.table, lock->mode, held, w.rows);
        f.message = quoted + " scanned " + sized + holding + "Safe form: " + SafeScan(upper);
        out.push_back(std::move(f));
      }
    }
  }
  // Rows changed per transaction and table; the statement that changed most.
  struct Changed {
    int64_t rows = 0;
    int statements = 0;
    const StatementProfile* top = nullptr;
    int64_t top_rows = 0;
  };
  std::map<IntervalKey, Changed> changed;
  for (const StatementProfile& p : step.statements) {
    auto add = [&](const std::string& table, int64_t rows) {
      if (rows <= 0) return;
      Changed& c = changed[{p.transaction, table}];
      c.rows += rows;
      ++c.statements;
      if (rows > c.top_rows) c.top = &p, c.top_rows = rows;
    };
    add("", p.rows_changed);
    for (const TableWork& w : p.work) add(w.table, w.rows_changed);
  }
  for (const auto& [key, c] : changed) {
    if (c.rows <= t.max_rows_per_transaction) continue;
    const bool sqlite = key.second.empty();
    const double held = TransactionEnd(step, key.first) - c.top->start_s;
    ProfileFinding f =
        Make("unbatched_write", *c.top, key.second,
             sqlite ? LockMode::kSqliteWrite : LockMode::kRowExclusive, held, c.rows);
    // The statement's own rows, and the transaction's when others added to them.
    const std::string verb = sqlite ? "changed " : "updated or deleted ";
    const std::string of = sqlite ? " rows" : " rows of " + key.second;
    const std::string rows = c.statements == 1
                                 ? verb + Rows(c.rows) + of + " in one transaction"
                                 : verb + Rows(c.top_rows) + of + " in a transaction whose " +
                                       std::to_string(c.statements) + " statements " + verb +
                                       Rows(c.rows) + " in all";
    f.message = "`" + StatementSummary(c.top->text) + "` " + rows +
                (sqlite ? ", holding the database write lock for " + FormatSeconds(held) +
                              "; every write to the database blocks that long. "
                        : ", holding their row locks for " + FormatSeconds(held) +
                              "; writes to those rows block that long. ") +
                "Safe form: a batched backfill — a bounded number of rows per transaction (WHERE "
                "id > last LIMIT n, repeated) in a migration that runs outside a transaction";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace rehearse
