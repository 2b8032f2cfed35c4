#include "harness/profile/rows_file.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "harness/common/input_file.h"

namespace rehearse {

namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

Status ParseRowsFile(const std::string& path, const std::string& text,
                     std::map<std::string, int64_t>* out) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto bad = [&](const std::string& why) {
      return Status::InvalidInput("--rows-file: " + why + " (expected relname,reltuples)")
          .At(path, n);
    };
    const size_t comma = line.rfind(',');
    if (comma == std::string::npos) return bad("no comma");
    std::string name = Trim(line.substr(0, comma));
    const std::string number = Trim(line.substr(comma + 1));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (n == 1 && name == "relname" && number == "reltuples") continue;
    if (name.empty()) return bad("no table name");
    char* end = nullptr;
    const double tuples = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !std::isfinite(tuples) || tuples < -1 || tuples > 1e12)
      return bad("reltuples '" + number + "' is not a row count");
    if (out->count(name)) return bad("table " + name + " is listed twice");
    if (tuples < 0) continue;  // never analyzed: --rows
    (*out)[name] = static_cast<int64_t>(std::llround(tuples));
  }
  return Status::OK();
}

Status ReadRowsFile(const std::string& path, std::map<std::string, int64_t>* out) {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text).Prepend("--rows-file"));
  return ParseRowsFile(path, text, out);
}

}  // namespace rehearse
