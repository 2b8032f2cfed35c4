#include "harness/runner/scenario.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "harness/common/input_file.h"

namespace rehearse {

namespace {

using nlohmann::json;

namespace fs = std::filesystem;

std::string Resolve(const std::string& root, const std::string& p) {
  return fs::path(p).is_absolute() ? p : root + "/" + p;
}

Status Field(const std::string& path, const std::string& field, const std::string& what) {
  return Status::InvalidInput(path + ": field \"" + field + "\" " + what);
}

// Whether `p`, symlinks resolved, lies inside `root`, symlinks resolved: a
// scenario in a pull request must not read /etc/passwd into a report, nor
// reach out of the tree through a link planted in it.
bool InsideTree(const std::string& root, const std::string& p) {
  std::error_code ec;
  const fs::path r = fs::weakly_canonical(root, ec);
  if (ec) return false;
  const fs::path q = fs::weakly_canonical(p, ec);
  if (ec) return false;
  auto ri = r.begin(), qi = q.begin();
  for (; ri != r.end(); ++ri, ++qi) {
    if (ri->empty()) continue;  // the trailing "" of "dir/"
    if (qi == q.end() || *ri != *qi) return false;
  }
  return true;
}

// Resolves the path `p` of `field` against `root`, refusing one outside it.
Status ResolveInside(const std::string& path, const std::string& root, const std::string& field,
                     const std::string& p, std::string* out) {
  *out = Resolve(root, p);
  if (!InsideTree(root, *out))
    return Field(path, field, "names " + p + ", outside the project tree " + root);
  return Status::OK();
}

Status StringList(const json& doc, const std::string& path, const char* field,
                  std::vector<std::string>* out) {
  if (!doc.contains(field)) return Status::OK();
  const json& v = doc[field];
  if (!v.is_array()) return Field(path, field, "must be an array of strings");
  out->clear();
  for (const json& e : v) {
    if (!e.is_string()) return Field(path, field, "must be an array of strings");
    out->push_back(e.get<std::string>());
  }
  return Status::OK();
}

// "append_to_up" / "append_to_down": {"migration": "<version>", "file": "<sql>"}.
Status AppendedScript(const json& doc, const std::string& path, const std::string& root,
                      const std::string& field, Scenario::Appended* out) {
  if (!doc.contains(field)) return Status::OK();
  const json& a = doc[field];
  if (!a.is_object() || !a.contains("migration") || !a["migration"].is_string() ||
      !a.contains("file") || !a["file"].is_string() || a.size() != 2)
    return Field(path, field, "takes {\"migration\": \"<version>\", \"file\": \"<sql>\"}");
  out->version = a["migration"].get<std::string>();
  std::string file, text;
  REHEARSE_RETURN_IF_ERROR(
      ResolveInside(path, root, field + ".file", a["file"].get<std::string>(), &file));
  if (!ReadInputFile(file, &text).ok())
    return Field(path, field + ".file", "names " + file + ", which cannot be read");
  out->script = SqlScript::Parse(text, file);
  return Status::OK();
}

}  // namespace

Status LoadScenario(const std::string& path, const std::string& root, Scenario* out) {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text).Prepend("cannot read scenario"));
  return ParseScenario(text, path, root, out);
}

