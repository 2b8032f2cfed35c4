// CheckRegistry: every check by identity — the name its CheckResults carry,
// its kind, the invariant it proves, and the known-bad case that proves it
// can fail. The README's invariant table and every "which checks exist" list
// are read from a registry, never kept by hand.
//
// GenericChecks() holds what any rehearsal reports; a domain adds its own
// (DomainVerifier::Checks()) to a registry of its own (Merge). Control flow
// that depends on one check uses its CheckId constant, never a literal name.
#ifndef REHEARSE_VERIFIERS_CHECK_REGISTRY_H_
#define REHEARSE_VERIFIERS_CHECK_REGISTRY_H_

#include <string>
#include <string_view>
#include <vector>

#include "verifiers/check_result.h"

namespace rehearse {

// A check's identity: the name reports carry. Constants below; compare
// results with Is().
struct CheckId {
  std::string_view name;
  bool Is(const CheckResult& c) const { return c.name == name; }
  bool operator==(const CheckId& other) const { return name == other.name; }
};

// The generic checks control flow depends on.
inline constexpr CheckId kForwardApplies{"forward_applies"};
inline constexpr CheckId kRollbackApplies{"rollback_applies"};
inline constexpr CheckId kDialectParity{"dialect_parity"};
inline constexpr CheckId kAppliesWithData{"applies_with_data"};
inline constexpr CheckId kFill{"fill"};
inline constexpr CheckId kAppliedUnchanged{"applied_unchanged"};

enum class CheckKind {
  kFlow,     // a step of one migration's rehearsal (rehearsal.h)
  kFinding,  // about the folder or the fill, beside the flow
  kGate,     // across the runs of one scenario (dialect_parity)
  kDomain,   // a domain invariant, judged by an observer
};

struct CheckInfo {
  std::string_view name;
  CheckKind kind;
  std::string_view asserts;  // the invariant, in one line
  // The negative scenarios (scenarios/negative_*.json, comma-separated) or
  // else the testdata case or test that trips it; "" for a check that only
  // informs (never fails).
  std::string_view known_bad;
};

class CheckRegistry {
 public:
  CheckRegistry() = default;
  explicit CheckRegistry(std::vector<CheckInfo> checks) : checks_(std::move(checks)) {}

  // This registry's checks, then `more`'s that it lacks.
  CheckRegistry Merge(const CheckRegistry& more) const;

  const CheckInfo* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  std::vector<std::string> Names() const;
  const std::vector<CheckInfo>& all() const { return checks_; }

 private:
  std::vector<CheckInfo> checks_;
};

// Every check a rehearsal and the gate report for any folder, in data-flow
// order.
const CheckRegistry& GenericChecks();

// The README's table "Invariants and the negative scenario that proves each
// can fail": one Markdown row per check of `registry` that a negative
// scenario proves, in registry order.
std::string RenderInvariantTable(const CheckRegistry& registry);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_CHECK_REGISTRY_H_
