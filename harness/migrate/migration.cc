#include "harness/migrate/migration.h"

#include <cctype>

#include "harness/state/digest.h"

namespace rehearse {

namespace {

// The first `n` words of a statement, upper-cased.
std::vector<std::string> LeadingWords(std::string_view text, size_t n) {
  std::vector<std::string> words;
  size_t i = 0;
  while (words.size() < n && i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string w;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
      w += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    if (w.empty()) break;
    words.push_back(std::move(w));
  }
  return words;
}

bool IsTransactionControl(std::string_view statement) {
  std::vector<std::string> w = LeadingWords(statement, 2);
  if (w.empty()) return false;
  const std::string& first = w[0];
  if (first == "BEGIN" || first == "COMMIT" || first == "END" || first == "ABORT") return true;
  if (first == "START") return w.size() > 1 && w[1] == "TRANSACTION";
  if (first == "ROLLBACK") return !(w.size() > 1 && w[1] == "TO");
  return false;
}

Status CheckScript(const MigrationScriptFile& file) {
  if (!file.present()) return Status::OK();
  // One statement at a time, as views into the file: no copy of its text.
  SqlSplitter splitter(file.text());
  SqlStatementView st;
  while (splitter.Next(&st)) {
    if (IsTransactionControl(st.text)) {
      return Status::InvalidInput(
                 "transaction control in a migration that runs in one transaction; remove it, "
                 "or set \"transaction\": false in migration.json")
          .At(file.path, st.line)
          .WithStatement(std::string(st.text));
    }
  }
  return Status::OK();
}

}  // namespace

bool HoldsTransactionControl(const MigrationScriptFile& file) {
  if (!file.present()) return false;
  bool found = false;
  (void)file.Parse().ForEach([&](const SqlStatementView& st) {
    found = IsTransactionControl(st.text);
    return found ? Status::InvalidInput("found") : Status::OK();  // stops at the first
  });
  return found;
}

bool UnwrapOwnTransaction(MigrationScriptFile* file) {
  if (!file->present()) return false;
  SqlScript script = file->Parse();
  const std::vector<SqlStatement>& all = script.statements();
  if (all.size() < 2) return false;
  std::vector<std::string> first = LeadingWords(all.front().text, 2);
  std::vector<std::string> last = LeadingWords(all.back().text, 1);
  const bool opens =
      !first.empty() && (first[0] == "BEGIN" ||
                         (first[0] == "START" && first.size() > 1 && first[1] == "TRANSACTION"));
  const bool closes = !last.empty() && (last[0] == "COMMIT" || last[0] == "END");
  if (!opens || !closes) return false;
  for (size_t i = 1; i + 1 < all.size(); ++i)
    if (IsTransactionControl(all[i].text)) return false;
  file->statements = std::vector<SqlStatement>(all.begin() + 1, all.end() - 1);
  return true;
}

Status CheckTransactionControl(const Migration& migration) {
  if (!migration.transactional) return Status::OK();
  for (const DialectMigration* d : {&migration.postgres, &migration.sqlite}) {
    REHEARSE_RETURN_IF_ERROR(CheckScript(d->up));
    REHEARSE_RETURN_IF_ERROR(CheckScript(d->down));
  }
  return Status::OK();
}

std::string ComputeMigrationChecksum(const DialectMigration& scripts,
                                     const std::vector<std::pair<std::string, std::string>>& data) {
  // Every part is length-prefixed and labelled, so moving text from up to
  // down, or renaming a data file, changes the checksum.
  DigestBuilder hash;
  if (scripts.up.present()) {
    hash.UpdateField("up");
    hash.UpdateField(scripts.up.text());
  }
  if (scripts.down.present()) {
    hash.UpdateField("down");
    hash.UpdateField(scripts.down.text());
  }
  if (scripts.verify.present()) {
    hash.UpdateField("verify");
    hash.UpdateField(scripts.verify.text());
  }
  for (const auto& [name, bytes] : data) {
    hash.UpdateField("data");
    hash.UpdateField(name);
    hash.UpdateField(bytes);
  }
  return hash.Finish().ToHex();
}

std::optional<MigrationScriptRole> MigrationScriptRoleOf(const std::string& file) {
  if (file == "up.sql") return MigrationScriptRole{true, std::nullopt};
  if (file == "down.sql") return MigrationScriptRole{false, std::nullopt};
  if (file == "up.postgres.sql") return MigrationScriptRole{true, Dialect::kPostgres};
  if (file == "down.postgres.sql") return MigrationScriptRole{false, Dialect::kPostgres};
  if (file == "up.sqlite.sql") return MigrationScriptRole{true, Dialect::kSqlite};
  if (file == "down.sqlite.sql") return MigrationScriptRole{false, Dialect::kSqlite};
  return std::nullopt;
}

std::string WithCodeDigest(const std::string& checksum, const std::string& code_digest) {
  DigestBuilder hash;
  hash.UpdateField("files");
  hash.UpdateField(checksum);
  hash.UpdateField("code");
  hash.UpdateField(code_digest);
  return hash.Finish().ToHex();
}

bool AnyPrivileged(const std::vector<Migration>& migrations) {
  for (const Migration& m : migrations)
    if (m.privileged) return true;
  return false;
}

}  // namespace rehearse