Status ParseScenario(std::string_view text, const std::string& path, const std::string& root,
                     Scenario* out) {
  *out = Scenario();
  out->path = path;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::InvalidInput(path + ": malformed JSON at byte " + std::to_string(e.byte));
  } catch (const json::exception& e) {  // a number out of range (1e999), ...
    return Status::InvalidInput(path + ": malformed JSON: " + e.what());
  }
  if (!doc.is_object()) return Status::InvalidInput(path + ": a scenario is a JSON object");
  static const std::set<std::string> kKnown = {
      "name",         "description", "migrations", "replace",        "targets",
      "backends",     "fixture",     "fill",       "expect",         "workloads",
      "append_to_up", "baseline",    "override",   "append_to_down", "verifiers"};
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (!kKnown.count(it.key())) return Field(path, it.key(), "is not a scenario field");
  if (!doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty())
    return Field(path, "name", "must be a non-empty string");
  out->name = doc["name"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string()) return Field(path, "description", "must be a string");
    out->description = doc["description"].get<std::string>();
  }
  std::string migrations = "migrations";
  if (doc.contains("migrations")) {
    if (!doc["migrations"].is_string()) return Field(path, "migrations", "must be a folder path");
    migrations = doc["migrations"].get<std::string>();
  }
  out->migrations_dir = Resolve(root, migrations);
  if (doc.contains("baseline")) {
    if (!doc["baseline"].is_string()) return Field(path, "baseline", "must be a folder path");
    out->baseline_dir = Resolve(root, doc["baseline"].get<std::string>());
  }
  REHEARSE_RETURN_IF_ERROR(StringList(doc, path, "replace", &out->replace));
  for (std::string& r : out->replace) r = Resolve(root, r);
  if (doc.contains("targets") && doc["targets"].is_object()) {
    const json& t = doc["targets"];
    for (auto it = t.begin(); it != t.end(); ++it) {
      if ((it.key() != "from" && it.key() != "to") || !it->is_string())
        return Field(path, "targets", "takes a list of versions or {\"from\": A, \"to\": B}");
      (it.key() == "from" ? out->targets_from : out->targets_to) = it->get<std::string>();
    }
    if (out->targets_from.empty() && out->targets_to.empty())
      return Field(path, "targets", "names an empty range");
  } else {
    REHEARSE_RETURN_IF_ERROR(StringList(doc, path, "targets", &out->targets));
  }
  REHEARSE_RETURN_IF_ERROR(StringList(doc, path, "workloads", &out->workloads));
  if (doc.contains("override")) {
    const json& o = doc["override"];
    if (!o.is_object() || !o.contains("migration") || !o["migration"].is_string() ||
        !o.contains("files") || !o["files"].is_object() || o.size() != 2)
      return Field(path, "override",
                   "takes {\"migration\": \"<version>\", \"files\": {\"down.sql\": \"<path>\"}}");
    out->override_version = o["migration"].get<std::string>();
    for (auto it = o["files"].begin(); it != o["files"].end(); ++it) {
      if (!it->is_string()) return Field(path, "override.files." + it.key(), "must be a path");
      REHEARSE_RETURN_IF_ERROR(ResolveInside(path, root, "override.files." + it.key(),
                                             it->get<std::string>(),
                                             &out->override_files[it.key()]));
    }
  }
  REHEARSE_RETURN_IF_ERROR(AppendedScript(doc, path, root, "append_to_up", &out->append_to_up));
  REHEARSE_RETURN_IF_ERROR(AppendedScript(doc, path, root, "append_to_down", &out->append_to_down));
  REHEARSE_RETURN_IF_ERROR(StringList(doc, path, "verifiers", &out->verifiers));
  std::vector<std::string> backends;
  REHEARSE_RETURN_IF_ERROR(StringList(doc, path, "backends", &backends));
  if (doc.contains("backends")) {
    out->backends.clear();
    for (const std::string& b : backends) {
      if (b != "sqlite" && b != "postgres")
        return Field(path, "backends", "takes \"sqlite\" and \"postgres\", not \"" + b + "\"");
      out->backends.push_back(b == "sqlite" ? Dialect::kSqlite : Dialect::kPostgres);
    }
  }
  if (doc.contains("fixture")) {
    const json& f = doc["fixture"];
    if (!f.is_object()) return Field(path, "fixture", "must be an object");
    for (auto it = f.begin(); it != f.end(); ++it) {
      const std::string& k = it.key();
      if ((k == "seed" || k == "scale") && it->is_number_unsigned()) {
        (k == "seed" ? out->seed : out->scale) = it->get<uint64_t>();
      } else if (k == "profile" && it->is_string()) {
        out->profile = it->get<std::string>();
      } else {
        return Field(path, "fixture." + k, "is unknown or of the wrong type");
      }
    }
  }
  if (doc.contains("fill")) {
    const json& f = doc["fill"];
    if (f == "domain")
      out->fill = Scenario::Fill::kDomain;
    else if (f == "schema")
      out->fill = Scenario::Fill::kSchema;
    else if (f == "none")
      out->fill = Scenario::Fill::kNone;
    else
      return Field(path, "fill", "takes \"domain\", \"schema\" or \"none\"");
  }
  if (doc.contains("expect")) {
    const json& e = doc["expect"];
    if (e.is_string() && e == "pass") {
      // the default
    } else if (e.is_object() && e.contains("fail") && e["fail"].is_string()) {
      out->expect_fail_check = e["fail"].get<std::string>();
      if (e.contains("migration")) {
        if (!e["migration"].is_string())
          return Field(path, "expect.migration", "must be a version string");
        out->expect_fail_migration = e["migration"].get<std::string>();
      }
    } else {
      return Field(path, "expect",
                   "takes \"pass\" or {\"fail\": \"<check>\", \"migration\": \"<version>\"}");
    }
  }
  return Status::OK();
}

Status LoadScenarios(const std::string& dir, const std::string& root, std::vector<Scenario>* out) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path().string());
  }
  if (ec) return Status::InvalidInput("cannot read scenario folder " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  out->clear();
  std::set<std::string> names;
  for (const std::string& f : files) {
    if (!InsideTree(root, f))
      return Status::InvalidInput(f + ": a scenario file that leads outside the project tree " +
                                  root);
    Scenario s;
    REHEARSE_RETURN_IF_ERROR(LoadScenario(f, root, &s));
    if (!names.insert(s.name).second)
      return Status::InvalidInput(f + ": scenario name \"" + s.name + "\" is used twice");
    out->push_back(std::move(s));
  }
  return Status::OK();
}

}  // namespace rehearse
