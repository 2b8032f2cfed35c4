#include "migrations/code/sequence_overwrite.h"

#include <algorithm>

namespace rehearse {

namespace {

// Whether a stored text column holds exactly `wanted` (NULL for none). A
// value of another storage class never equals text, so it gets rewritten.
bool SameText(const Value& stored, const std::optional<std::string>& wanted) {
  if (!wanted) return stored.is_null();
  return stored.type == Value::Type::kText && stored.bytes == *wanted;
}

}  // namespace

SequenceOverwrite::SequenceOverwrite(const CanonicalSequence& canonical,
                                     std::vector<ExistingStep> existing)
    : canonical_(&canonical), existing_(std::move(existing)) {
  std::stable_sort(
      existing_.begin(), existing_.end(),
      [](const ExistingStep& a, const ExistingStep& b) { return a.step_order < b.step_order; });
  match_.assign(existing_.size(), 0);
  std::vector<bool> claimed(canonical.steps.size() + 1, false);
  // Pass 1: the same timing and channel (already canonical, or unchanged).
  for (size_t i = 0; i < existing_.size(); ++i) {
    for (const CanonicalStep& c : canonical.steps) {
      if (!claimed[c.step_order] && c.key == existing_[i].key) {
        match_[i] = c.step_order;
        claimed[c.step_order] = true;
        break;
      }
    }
  }
  // Pass 2: a legacy timing the canonical step replaces.
  for (size_t i = 0; i < existing_.size(); ++i) {
    if (match_[i] != 0) continue;
    for (const CanonicalStep& c : canonical.steps) {
      if (claimed[c.step_order]) continue;
      if (std::find(c.replaces.begin(), c.replaces.end(), existing_[i].key) != c.replaces.end()) {
        match_[i] = c.step_order;
        claimed[c.step_order] = true;
        break;
      }
    }
  }
  for (const CanonicalStep& c : canonical.steps) {
    if (!claimed[c.step_order]) inserted_.push_back(c.step_order);
  }
}

bool SequenceOverwrite::NeedsRewrite(size_t i) const {
  const ExistingStep& e = existing_[i];
  const CanonicalStep* c = canonical_->At(match_[i]);
  if (!c) return false;
  return e.step_order != c->step_order || !(e.key == c->key) ||
         !SameText(e.condition, c->condition) || !SameText(e.subject, c->subject) ||
         !SameText(e.message_template, c->message_template) ||
         e.requires_approval != c->requires_approval;
}

int SequenceOverwrite::NewOrderOf(int old_order) const {
  for (size_t i = 0; i < existing_.size(); ++i) {
    if (existing_[i].step_order == old_order) return match_[i];
  }
  return 0;
}

int SequenceOverwrite::RemapCurrentStep(int current_step) const {
  int remapped = 0;
  for (size_t i = 0; i < existing_.size() && existing_[i].step_order <= current_step; ++i) {
    int position = match_[i];
    if (position == 0) {
      // A deleted step that was sent: everything canonical at or before its
      // timing counts as done.
      for (const CanonicalStep& c : canonical_->steps) {
        if (!(existing_[i].key < c.key)) position = c.step_order;
      }
    }
    remapped = std::max(remapped, position);
  }
  return remapped;
}

int SequenceOverwrite::SkippedBy(int current_step) const {
  int sent_and_kept = 0;
  for (size_t i = 0; i < existing_.size() && existing_[i].step_order <= current_step; ++i) {
    if (match_[i] != 0) ++sent_and_kept;
  }
  return std::max(0, RemapCurrentStep(current_step) - sent_and_kept);
}

bool SequenceOverwrite::unchanged() const {
  if (!inserted_.empty()) return false;
  for (size_t i = 0; i < existing_.size(); ++i) {
    if (match_[i] == 0 || NeedsRewrite(i)) return false;
  }
  return true;
}

}  // namespace rehearse
