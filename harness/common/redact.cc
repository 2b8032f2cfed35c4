#include "harness/common/redact.h"

#include <cctype>

namespace rehearse {

namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Whether `word` (lower case) is at text[i], case-insensitively.
bool At(std::string_view text, size_t i, std::string_view word) {
  if (i + word.size() > text.size()) return false;
  for (size_t k = 0; k < word.size(); ++k)
    if (Lower(text[i + k]) != word[k]) return false;
  return true;
}

bool IsKeyChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Where a URI's authority ends: the first '/', '?', '#', quote or space.
size_t AuthorityEnd(std::string_view text, size_t from) {
  size_t i = from;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' || IsSpace(c)) break;
    ++i;
  }
  return i;
}

// Length of the URI scheme "postgres://" / "postgresql://" at i, or 0.
size_t SchemeAt(std::string_view text, size_t i) {
  if (At(text, i, "postgresql://")) return 13;
  if (At(text, i, "postgres://")) return 11;
  return 0;
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_uri = false;  // between a URI's scheme and the next whitespace
  size_t i = 0;
  while (i < text.size()) {
    if (IsSpace(text[i])) in_uri = false;
    if (size_t scheme = SchemeAt(text, i); scheme > 0) {
      // postgres://user:PASSWORD@host: the user info ends at the last '@'
      // of the authority, and the password starts after its first ':'.
      const size_t begin = i + scheme;
      const size_t end = AuthorityEnd(text, begin);
      const size_t at = text.substr(begin, end - begin).rfind('@');
      out.append(text.substr(i, scheme));
      i = begin;
      in_uri = true;
      if (at != std::string_view::npos) {
        const std::string_view userinfo = text.substr(begin, at);
        const size_t colon = userinfo.find(':');
        if (colon != std::string_view::npos && colon + 1 < userinfo.size()) {
          out.append(userinfo.substr(0, colon + 1));
          out.append(kRedacted);
          i = begin + at;  // the '@' and what follows are copied as they are
        }
      }
      continue;
    }
    if (At(text, i, "password") && (i == 0 || !IsKeyChar(text[i - 1]))) {
      size_t j = i + 8;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j < text.size() && text[j] == '=') {
        ++j;
        const bool query = in_uri && i > 0 && (text[i - 1] == '?' || text[i - 1] == '&');
        if (!query)
          while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
        out.append(text.substr(i, j - i));
        size_t k = j;
        if (!query && k < text.size() && text[k] == '\'') {
          // 'quoted', with \' and \\ escapes: the quotes stay, the inside goes.
          ++k;
          while (k < text.size() && text[k] != '\'') k += text[k] == '\\' ? 2 : 1;
          if (k > text.size()) k = text.size();
          out.push_back('\'');
          if (k > j + 1) out.append(kRedacted);
          if (k < text.size()) out.push_back('\'');
          i = k < text.size() ? k + 1 : k;
          continue;
        }
        while (k < text.size() && !IsSpace(text[k]) &&
               !(query && (text[k] == '&' || text[k] == '#')))
          ++k;
        if (k > j) out.append(kRedacted);
        i = k;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

}  // namespace rehearse
