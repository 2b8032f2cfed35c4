#include "harness/migrate/rollback_artifact.h"

#include "harness/common/input_file.h"
#include "harness/common/replacement_file.h"
#include "harness/migrate/migration_version.h"
#include "harness/state/digest.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr const char* kChecksumPrefix = "xxh3-128:";

// The envelope without its payload. The payload can hold a million rows:
// it is dumped where it stands and spliced in (Splice), never deep-copied
// into one document.
json Head(const RollbackArtifact& a) {
  return json{{"format", RollbackArtifact::kFormat},
              {"migration", {{"version", a.version}, {"name", a.migration_name}}},
              {"database", {{"identity", a.database_identity}, {"dialect", a.dialect}}},
              {"scope", a.scope},
              {"created_at", a.created_at}};
}

Status Dump(const json& doc, int indent, std::string* out) {
  try {
    *out = doc.dump(indent);
  } catch (const json::exception& e) {
    return Status::InvalidInput(std::string("rollback artifact cannot be serialised: ") + e.what());
  }
  return Status::OK();
}

// `head` (Head, dumped) with the member "payload": `payload` (dumped with the
// same indent) where nlohmann would have put it, byte for byte: the keys
// sort, and only "scope" sorts after "payload". No dumped string holds the
// bytes "scope": (a quote inside one is escaped), so the last match is that
// key. A dump has raw newlines only between members (strings escape them),
// so indenting the payload one level is two spaces after each newline.
std::string Splice(const std::string& head, const std::string& payload, bool pretty) {
  const size_t at = head.rfind("\"scope\":");
  std::string out;
  out.reserve(head.size() + payload.size() + payload.size() / 8 + 16);
  out.append(head, 0, at);
  out += pretty ? "\"payload\": " : "\"payload\":";
  size_t from = 0;
  for (size_t nl; pretty && (nl = payload.find('\n', from)) != std::string::npos; from = nl + 1) {
    out.append(payload, from, nl + 1 - from);
    out += "  ";
  }
  out.append(payload, from);
  out += pretty ? ",\n  " : ",";
  out.append(head, at);
  return out;
}

std::string ChecksumOf(const std::string& canonical) {
  DigestBuilder hash;
  hash.Update(canonical);
  return kChecksumPrefix + hash.Finish().ToHex();
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
  // The checksum covers the compact dump with sorted keys (nlohmann's object
  // is a std::map), so the same document always hashes the same, before
  // writing and after parsing.
  json head = Head(*this);
  std::string head_text, payload_text;
  REHEARSE_RETURN_IF_ERROR(Dump(head, -1, &head_text));
  REHEARSE_RETURN_IF_ERROR(Dump(payload, -1, &payload_text));
  head["checksum"] = ChecksumOf(Splice(head_text, payload_text, false));
  REHEARSE_RETURN_IF_ERROR(Dump(head, 2, &head_text));
  REHEARSE_RETURN_IF_ERROR(Dump(payload, 2, &payload_text));
  *out = Splice(head_text, payload_text, true) + "\n";
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
  } catch (const json::exception& e) {
    // Not only parse errors: a number out of range (1e999) throws
    // out_of_range (found by fuzz/rollback_artifact_fuzz.cc).
    return Status::Corruption(std::string("rollback artifact is not valid JSON: ") + e.what())
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
  doc.erase("checksum");
  std::string canonical;
  REHEARSE_RETURN_IF_ERROR(Dump(doc, -1, &canonical));
  const std::string actual = ChecksumOf(canonical);
  // What the fields above rebuild, and nothing more: an unknown member would
  // not be covered by the checksum recomputed from the parsed fields.
  const bool only_envelope =
      doc.size() == 6 && doc["migration"].size() == 2 && doc["database"].size() == 2;
  if (actual == recorded && !only_envelope) {
    return corrupt("holds fields outside its format");
  }
  if (actual != recorded) {
    return corrupt("failed its checksum (recorded " + recorded + ", contents hash to " + actual +
                   "): it was edited or damaged");
  }
  a.payload = std::move(doc["payload"]);
  *out = std::move(a);
  return Status::OK();
}

Status RollbackArtifact::WriteFile(const std::string& path) const {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(Serialize(&text));
  return WriteNewFileAtomically(path, text);
}

Status RollbackArtifact::ReadFile(const std::string& path, RollbackArtifact* out) {
  // Straight into one string: an artifact can be hundreds of megabytes.
  std::string text;
  REHEARSE_RETURN_IF_ERROR(
      ReadInputFile(path, &text, kMaxArtifactBytes).Prepend("cannot read rollback artifact"));
  return Parse(text, path, out);
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
