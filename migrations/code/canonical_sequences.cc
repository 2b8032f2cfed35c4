#include "migrations/code/canonical_sequences.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "harness/common/input_file.h"

namespace rehearse {

namespace {

using nlohmann::json;

const char* const kFormat = "rehearse.canonical_steps/1";
const char* const kChannels[] = {"email", "sms", "linkedin"};
const char* const kConditions[] = {"always", "no_response", "has_phone", "has_linkedin",
                                   "linkedin_connected"};

template <size_t N>
bool OneOf(const std::string& value, const char* const (&allowed)[N]) {
  return std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed);
}

// Reads the fields of one JSON object, remembering where it is for messages
// and refusing keys it was not asked about.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  Status Check(const std::set<std::string>& known) const {
    if (!object_.is_object()) return Error("must be an object");
    for (const auto& item : object_.items()) {
      if (!known.count(item.key())) return Error("unknown key \"" + item.key() + "\"");
    }
    return Status::OK();
  }
  Status Int(const char* key, int lo, int hi, int* out) const {
    const json* v = Find(key);
    if (!v || !v->is_number_integer()) return Error(std::string(key) + " must be an integer");
    const int64_t x = v->get<int64_t>();
    if (x < lo || x >= hi) {
      return Error(std::string(key) + " must be in [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + ")");
    }
    *out = static_cast<int>(x);
    return Status::OK();
  }
  Status String(const char* key, std::string* out) const {
    const json* v = Find(key);
    if (!v || !v->is_string()) return Error(std::string(key) + " must be a string");
    *out = v->get<std::string>();
    return Status::OK();
  }
  Status OptionalString(const char* key, std::optional<std::string>* out) const {
    const json* v = Find(key);
    if (!v) return Error(std::string(key) + " is missing (write null for none)");
    if (v->is_null()) {
      out->reset();
      return Status::OK();
    }
    if (!v->is_string()) return Error(std::string(key) + " must be a string or null");
    *out = v->get<std::string>();
    return Status::OK();
  }
  Status Bool(const char* key, bool* out) const {
    const json* v = Find(key);
    if (!v || !v->is_boolean()) return Error(std::string(key) + " must be true or false");
    *out = v->get<bool>();
    return Status::OK();
  }
  Status Array(const char* key, const json** out) const {
    const json* v = Find(key);
    if (!v || !v->is_array()) return Error(std::string(key) + " must be an array");
    *out = v;
    return Status::OK();
  }
  Status Error(const std::string& what) const { return Status::InvalidInput(where_ + ": " + what); }

 private:
  const json* Find(const char* key) const {
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  const json& object_;
  std::string where_;
};

Status ParseStep(const json& j, const std::string& where, CanonicalStep* step) {
  ObjectReader r(j, where);
  REHEARSE_RETURN_IF_ERROR(r.Check({"dayOffset", "minuteOffset", "channel", "condition", "subject",
                                    "messageTemplate", "requiresApproval", "replaces"}));
  REHEARSE_RETURN_IF_ERROR(r.Int("dayOffset", 0, 3650, &step->key.day_offset));
  REHEARSE_RETURN_IF_ERROR(r.Int("minuteOffset", 0, 1440, &step->key.minute_offset));
  REHEARSE_RETURN_IF_ERROR(r.String("channel", &step->key.channel));
  if (!OneOf(step->key.channel, kChannels))
    return r.Error("channel must be email, sms or linkedin");
  REHEARSE_RETURN_IF_ERROR(r.OptionalString("condition", &step->condition));
  if (step->condition && !OneOf(*step->condition, kConditions))
    return r.Error("unknown condition \"" + *step->condition + "\"");
  REHEARSE_RETURN_IF_ERROR(r.OptionalString("subject", &step->subject));
  REHEARSE_RETURN_IF_ERROR(r.String("messageTemplate", &step->message_template));
  if (step->message_template.empty()) return r.Error("messageTemplate is empty");
  REHEARSE_RETURN_IF_ERROR(r.Bool("requiresApproval", &step->requires_approval));
  const json* replaces = nullptr;
  REHEARSE_RETURN_IF_ERROR(r.Array("replaces", &replaces));
  for (size_t i = 0; i < replaces->size(); ++i) {
    ObjectReader legacy((*replaces)[i], where + ": replaces[" + std::to_string(i) + "]");
    REHEARSE_RETURN_IF_ERROR(legacy.Check({"dayOffset", "minuteOffset"}));
    StepKey key;
    key.channel = step->key.channel;
    REHEARSE_RETURN_IF_ERROR(legacy.Int("dayOffset", 0, 3650, &key.day_offset));
    REHEARSE_RETURN_IF_ERROR(legacy.Int("minuteOffset", 0, 1440, &key.minute_offset));
    step->replaces.push_back(key);
  }
  return Status::OK();
}

