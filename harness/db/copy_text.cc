#include "harness/db/copy_text.h"

namespace rehearse {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void Unescape(std::string_view field, std::string* out) {
  out->clear();
  out->reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out->push_back(c);
      continue;
    }
    char e = field[++i];
    switch (e) {
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case 'x': {
        int v = 0, n = 0;
        while (n < 2 && i + 1 < field.size() && HexDigit(field[i + 1]) >= 0) {
          v = v * 16 + HexDigit(field[++i]);
          ++n;
        }
        out->push_back(static_cast<char>(v));
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0', n = 1;
          while (n < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7') {
            v = v * 8 + (field[++i] - '0');
            ++n;
          }
          out->push_back(static_cast<char>(v));
        } else {
          out->push_back(e);  // \\ and any other escaped character stand for themselves
        }
    }
  }
}

}  // namespace

void ParseCopyTextLine(std::string_view line, Row* row) {
  size_t n = 0;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    std::string_view field =
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
    if (row->size() <= n) row->resize(n + 1);
    Value& v = (*row)[n++];
    if (field == "\\N") {
      v.type = Value::Type::kNull;
      v.bytes.clear();
    } else {
      v.type = Value::Type::kText;
      Unescape(field, &v.bytes);
    }
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  row->resize(n);
}

void AppendCopyTextField(const Value& value, std::string* line) {
  if (value.is_null()) {
    *line += "\\N";
    return;
  }
  const std::string text = value.type == Value::Type::kText ? std::string() : value.ToText();
  const std::string& src = value.type == Value::Type::kText ? value.bytes : text;
  for (char c : src) {
    switch (c) {
      case '\\':
        *line += "\\\\";
        break;
      case '\t':
        *line += "\\t";
        break;
      case '\n':
        *line += "\\n";
        break;
      case '\r':
        *line += "\\r";
        break;
      default:
        *line += c;
    }
  }
}

}  // namespace rehearse
