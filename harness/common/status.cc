#include "harness/common/status.h"

namespace rehearse {

Status& Status::Prepend(std::string_view context) {
  message_ = std::string(context) + ": " + message_;
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  if (!file_.empty()) {
    out += file_;
    if (line_ > 0) out += ":" + std::to_string(line_);
    out += ": ";
  }
  out += message_;
  if (!sqlstate_.empty()) out += " (SQLSTATE " + sqlstate_ + ")";
  if (!statement_.empty()) {
    constexpr size_t kMaxStatement = 300;
    std::string stmt = statement_.size() > kMaxStatement
                           ? statement_.substr(0, kMaxStatement) + " ..."
                           : statement_;
    out += "\n  in statement: " + stmt;
  }
  return out;
}

}  // namespace rehearse