// Sorts the steps into step_order and refuses keys that would make matching
// existing steps ambiguous.
Status Finish(const std::string& where, CanonicalSequence* seq) {
  std::sort(seq->steps.begin(), seq->steps.end(),
            [](const CanonicalStep& a, const CanonicalStep& b) { return a.key < b.key; });
  std::set<StepKey> own, legacy;
  for (size_t i = 0; i < seq->steps.size(); ++i) {
    CanonicalStep& step = seq->steps[i];
    step.step_order = static_cast<int>(i) + 1;
    if (!own.insert(step.key).second)
      return Status::InvalidInput(where + ": two steps at " + step.key.ToString());
  }
  for (const CanonicalStep& step : seq->steps) {
    for (const StepKey& key : step.replaces) {
      if (key == step.key) continue;  // harmless: the step already has that timing
      if (own.count(key)) {
        return Status::InvalidInput(where + ": the step at " + step.key.ToString() + " replaces " +
                                    key.ToString() + ", which is another step's own timing");
      }
      if (!legacy.insert(key).second)
        return Status::InvalidInput(where + ": " + key.ToString() + " is replaced twice");
    }
  }
  return Status::OK();
}

}  // namespace

std::string StepKey::ToString() const {
  return "day " + std::to_string(day_offset) + " +" + std::to_string(minute_offset) + " min " +
         channel;
}

const CanonicalStep* CanonicalSequence::At(int step_order) const {
  if (step_order < 1 || step_order > static_cast<int>(steps.size())) return nullptr;
  return &steps[static_cast<size_t>(step_order - 1)];
}

Status ParseCanonicalSequences(std::string_view text, const std::string& origin,
                               std::vector<CanonicalSequence>* out) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidInput(origin + ": not valid JSON");
  ObjectReader root(doc, origin);
  REHEARSE_RETURN_IF_ERROR(root.Check({"format", "description", "sequences"}));
  std::string format;
  REHEARSE_RETURN_IF_ERROR(root.String("format", &format));
  if (format != kFormat)
    return root.Error("format is \"" + format + "\", expected \"" + kFormat + "\"");
  const json* sequences = nullptr;
  REHEARSE_RETURN_IF_ERROR(root.Array("sequences", &sequences));

  std::vector<CanonicalSequence> parsed;
  std::set<std::string> names;
  for (size_t s = 0; s < sequences->size(); ++s) {
    const std::string where = origin + ": sequences[" + std::to_string(s) + "]";
    ObjectReader r((*sequences)[s], where);
    REHEARSE_RETURN_IF_ERROR(r.Check({"name", "steps"}));
    CanonicalSequence seq;
    REHEARSE_RETURN_IF_ERROR(r.String("name", &seq.name));
    if (seq.name.empty()) return r.Error("name is empty");
    if (!names.insert(seq.name).second) return r.Error("\"" + seq.name + "\" appears twice");
    const json* steps = nullptr;
    REHEARSE_RETURN_IF_ERROR(r.Array("steps", &steps));
    if (steps->empty()) return r.Error("has no steps");
    const std::string named = origin + ": \"" + seq.name + "\"";
    for (size_t k = 0; k < steps->size(); ++k) {
      CanonicalStep step;
      REHEARSE_RETURN_IF_ERROR(
          ParseStep((*steps)[k], named + " steps[" + std::to_string(k) + "]", &step));
      seq.steps.push_back(std::move(step));
    }
    REHEARSE_RETURN_IF_ERROR(Finish(named, &seq));
    parsed.push_back(std::move(seq));
  }
  *out = std::move(parsed);
  return Status::OK();
}

Status LoadCanonicalSequences(const std::string& path, std::vector<CanonicalSequence>* out) {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(
      ReadInputFile(path, &text).Prepend("cannot read the canonical copy table " + path));
  return ParseCanonicalSequences(text, path, out);
}

}  // namespace rehearse
