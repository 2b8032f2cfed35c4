#include "harness/cli/arguments.h"

#include <charconv>

namespace rehearse {

Status Arguments::Parse(const std::vector<std::string>& words,
                        const std::set<std::string>& with_value,
                        const std::set<std::string>& switches, Arguments* out) {
  *out = Arguments();
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0 || w == "--") {
      out->positional_.push_back(w);
      continue;
    }
    std::string flag = w, value;
    bool inline_value = false;
    if (size_t eq = w.find('='); eq != std::string::npos) {
      flag = w.substr(0, eq);
      value = w.substr(eq + 1);
      inline_value = true;
    }
    // A second value would silently win over the first (a CI script that
    // appends --seed to a command line that has one), so it is refused.
    if (out->values_.count(flag) && (switches.count(flag) || with_value.count(flag)))
      return Status::InvalidInput(flag + " is given more than once");
    if (switches.count(flag)) {
      if (inline_value) return Status::InvalidInput(flag + " takes no value");
      out->values_[flag] = "";
    } else if (with_value.count(flag)) {
      if (!inline_value) {
        if (i + 1 >= words.size()) return Status::InvalidInput(flag + " needs a value");
        value = words[++i];
      }
      out->values_[flag] = value;
    } else {
      return Status::InvalidInput("unknown flag " + flag + " (see --help)");
    }
  }
  return Status::OK();
}

std::string Arguments::Get(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second;
}

Status Arguments::GetUint(const std::string& flag, uint64_t fallback, uint64_t* out) const {
  auto it = values_.find(flag);
  if (it == values_.end()) {
    *out = fallback;
    return Status::OK();
  }
  const std::string& v = it->second;
  auto res = std::from_chars(v.data(), v.data() + v.size(), *out);
  if (res.ec != std::errc() || res.ptr != v.data() + v.size() || v.empty())
    return Status::InvalidInput(flag + ": '" + v + "' is not a non-negative integer");
  return Status::OK();
}

Status Arguments::GetChoice(const std::string& flag, const std::vector<std::string>& allowed,
                            const std::string& fallback, std::string* out) const {
  *out = Get(flag, fallback);
  for (const std::string& a : allowed)
    if (*out == a) return Status::OK();
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : "|") + a;
  return Status::InvalidInput(flag + ": '" + *out + "' is not one of " + list);
}

}  // namespace rehearse
