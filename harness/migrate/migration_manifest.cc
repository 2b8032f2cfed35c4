#include "harness/migrate/migration_manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace rehearse {

namespace {

// 1-based line of byte offset `byte` (nlohmann counts bytes read, so the
// offending byte is byte-1).
int LineOfByte(std::string_view text, size_t byte) {
  size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
}

}  // namespace

Status ParseMigrationManifest(std::string_view text, const std::string& path,
                              MigrationManifest* out) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidInput("malformed migration.json at byte " + std::to_string(e.byte) +
                                ": " + e.what())
        .At(path, LineOfByte(text, e.byte));
  } catch (const nlohmann::json::exception& e) {  // a number out of range (1e999), ...
    return Status::InvalidInput(std::string("malformed migration.json: ") + e.what()).At(path, 0);
  }
  if (!doc.is_object()) {
    return Status::InvalidInput(std::string("migration.json must hold a JSON object, not ") +
                                doc.type_name())
        .At(path, 0);
  }
  MigrationManifest m;
  for (const auto& item : doc.items()) {
    // Named, not structured bindings: clang 14 (the fuzz build) cannot
    // capture those in a lambda.
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    auto wrong_type = [&](const char* want) {
      return Status::InvalidInput("migration.json: \"" + key + "\" must be " + want + ", not " +
                                  value.type_name())
          .At(path, 0);
    };
    if (key == "description") {
      if (!value.is_string()) return wrong_type("a string");
      m.description = value.get<std::string>();
    } else if (key == "transaction") {
      if (!value.is_boolean()) return wrong_type("true or false");
      m.transactional = value.get<bool>();
    } else if (key == "privileged") {
      if (!value.is_boolean()) return wrong_type("true or false");
      m.privileged = value.get<bool>();
    } else if (key == "kind") {
      if (!value.is_string()) return wrong_type("\"sql\" or \"data\"");
      std::string kind = value.get<std::string>();
      if (kind != "sql" && kind != "data") {
        return Status::InvalidInput("migration.json: unknown \"kind\" \"" + kind +
                                    "\" (expected \"sql\" or \"data\")")
            .At(path, 0);
      }
      m.data = kind == "data";
    } else if (key == "report") {
      if (!value.is_object()) return wrong_type("an object of titles and queries");
      for (const auto& [title, query] : value.items()) {
        if (!query.is_string() || query.get<std::string>().empty()) {
          return Status::InvalidInput("migration.json: report \"" + title +
                                      "\" must be a query (a non-empty string)")
              .At(path, 0);
        }
        m.report.push_back({title, query.get<std::string>()});
      }
    } else {
      return Status::InvalidInput("migration.json: unknown key \"" + key +
                                  "\" (known: description, transaction, kind, privileged, report)")
          .At(path, 0);
    }
  }
  *out = std::move(m);
  return Status::OK();
}

}  // namespace rehearse
