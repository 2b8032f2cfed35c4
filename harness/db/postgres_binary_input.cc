#include "harness/db/postgres_binary_input.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "harness/common/civil_date.h"

namespace rehearse {

namespace {

constexpr int64_t kMicrosPerDay = 86400000000LL;
constexpr int64_t kPostgresEpochDays = 10957;  // 2000-01-01, in days since 1970-01-01

void PutBigEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutField(const char* data, size_t n, std::string* out) {
  PutBigEndian(n, 4, out);
  out->append(data, n);
}

// Reads `n` decimal digits at s[*pos], advancing *pos.
bool Digits(std::string_view s, size_t* pos, int n, int* value) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// 'YYYY-MM-DD' at s[*pos], years 1 to 9999, as days since 2000-01-01.
bool ParseDate(std::string_view s, size_t* pos, int64_t* days) {
  static const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  if (!Digits(s, pos, 4, &y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, &m) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, &d)) {
    return false;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  if (d > kMonthDays[m - 1] + (m == 2 && IsLeap(y))) return false;
  *days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) - kPostgresEpochDays;
  return true;
}

// 'YYYY-MM-DD HH:MM:SS[.f{1,6}]' then '+00' (required or optional) and
// nothing else, as microseconds since 2000-01-01 00:00 UTC. Hours 24 and
// seconds 60, which PostgreSQL also accepts, are left to the text format.
bool ParseTimestamp(std::string_view s, bool zone_required, int64_t* micros) {
  size_t pos = 0;
  int64_t days;
  int h, mi, sec;
  if (!ParseDate(s, &pos, &days) || !Expect(s, &pos, ' ') || !Digits(s, &pos, 2, &h) ||
      !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &mi) || !Expect(s, &pos, ':') ||
      !Digits(s, &pos, 2, &sec) || h > 23 || mi > 59 || sec > 59) {
    return false;
  }
  int64_t fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && digits < 6) {
      fraction = fraction * 10 + (s[pos++] - '0');
      ++digits;
    }
    if (digits == 0 || (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')) return false;
    for (; digits < 6; ++digits) fraction *= 10;
  }
  if (s.substr(pos) == "+00") {
    pos += 3;
  } else if (zone_required) {
    return false;
  }
  if (pos != s.size()) return false;
  *micros = days * kMicrosPerDay + ((h * 60 + mi) * 60 + sec) * int64_t{1000000} + fraction;
  return true;
}

