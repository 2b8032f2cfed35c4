// RollbackArtifact: what a data migration's up saved so that its down can put
// every value back — and proof of where it came from.
//
// On disk it is one JSON document (nlohmann/json), written atomically and
// never over an existing file (replacement_file.h): an artifact may be the
// only way back, so WriteFile() returns kInvalidInput when `path` exists.
//
//   {
//     "format": "rehearse.rollback_artifact/1",
//     "migration": {"version": "0003", "name": "default_sequences"},
//     "database": {"identity": "db-…", "dialect": "sqlite"},
//     "scope": "",                         // "" = whole database, else e.g. a client id
//     "created_at": "2026-03-08 12:00:00+00",   // the harness clock
//     "payload": { … },                    // the migration's own data
//     "checksum": "xxh3-128:…"             // over everything above
//   }
//
// The checksum covers the whole document except itself, serialised with
// sorted keys and no whitespace, so editing the payload, the identity or the
// scope by hand is detected. XXH3 is not a MAC: it catches truncation,
// corruption and hand edits, not an adversary who recomputes it — nothing
// without a secret key could, and Rehearse keeps none.
//
// Contract:
// - Parse()/ReadFile() return kCorruption for a document that is truncated,
//   not JSON, of another format, missing a field, or whose checksum does not
//   match; kInvalidInput (ReadFile) for a file that cannot be read, is not a
//   regular file (a directory, FIFO or device) or is larger than
//   kMaxArtifactBytes (input_file.h). *out is unchanged on failure.
// - CheckBinding() returns kInvalidInput naming both values when the
//   artifact belongs to another database, dialect, migration version or
//   scope. The Migrator calls it against the live database before it changes
//   anything, so a refused artifact changes nothing.
// - payload must hold valid UTF-8 strings (JSON's rule): encode bytes as hex
//   or base64. Serialize() returns kInvalidInput otherwise.
#ifndef REHEARSE_MIGRATE_ROLLBACK_ARTIFACT_H_
#define REHEARSE_MIGRATE_ROLLBACK_ARTIFACT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

// What an artifact must match to be used: filled from the live database and
// the caller's options.
struct RollbackArtifactBinding {
  std::string version;  // compared as numbers ("0003" == "3")
  std::string database_identity;
  std::string dialect;
  std::string scope;
};

class RollbackArtifact {
 public:
  static constexpr const char* kFormat = "rehearse.rollback_artifact/1";
  // The largest artifact ReadFile reads: 1 GiB. Larger than other inputs
  // (kMaxInputFileBytes) because it holds the migrated rows of a production
  // table; the bound keeps a hostile file from taking the machine's memory.
  static constexpr uint64_t kMaxArtifactBytes = 1ull << 30;

  // Envelope: filled by the Migrator before the migration's Up runs.
  std::string version;
  std::string migration_name;
  std::string database_identity;
  std::string dialect;
  std::string scope;
  std::string created_at;
  // The migration's own data: every previous value its Down needs.
  nlohmann::json payload = nlohmann::json::object();

  // The document with its checksum, pretty-printed, ending in a newline.
  Status Serialize(std::string* out) const;
  // `origin` names the source (a path) in messages.
  static Status Parse(std::string_view text, const std::string& origin, RollbackArtifact* out);

  Status WriteFile(const std::string& path) const;
  static Status ReadFile(const std::string& path, RollbackArtifact* out);

  Status CheckBinding(const RollbackArtifactBinding& expected) const;

  RollbackArtifactBinding binding() const { return {version, database_identity, dialect, scope}; }
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_ROLLBACK_ARTIFACT_H_
