#include "harness/db/value.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace rehearse {

namespace {

std::string ShortestReal(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

std::string Value::ToText() const {
  switch (type) {
    case Type::kNull:
      return "";
    case Type::kInteger:
      return std::to_string(integer);
    case Type::kReal:
      return ShortestReal(real);
    case Type::kText:
      return bytes;
    case Type::kBlob:
      return Hex(bytes);
  }
  return "";
}

std::string Value::ToDisplay() const {
  switch (type) {
    case Type::kNull:
      return "NULL";
    case Type::kInteger:
      return std::to_string(integer);
    case Type::kReal: {
      // Always visibly a real, so 1 and 1.0 read differently.
      std::string r = ShortestReal(real);
      if (r.find_first_of(".eEnN") == std::string::npos) r += ".0";
      return r;
    }
    case Type::kBlob:
      return "x'" + Hex(bytes).substr(2) + "'";
    case Type::kText:
      break;
  }
  std::string out = "'";
  for (unsigned char c : bytes) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "'";
  return out;
}

bool Value::operator==(const Value& other) const {
  if (type != other.type) return false;
  switch (type) {
    case Type::kNull:
      return true;
    case Type::kInteger:
      return integer == other.integer;
    case Type::kReal:
      return std::memcmp(&real, &other.real, sizeof real) == 0;
    default:
      return bytes == other.bytes;
  }
}

}  // namespace rehearse
