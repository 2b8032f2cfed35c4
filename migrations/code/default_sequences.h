// Default sequences: which follow_up_sequences rows one run of migration 0003
// covers (the scope), and each one's overwrite plan read from the database.
//
// A sequence is covered when its name is byte-for-byte one of the canonical
// table's names and, for a scoped (canary) run, its workspace is the scope's.
// The scope text is a workspace id in decimal — the seed's `--clientId`;
// "" covers every workspace.
//
// Contract: ParseOverwriteScope returns kInvalidInput for a scope that is not
// a decimal id, and for an id no workspace has (a canary on a mistyped id
// must fail, not succeed by changing nothing). ReadDefaultSequences reads the
// covered sequences in id order with their steps; it changes nothing.
#ifndef REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCES_H_
#define REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/canonical_sequences.h"
#include "migrations/code/sequence_overwrite.h"

namespace rehearse {

struct OverwriteScope {
  std::vector<std::string> names;       // the canonical sequences' names
  std::optional<int64_t> workspace_id;  // a canary's workspace

  // A SQL condition over follow_up_sequences aliased `alias` selecting the
  // covered sequences; constants only, so it can go into a streamed query.
  std::string SequenceCondition(const std::string& alias) const;
};

Status ParseOverwriteScope(Database* db, const std::string& scope,
                           const std::vector<CanonicalSequence>& canonical, OverwriteScope* out);

struct DefaultSequence {
  int64_t id = 0;
  int64_t workspace_id = 0;
  std::string name;
  SequenceOverwrite overwrite;
};

Status ReadDefaultSequences(Database* db, const OverwriteScope& scope,
                            const std::vector<CanonicalSequence>& canonical,
                            std::vector<DefaultSequence>* out);

// The plans by sequence id; pointers into `sequences`.
std::map<int64_t, const SequenceOverwrite*> PlansById(
    const std::vector<DefaultSequence>& sequences);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCES_H_
