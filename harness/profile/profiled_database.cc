#include "harness/profile/profiled_database.h"

#include <cctype>

namespace rehearse {

namespace {

// The statement's first word, upper-cased ("UPDATE"), and its second.
void LeadingWords(std::string_view text, std::string* first, std::string* second) {
  std::string* word = first;
  for (size_t i = 0; i < text.size() && word != nullptr;) {
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
      if (!word->empty()) word = word == first ? second : nullptr;
      ++i;
      continue;
    }
    for (; i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])); ++i)
      word->push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
  }
}

bool ChangesRows(std::string_view text, const std::string& first) {
  if (first == "UPDATE" || first == "DELETE") return true;
  if (first != "WITH") return false;
  std::string upper;
  for (char c : text)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return upper.find("UPDATE") != std::string::npos || upper.find("DELETE") != std::string::npos;
}

}  // namespace

double ProfiledDatabase::Now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start_).count();
}

Status ProfiledDatabase::StartStep(StepProfile* step) {
  step_start_ = std::chrono::steady_clock::now();
  next_transaction_ = 0;
  open_transaction_ = -1;
  wrote_in_transaction_ = false;
  storage_seen_.clear();
  table_rows_.clear();
  REHEARSE_RETURN_IF_ERROR(ReadRelationState(inner_, &first_));
  for (const auto& [key, rel] : first_.relations) {
    storage_seen_[key] = rel.storage;
    if (dialect() != Dialect::kSqlite || rel.index) continue;
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(
        inner_->Execute("SELECT count(*) FROM " + QuoteIdentifier(rel.name), {}, &rs));
    table_rows_[rel.name] = rs.rows[0][0].integer;
  }
  last_ = first_;
  last_valid_ = true;
  step_ = step;
  step_start_ = std::chrono::steady_clock::now();
  return Status::OK();
}

void ProfiledDatabase::FinishStep() {
  if (step_ == nullptr) return;
  EndTransaction();
  step_ = nullptr;
}

void ProfiledDatabase::EndTransaction() {
  if (step_ != nullptr && open_transaction_ >= 0)
    step_->transaction_end_s[open_transaction_] = Now();
  open_transaction_ = -1;
  wrote_in_transaction_ = false;
}

Status ProfiledDatabase::Begin() {
  Status s = inner_->Begin();
  if (s.ok() && step_ != nullptr) open_transaction_ = next_transaction_++;
  return s;
}

Status ProfiledDatabase::Commit() {
  Status s = inner_->Commit();
  EndTransaction();
  return s;
}

Status ProfiledDatabase::Rollback() {
  Status s = inner_->Rollback();
  EndTransaction();
  return s;
}

Status ProfiledDatabase::ExecuteScript(const SqlScript& script) {
  if (step_ == nullptr) return inner_->ExecuteScript(script);
  return script.ForEach([&](const SqlStatementView& st) { return RunStatement(script, st); });
}

Status ProfiledDatabase::RunStatement(const SqlScript& script, const SqlStatementView& st) {
  StatementProfile p;
  p.origin = script.origin();
  p.line = st.line;
  p.text = std::string(st.text);
  std::string first, second;
  LeadingWords(p.text, &first, &second);
  const bool opens = first == "BEGIN" || (first == "START" && second == "TRANSACTION");
  const bool closes = first == "COMMIT" || first == "END" || first == "ABORT" ||
                      (first == "ROLLBACK" && second != "TO");
  if (open_transaction_ < 0) {
    p.transaction = next_transaction_++;
    if (opens) open_transaction_ = p.transaction;
  } else {
    p.transaction = open_transaction_;
  }
  const bool autocommit = open_transaction_ < 0;

  if (!last_valid_) last_valid_ = ReadRelationState(inner_, &last_).ok();
  if (sampler_ != nullptr) sampler_->Begin();
  p.start_s = Now();
  Status s = inner_->ExecuteScript(SqlScript::FromStatements({{p.text, st.line}}, script.origin()));
  p.seconds = Now() - p.start_s;
  std::map<std::string, LockMode> held;
  if (sampler_ != nullptr) held = sampler_->End();

  RelationState after;
  const bool after_valid = s.ok() && ReadRelationState(inner_, &after).ok();
  if (after_valid && last_valid_) {
    p.work = DiffRelationStates(first_, last_, after, &storage_seen_, table_rows_);
    if (dialect() == Dialect::kSqlite) {
      const int64_t changes = after.total_changes - last_.total_changes;
      const bool wrote = changes > 0 || after.schema_version != last_.schema_version;
      if (ChangesRows(p.text, first)) p.rows_changed = changes;
      if (wrote && !autocommit) wrote_in_transaction_ = true;
      if (wrote || wrote_in_transaction_) p.locks.push_back({"", LockMode::kSqliteWrite});
    }
  }
  if (dialect() == Dialect::kPostgres) {
    for (const auto& [key, mode] : after.locks) held[key] = std::max(held[key], mode);
    for (const auto& [key, mode] : held) {
      // Locks on what this step created, or on indexes, hold nobody up.
      auto existed = first_.relations.find(key);
      if (existed == first_.relations.end() || existed->second.index) continue;
      p.locks.push_back({RelationName(last_, after, key), mode});
    }
  }
  last_ = std::move(after);
  last_valid_ = after_valid;
  step_->statements.push_back(std::move(p));
  if (closes || autocommit) {
    step_->transaction_end_s[step_->statements.back().transaction] = Now();
    if (closes) {
      open_transaction_ = -1;
      wrote_in_transaction_ = false;
    }
  }
  return s;
}

}  // namespace rehearse
