// Arguments: the flags of one CLI command. Every command declares the flags it
// takes; anything else is an error naming the flag, so a typo never silently
// changes what a gate checks.
#ifndef REHEARSE_CLI_ARGUMENTS_H_
#define REHEARSE_CLI_ARGUMENTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

class Arguments {
 public:
  // `with_value` flags take the next word (or --flag=value); `switches` take
  // none. Returns kInvalidInput naming the offending word, also for a flag
  // given twice.
  static Status Parse(const std::vector<std::string>& words,
                      const std::set<std::string>& with_value,
                      const std::set<std::string>& switches, Arguments* out);

  bool Has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string Get(const std::string& flag, const std::string& fallback = "") const;
  // A non-negative integer flag; kInvalidInput naming the flag if malformed.
  Status GetUint(const std::string& flag, uint64_t fallback, uint64_t* out) const;
  // One of `allowed`; kInvalidInput listing them otherwise.
  Status GetChoice(const std::string& flag, const std::vector<std::string>& allowed,
                   const std::string& fallback, std::string* out) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace rehearse

#endif  // REHEARSE_CLI_ARGUMENTS_H_
