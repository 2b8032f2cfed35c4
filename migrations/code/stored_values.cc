#include "migrations/code/stored_values.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "fixtures/fixture_time.h"

namespace rehearse {

namespace {

const char kHexDigits[] = "0123456789abcdef";

std::string ToHex(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 15];
  }
  return out;
}

bool FromHex(const std::string& hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    *out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsUtf8(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= n) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

bool Digits(std::string_view text, size_t pos, size_t count, int64_t* out) {
  if (pos + count > text.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Status CheckCompletePayload(const nlohmann::json& payload, const char* format) {
  if (!payload.is_object() || payload.value("format", "") != format)
    return Status::Corruption(std::string("rollback artifact: payload format is not ") + format);
  if (!payload.value("complete", false))
    return Status::Corruption(
        "rollback artifact: written by a dry run, it records nothing to undo");
  return Status::OK();
}

Status StoredInt(const Value& v, const std::string& what, int64_t* out) {
  if (v.type == Value::Type::kInteger) {
    *out = v.integer;
    return Status::OK();
  }
  if (v.type == Value::Type::kText) {
    const char* begin = v.bytes.data();
    const char* end = begin + v.bytes.size();
    auto [ptr, ec] = std::from_chars(begin, end, *out);
    if (ec == std::errc() && ptr == end && begin != end) return Status::OK();
  }
  return Status::InvalidInput(what + " is not an integer: " + v.ToDisplay());
}

bool StoredBool(const Value& v) {
  if (v.type == Value::Type::kInteger) return v.integer != 0;
  return v.type == Value::Type::kText && (v.bytes == "t" || v.bytes == "true" || v.bytes == "1");
}

Value BoolValue(Dialect dialect, bool b) {
  return dialect == Dialect::kPostgres ? Value::Text(b ? "t" : "f") : Value::Integer(b ? 1 : 0);
}

std::optional<std::string> StoredText(const Value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.type == Value::Type::kText || v.type == Value::Type::kBlob) return v.bytes;
  return v.ToText();
}

bool ParseTimestamp(std::string_view text, int64_t* micros) {
  // 'YYYY-MM-DD HH:MM:SS' then an optional fraction, then '+00'.
  int64_t y, mo, d, h, mi, s;
  if (text.size() < 22 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':')
    return false;
  if (!Digits(text, 0, 4, &y) || !Digits(text, 5, 2, &mo) || !Digits(text, 8, 2, &d) ||
      !Digits(text, 11, 2, &h) || !Digits(text, 14, 2, &mi) || !Digits(text, 17, 2, &s))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return false;
  size_t pos = 19;
  int64_t fraction = 0;
  if (text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 6) return false;
      fraction = fraction * 10 + (text[pos++] - '0');
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) fraction *= 10;
  }
  if (text.substr(pos) != "+00") return false;
  *micros = UtcMicros(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), static_cast<int>(h),
                      static_cast<int>(mi), static_cast<int>(s), fraction);
  return true;
}

std::string SqlLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string SampleText(const Value& v, size_t max_bytes) {
  if (v.is_null()) return "NULL";
  const std::string text = StoredText(v).value_or("");
  if (!IsUtf8(text)) return "<" + std::to_string(text.size()) + " bytes, not UTF-8>";
  size_t cut = std::min(text.size(), max_bytes);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  // One line per sample: control characters spelled out.
  std::string out;
  for (size_t i = 0; i < cut; ++i) {
    const char c = text[i];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return cut < text.size() ? out + "..." : out;
}

nlohmann::json ValueToJson(const Value& v) {
  switch (v.type) {
    case Value::Type::kNull:
      return nullptr;
    case Value::Type::kInteger:
      return v.integer;
    case Value::Type::kReal:
      return {{"real", v.ToText()}};
    case Value::Type::kText:
      if (IsUtf8(v.bytes)) return v.bytes;
      return {{"textHex", ToHex(v.bytes)}};
    case Value::Type::kBlob:
      return {{"blobHex", ToHex(v.bytes)}};
  }
  return nullptr;
}

Status JsonToValue(const nlohmann::json& j, const std::string& what, Value* out) {
  if (j.is_null()) {
    *out = Value::Null();
    return Status::OK();
  }
  if (j.is_number_integer()) {
    *out = Value::Integer(j.get<int64_t>());
    return Status::OK();
  }
  if (j.is_string()) {
    *out = Value::Text(j.get<std::string>());
    return Status::OK();
  }
  if (j.is_object() && j.size() == 1) {
    const std::string& key = j.begin().key();
    const nlohmann::json& inner = j.begin().value();
    std::string bytes;
    if (inner.is_string() && (key == "textHex" || key == "blobHex") &&
        FromHex(inner.get<std::string>(), &bytes)) {
      *out = key == "textHex" ? Value::Text(bytes) : Value::Blob(bytes);
      return Status::OK();
    }
    if (key == "real" && inner.is_string()) {
      const std::string text = inner.get<std::string>();
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size()) {
        *out = Value::Real(d);
        return Status::OK();
      }
    }
  }
  return Status::Corruption(what + ": not a stored value: " + j.dump());
}

}  // namespace rehearse
