// EngineHint: a migration written for a newer engine than the one it is
// rehearsed on fails with a syntax error or an unknown function (lemmy needs
// PostgreSQL 16 syntax from 2025-08 on; harness/harness calls unhex(), SQLite
// 3.41). Such a failure is a finding about the run, not only about the
// migration, so its detail says which engine ran it.
#ifndef REHEARSE_VERIFIERS_ENGINE_HINT_H_
#define REHEARSE_VERIFIERS_ENGINE_HINT_H_

#include <string>

#include "harness/common/status.h"
#include "verifiers/check_result.h"

namespace rehearse {

// True for SQLSTATE 42601 (syntax error), 42883 (undefined function) and
// SQLite's "syntax error" and "no such function".
bool MayNeedNewerEngine(const Status& step);

// Appends to a failed `check` caused by `step` the hint that the migration
// may need a newer engine than `engine` (EngineVersion's text), when
// MayNeedNewerEngine(step).
void AddEngineHint(const Status& step, const std::string& engine, CheckResult* check);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_ENGINE_HINT_H_
