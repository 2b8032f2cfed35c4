// CanonicalSequences: the copy and timing the default follow-up sequences are
// overwritten with (seed 000, Phase 59e), read from the data file
// canonical_steps.json of migration 0003's folder — data, not code, so that
// changing a word of copy changes the migration's checksum and is rehearsed.
//
//   {"format": "rehearse.canonical_steps/1", "description": "...",
//    "sequences": [{"name": "No Response Day 2/5/7",
//                   "steps": [{"dayOffset": 2, "minuteOffset": 0, "channel": "email",
//                              "condition": "no_response", "subject": "...",
//                              "messageTemplate": "...", "requiresApproval": false,
//                              "replaces": [{"dayOffset": 2, "minuteOffset": 0}]}, ...]}]}
//
// A step's identity is its key (dayOffset, minuteOffset, channel). "replaces"
// lists the legacy timings (same channel) of the existing step it rewrites, so
// that step keeps its id and the instances and tasks pointing at it follow
// it; a step with no "replaces" is new. step_order is assigned here by
// sorting on the key, channel compared as bytes ("email" < "linkedin" < "sms").
//
// Contract: Parse/Load return OK and fill *out with the sequences in file
// order and each one's steps in step_order, or kInvalidInput naming the
// origin, the sequence and step and what is wrong: malformed JSON, another
// format, an unknown or missing key, a value out of the baseline's CHECKs
// (day >= 0, minute in [0, 1440), channel, condition), an empty template,
// an empty or repeated sequence name, a sequence without steps, two steps
// with the same key, or a legacy timing listed twice or equal to another
// step's own key (which existing step it rewrites would be ambiguous).
//
// The names in the file are the whole definition of "default sequence": the
// migration overwrites sequences whose name is byte-for-byte one of them and
// nothing else (no trimming, no case folding: near-miss names are custom).
#ifndef REHEARSE_MIGRATIONS_CODE_CANONICAL_SEQUENCES_H_
#define REHEARSE_MIGRATIONS_CODE_CANONICAL_SEQUENCES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

// When a step fires relative to its instance's start, and on which channel.
struct StepKey {
  int day_offset = 0;
  int minute_offset = 0;
  std::string channel;

  int64_t OffsetMinutes() const { return int64_t{day_offset} * 1440 + minute_offset; }
  auto Tie() const { return std::tie(day_offset, minute_offset, channel); }
  bool operator<(const StepKey& o) const { return Tie() < o.Tie(); }
  bool operator==(const StepKey& o) const { return Tie() == o.Tie(); }
  std::string ToString() const;  // "day 2 +30 min sms"
};

struct CanonicalStep {
  StepKey key;
  int step_order = 0;  // 1-based position in the sorted sequence
  std::optional<std::string> condition;
  std::optional<std::string> subject;
  std::string message_template;
  bool requires_approval = false;
  std::vector<StepKey> replaces;  // legacy keys, channel = key.channel
};

struct CanonicalSequence {
  std::string name;
  std::vector<CanonicalStep> steps;  // in step_order

  // The step at 1-based `step_order`, or null.
  const CanonicalStep* At(int step_order) const;
};

// The file name inside the migration's folder.
constexpr const char* kCanonicalStepsFile = "canonical_steps.json";

Status ParseCanonicalSequences(std::string_view text, const std::string& origin,
                               std::vector<CanonicalSequence>* out);
Status LoadCanonicalSequences(const std::string& path, std::vector<CanonicalSequence>* out);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_CANONICAL_SEQUENCES_H_