// One field of `value` for a column written as `encoding`, or false.
bool AppendField(const Value& value, BinaryEncoding encoding, std::string* out) {
  if (value.is_null()) {
    PutBigEndian(0xffffffffu, 4, out);  // length -1
    return true;
  }
  const bool integer = value.type == Value::Type::kInteger;
  switch (encoding) {
    case BinaryEncoding::kText:
    case BinaryEncoding::kJsonb: {
      const std::string converted = value.type == Value::Type::kText ? "" : value.ToText();
      const std::string& text = value.type == Value::Type::kText ? value.bytes : converted;
      if (encoding == BinaryEncoding::kText) {
        PutField(text.data(), text.size(), out);
      } else {
        PutBigEndian(text.size() + 1, 4, out);
        out->push_back('\1');
        out->append(text);
      }
      return true;
    }
    case BinaryEncoding::kBool: {
      int b = -1;
      if (value.type == Value::Type::kText && (value.bytes == "t" || value.bytes == "f"))
        b = value.bytes == "t";
      if (integer && (value.integer == 0 || value.integer == 1))
        b = static_cast<int>(value.integer);
      if (b < 0) return false;
      PutBigEndian(1, 4, out);
      out->push_back(static_cast<char>(b));
      return true;
    }
    case BinaryEncoding::kInt2:
      if (!integer || value.integer < std::numeric_limits<int16_t>::min() ||
          value.integer > std::numeric_limits<int16_t>::max()) {
        return false;
      }
      PutBigEndian(2, 4, out);
      PutBigEndian(static_cast<uint64_t>(value.integer), 2, out);
      return true;
    case BinaryEncoding::kInt4:
      if (!integer || value.integer < std::numeric_limits<int32_t>::min() ||
          value.integer > std::numeric_limits<int32_t>::max()) {
        return false;
      }
      PutBigEndian(4, 4, out);
      PutBigEndian(static_cast<uint64_t>(value.integer), 4, out);
      return true;
    case BinaryEncoding::kInt8:
      if (!integer) return false;
      PutBigEndian(8, 4, out);
      PutBigEndian(static_cast<uint64_t>(value.integer), 8, out);
      return true;
    case BinaryEncoding::kFloat8: {
      if (value.type != Value::Type::kReal) return false;
      // The text form of any NaN is "NaN", which float8in reads as NAN.
      const double d =
          std::isnan(value.real) ? std::numeric_limits<double>::quiet_NaN() : value.real;
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      PutBigEndian(8, 4, out);
      PutBigEndian(bits, 8, out);
      return true;
    }
    case BinaryEncoding::kTimestamp:
    case BinaryEncoding::kTimestamptz: {
      int64_t micros;
      if (value.type != Value::Type::kText ||
          !ParseTimestamp(value.bytes, encoding == BinaryEncoding::kTimestamptz, &micros)) {
        return false;
      }
      PutBigEndian(8, 4, out);
      PutBigEndian(static_cast<uint64_t>(micros), 8, out);
      return true;
    }
    case BinaryEncoding::kDate: {
      size_t pos = 0;
      int64_t days;
      if (value.type != Value::Type::kText || !ParseDate(value.bytes, &pos, &days) ||
          pos != value.bytes.size()) {
        return false;
      }
      PutBigEndian(4, 4, out);
      PutBigEndian(static_cast<uint64_t>(days), 4, out);
      return true;
    }
    case BinaryEncoding::kBytea:
      if (value.type != Value::Type::kBlob) return false;
      PutField(value.bytes.data(), value.bytes.size(), out);
      return true;
  }
  return false;
}

}  // namespace

bool BinaryEncodingFor(uint32_t oid, BinaryEncoding* out) {
  switch (oid) {
    case 16:
      *out = BinaryEncoding::kBool;
      return true;
    case 20:
      *out = BinaryEncoding::kInt8;
      return true;
    case 21:
      *out = BinaryEncoding::kInt2;
      return true;
    case 23:
      *out = BinaryEncoding::kInt4;
      return true;
    case 701:
      *out = BinaryEncoding::kFloat8;
      return true;
    case 1114:
      *out = BinaryEncoding::kTimestamp;
      return true;
    case 1184:
      *out = BinaryEncoding::kTimestamptz;
      return true;
    case 1082:
      *out = BinaryEncoding::kDate;
      return true;
    case 17:
      *out = BinaryEncoding::kBytea;
      return true;
    case 3802:
      *out = BinaryEncoding::kJsonb;
      return true;
    case 25:    // text
    case 114:   // json
    case 1042:  // bpchar
    case 1043:  // varchar
      *out = BinaryEncoding::kText;
      return true;
    default:  // among them name, whose input truncates where its receive fails
      return false;
  }
}

void AppendBinaryCopyHeader(std::string* out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and its terminating \0
  out->append(kSignature, sizeof kSignature);
  PutBigEndian(0, 4, out);  // flags: no OIDs
  PutBigEndian(0, 4, out);  // no header extension
}

bool AppendBinaryCopyTuple(const Row& row, const std::vector<BinaryEncoding>& columns,
                           std::string* out) {
  if (row.size() != columns.size()) return false;
  const size_t start = out->size();
  PutBigEndian(columns.size(), 2, out);
  for (size_t i = 0; i < row.size(); ++i) {
    if (!AppendField(row[i], columns[i], out)) {
      out->resize(start);
      return false;
    }
  }
  return true;
}

void AppendBinaryCopyTrailer(std::string* out) { PutBigEndian(0xffff, 2, out); }

}  // namespace rehearse
