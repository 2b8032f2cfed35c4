#include "harness/migrate/rollback_artifact.h"

#include <fstream>
#include <sstream>

#include "harness/migrate/atomic_file.h"
#include "harness/migrate/migration_version.h"
#include "harness/state/digest.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr const char* kChecksumPrefix = "xxh3-128:";

// The document without its checksum.
json Envelope(const RollbackArtifact& a) {
  return json{{"format", RollbackArtifact::kFormat},
              {"migration", {{"version", a.version}, {"name", a.migration_name}}},
              {"database", {{"identity", a.database_identity}, {"dialect", a.dialect}}},
              {"scope", a.scope},
              {"created_at", a.created_at},
              {"payload", a.payload}};
}

// Compact dump with sorted keys (nlohmann's object is a std::map), so the
// same document always hashes the same, before writing and after parsing.
Status ChecksumOf(const json& envelope, std::string* out) {
  std::string canonical;
  try {
    canonical = envelope.dump();
  } catch (const json::exception& e) {
    return Status::InvalidInput(std::string("rollback artifact cannot be serialised: ") + e.what());
  }
  DigestBuilder hash;
  hash.Update(canonical);
  *out = kChecksumPrefix + hash.Finish().ToHex();
  return Status::OK();
}

// Reads a string member at `path` ("migration.version"), or reports which is
// missing.
bool GetString(const json& doc, const char* a, const char* b, std::string* out) {
  const json* node = &doc;
  for (const char* key : {a, b}) {
    if (!key) break;
    if (!node->is_object()) return false;
    auto it = node->find(key);
    if (it == node->end()) return false;
    node = &*it;
  }
  if (!node->is_string()) return false;
  *out = node->get<std::string>();
  return true;
}

Status Mismatch(const char* what, const std::string& artifact, const std::string& expected) {
  return Status::InvalidInput("rollback artifact is for " + std::string(what) + " '" + artifact +
                              "', not '" + expected + "'; refusing to use it");
}

}  // namespace

Status RollbackArtifact::Serialize(std::string* out) const {
  json doc = Envelope(*this);
  std::string checksum;
  REHEARSE_RETURN_IF_ERROR(ChecksumOf(doc, &checksum));
  doc["checksum"] = checksum;
  try {
    *out = doc.dump(2) + "\n";
  } catch (const json::exception& e) {
    return Status::InvalidInput(std::string("rollback artifact cannot be serialised: ") + e.what());
  }
  return Status::OK();
}

Status RollbackArtifact::Parse(std::string_view text, const std::string& origin,
                               RollbackArtifact* out) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::Corruption("rollback artifact is truncated or not JSON (byte " +
                              std::to_string(e.byte) + "): " + e.what())
        .At(origin, 0);
  }
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("rollback artifact " + why).At(origin, 0);
  };
  if (!doc.is_object()) return corrupt("is not a JSON object");
  std::string format, recorded;
  if (!GetString(doc, "format", nullptr, &format) || format != kFormat) {
    return corrupt(std::string("is not in format ") + kFormat);
  }
  if (!GetString(doc, "checksum", nullptr, &recorded)) return corrupt("has no checksum");
  RollbackArtifact a;
  if (!GetString(doc, "migration", "version", &a.version) ||
      !GetString(doc, "migration", "name", &a.migration_name) ||
      !GetString(doc, "database", "identity", &a.database_identity) ||
      !GetString(doc, "database", "dialect", &a.dialect) ||
      !GetString(doc, "scope", nullptr, &a.scope) ||
      !GetString(doc, "created_at", nullptr, &a.created_at) || !doc.contains("payload")) {
    return corrupt("is missing a field of its envelope");
  }
  a.payload = doc["payload"];
  doc.erase("checksum");
  std::string actual;
  REHEARSE_RETURN_IF_ERROR(ChecksumOf(doc, &actual));
  // Rebuilding the envelope from the parsed fields also refuses unknown
  // top-level keys: they would not be covered by the recomputed checksum.
  std::string rebuilt;
  REHEARSE_RETURN_IF_ERROR(ChecksumOf(Envelope(a), &rebuilt));
  if (actual == recorded && rebuilt != recorded) {
    return corrupt("holds fields outside its format");
  }
  if (actual != recorded) {
    return corrupt("failed its checksum (recorded " + recorded + ", contents hash to " + actual +
                   "): it was edited or damaged");
  }
  *out = std::move(a);
  return Status::OK();
}

Status RollbackArtifact::WriteFile(const std::string& path) const {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(Serialize(&text));
  return WriteNewFileAtomically(path, text);
}

Status RollbackArtifact::ReadFile(const std::string& path, RollbackArtifact* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput("cannot read rollback artifact").At(path, 0);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::InvalidInput("cannot read rollback artifact").At(path, 0);
  return Parse(text.str(), path, out);
}

Status RollbackArtifact::CheckBinding(const RollbackArtifactBinding& expected) const {
  MigrationVersion mine, theirs;
  if (!MigrationVersion::Parse(version, &mine).ok() ||
      !MigrationVersion::Parse(expected.version, &theirs).ok() || !(mine == theirs)) {
    return Mismatch("migration version", version, expected.version);
  }
  if (database_identity != expected.database_identity) {
    return Mismatch("database", database_identity, expected.database_identity);
  }
  if (dialect != expected.dialect) return Mismatch("dialect", dialect, expected.dialect);
  if (scope != expected.scope) {
    auto show = [](const std::string& s) { return s.empty() ? "(whole database)" : s; };
    return Mismatch("scope", show(scope), show(expected.scope));
  }
  return Status::OK();
}

}  // namespace rehearse
