// SequenceOverwrite: how one default sequence of one workspace becomes its
// canonical form, and what that means for the instances running on it —
// pure logic, no database, so every rule of seed 000 is testable alone.
//
// Matching. Each existing step is matched to the canonical step with the same
// key (day_offset, minute_offset, channel) — a sequence already in canonical
// form matches itself, which makes a rerun change nothing — and failing that
// to the canonical step that lists its key under "replaces". Exact matches
// are made first; within a pass the lowest step_order wins. A matched step
// is rewritten in place (same id); an existing step nothing matches is
// deleted (a workspace's own extra step); a canonical step nothing matched is
// inserted (the new early steps, and steps a workspace had deleted).
//
// Remapping current_step (the step_order of the last step sent, 0 = none).
// The instance has sent every existing step with step_order <= current_step.
// Its new current_step is the highest new position among those sent steps —
// for a deleted sent step, the number of canonical steps whose key sorts at
// or before its key. So:
// - nothing already sent is sent again (every sent step sits at or below it);
// - a new step placed before a step the instance already sent is never sent
//   to it (no retro-insertion: it sits below the new current_step);
// - when the new order puts an unsent step before a sent one (Meeting
//   Requested's day-1 SMS moves ahead of its LinkedIn step), that step is
//   skipped rather than the sent one repeated; SkippedBy() counts these.
// An instance that sent nothing stays at 0 and starts with the new first step.
#ifndef REHEARSE_MIGRATIONS_CODE_SEQUENCE_OVERWRITE_H_
#define REHEARSE_MIGRATIONS_CODE_SEQUENCE_OVERWRITE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/db/value.h"
#include "migrations/code/canonical_sequences.h"

namespace rehearse {

// A row of follow_up_steps as stored; text columns keep their exact Value.
struct ExistingStep {
  int64_t id = 0;
  int step_order = 0;
  StepKey key;
  Value condition;
  Value subject;
  Value message_template;
  bool requires_approval = false;
  Value created_at;
  Value updated_at;
};

class SequenceOverwrite {
 public:
  // `existing` in any order; `canonical` must outlive the result.
  SequenceOverwrite(const CanonicalSequence& canonical, std::vector<ExistingStep> existing);

  const CanonicalSequence& canonical() const { return *canonical_; }
  // Sorted by step_order.
  const std::vector<ExistingStep>& existing() const { return existing_; }

  // Per existing step (same index): the canonical step_order it becomes, or
  // 0 when it is deleted.
  int MatchOf(size_t existing_index) const { return match_[existing_index]; }
  // Whether the matched existing step at `existing_index` differs from its
  // canonical step in any column the overwrite writes.
  bool NeedsRewrite(size_t existing_index) const;
  // Canonical step_orders no existing step matched: rows to insert.
  const std::vector<int>& inserted() const { return inserted_; }

  // The new step_order of the existing step whose step_order is `old_order`,
  // or 0 when there is none or it is deleted. For pending tasks.
  int NewOrderOf(int old_order) const;

  // See the header comment.
  int RemapCurrentStep(int current_step) const;
  int SkippedBy(int current_step) const;

  // Whether the sequence is already exactly canonical (nothing to write).
  bool unchanged() const;

 private:
  const CanonicalSequence* canonical_;
  std::vector<ExistingStep> existing_;
  std::vector<int> match_;
  std::vector<int> inserted_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_SEQUENCE_OVERWRITE_H_
