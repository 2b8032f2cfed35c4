#include "harness/migrate/artifact_store.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "harness/common/replacement_file.h"
#include "harness/state/digest.h"

namespace rehearse {

namespace {

// Bounded so that a folder full of them is an error, not a hang.
constexpr int kMaxPerName = 1000;

// Characters of `raw` fit for a file name, or its digest when it has others.
std::string FileNamePart(const std::string& raw) {
  bool safe = !raw.empty() && std::all_of(raw.begin(), raw.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (safe) return raw;
  DigestBuilder hash;
  hash.Update(raw);
  return hash.Finish().ToHex();
}

}  // namespace

ArtifactStore::ArtifactStore(std::string dir, std::map<MigrationVersion, std::string> files,
                             Dialect dialect, std::string scope)
    : dir_(std::move(dir)), files_(std::move(files)), dialect_(dialect), scope_(std::move(scope)) {}

bool ArtifactStore::Has(const Migration& m) const {
  return files_.count(m.version) || !dir_.empty();
}

std::string ArtifactStore::DefaultPath(const Migration& m, const std::string& identity,
                                       int n) const {
  std::string name =
      m.label() + "." + DialectName(dialect_) + "." + FileNamePart(identity).substr(0, 15);
  if (!scope_.empty()) name += ".scope-" + FileNamePart(scope_);
  if (n > 1) name += "." + std::to_string(n);
  return dir_ + "/" + name + ".rollback.json";
}

Status ArtifactStore::CheckFree(const Migration& m) const {
  auto file = files_.find(m.version);
  std::error_code ec;
  if (file == files_.end() ||
      !std::filesystem::exists(std::filesystem::symlink_status(file->second, ec)))
    return Status::OK();
  return Status::InvalidInput("the rollback artifact of " + m.label() +
                              " would go here, but the file already exists; an artifact is never "
                              "overwritten (it may be the only way back): move it or name another")
      .At(file->second, 0);
}

Status ArtifactStore::Write(const Migration& m, const RollbackArtifact& artifact,
                            std::string* path) const {
  path->clear();
  if (!Has(m)) return Status::OK();
  std::string text;
  REHEARSE_RETURN_IF_ERROR(artifact.Serialize(&text));
  auto file = files_.find(m.version);
  if (file != files_.end()) {
    *path = file->second;
    return WriteNewFileAtomically(*path, text);
  }
  for (int n = 1; n <= kMaxPerName; ++n) {
    *path = DefaultPath(m, artifact.database_identity, n);
    Status s = WriteNewFileAtomically(*path, text);
    if (s.code() != Status::Code::kInvalidInput) return s;  // written, or a real failure
  }
  return Status::InvalidInput(std::to_string(kMaxPerName) + " rollback artifacts of " + m.label() +
                              " already exist in " + dir_ + "; move some away");
}

Status ArtifactStore::Read(const Migration& m, const std::string& identity,
                           RollbackArtifact* out) const {
  auto file = files_.find(m.version);
  if (file != files_.end()) return RollbackArtifact::ReadFile(file->second, out);
  int newest = 1;  // the one the latest Up wrote
  std::error_code ec;
  while (newest < kMaxPerName && std::filesystem::exists(DefaultPath(m, identity, newest + 1), ec))
    ++newest;
  return RollbackArtifact::ReadFile(DefaultPath(m, identity, newest), out);
}

}  // namespace rehearse
