#include "harness/migrate/layouts/layout.h"

#include <filesystem>

#include "harness/common/input_file.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

const LayoutReader* const kReaders[] = {&kRehearseReader, &kGolangMigrateReader, &kGooseReader,
                                        &kDbmateReader,   &kDieselReader,        &kPopReader,
                                        &kFlywayReader,   &kSqitchReader};

// Every reader's MigrationSource: the reader's own rules, then the ones all
// sources share (migration_source.h). Gaps are never checked: of the other
// tools, none refuses them.
class LayoutSource final : public MigrationSource {
 public:
  LayoutSource(const LayoutReader& reader, std::string dir)
      : reader_(reader), dir_(std::move(dir)) {}
  std::string Describe() const override { return dir_; }
  Status Load(std::vector<Migration>* out) override {
    out->clear();
    std::vector<Migration> migrations;
    REHEARSE_RETURN_IF_ERROR(reader_.read(dir_, &migrations));
    if (migrations.empty())
      return Status::InvalidInput(std::string("no migrations: expected ") + reader_.expects)
          .At(dir_, 0);
    REHEARSE_RETURN_IF_ERROR(CheckMigrationSequence(GapRule::kNone, &migrations));
    *out = std::move(migrations);
    return Status::OK();
  }

 private:
  const LayoutReader& reader_;
  std::string dir_;
};

const LayoutReader& ReaderOf(Layout layout) {
  for (const LayoutReader* r : kReaders)
    if (r->layout == layout) return *r;
  return kRehearseReader;
}

// The versions a team declared irreversible: the flag's, then the list file's
// (each with where it came from, for the message when one is unknown).
Status DeclaredIrreversible(const std::string& dir, const MigrationFolderOptions& options,
                            std::vector<std::pair<std::string, std::string>>* out) {
  for (const std::string& v : options.irreversible) out->emplace_back(v, "--irreversible");
  const std::filesystem::path here(dir);
  for (const std::filesystem::path& p :
       {here / kIrreversibleListName, here.parent_path() / kIrreversibleListName}) {
    if (!IsRegularFile(p.string())) continue;
    std::string text;
    REHEARSE_RETURN_IF_ERROR(ReadInputFile(p.string(), &text));
    for (const NumberedLine& l : SplitLines(text)) {
      std::string line(l.text.substr(0, l.text.find('#')));
      line.erase(0, line.find_first_not_of(" \t"));
      line.erase(line.find_last_not_of(" \t") + 1);
      if (!line.empty()) out->emplace_back(line, p.string() + ":" + std::to_string(l.number));
    }
  }
  return Status::OK();
}

bool NamesMigration(const std::string& declared, const Migration& m) {
  return declared == m.version.text() || declared == m.version.key() || declared == m.label() ||
         (MigrationVersion::IsDigits(declared) &&
          MigrationVersion::AsWritten(declared) == m.version);
}

}  // namespace

Status SplitVersionList(const std::string& flag, const std::string& list,
                        std::vector<std::string>* out) {
  size_t start = 0;
  for (size_t comma; start <= list.size(); start = comma + 1) {
    comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string v = list.substr(start, comma - start);
    if (v.empty()) return Status::InvalidInput(flag + ": empty version in '" + list + "'");
    out->push_back(v);
  }
  return Status::OK();
}

const char* LayoutName(Layout layout) { return ReaderOf(layout).name; }

Status ParseLayoutName(const std::string& text, std::optional<Layout>* out) {
  if (text == "auto") {
    *out = std::nullopt;
    return Status::OK();
  }
  std::string known = "auto";
  for (const LayoutReader* r : kReaders) {
    if (text == r->name) {
      *out = r->layout;
      return Status::OK();
    }
    known += std::string(", ") + r->name;
  }
  return Status::InvalidInput("--format: unknown layout '" + text + "' (known: " + known + ")");
}

ToolSettings SettingsOf(Layout layout) {
  ToolSettings s;
  s.sqlite_foreign_keys = layout == Layout::kRehearse;
  return s;
}

std::unique_ptr<MigrationSource> NewLayoutSource(Layout layout, const std::string& dir) {
  return std::make_unique<LayoutSource>(ReaderOf(layout), dir);
}

Status DetectLayout(const std::string& dir, Layout* out) {
  if (!IsDirectory(dir)) {
    return Status::InvalidInput(IsRegularFile(dir) ? "migrations folder is not a directory"
                                                   : "migrations folder does not exist")
        .At(dir, 0);
  }
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<const LayoutReader*> claimed;
  for (const LayoutReader* r : kReaders)
    if (r->claims(dir, entries)) claimed.push_back(r);
  if (claimed.size() == 1) {
    *out = claimed[0]->layout;
    return Status::OK();
  }
  if (claimed.empty()) {
    std::string tried;
    for (const LayoutReader* r : kReaders)
      tried += std::string("\n  ") + r->name + ": " + r->expects;
    return Status::InvalidInput("no migration layout matches this folder; tried:" + tried)
        .At(dir, 0);
  }
  std::string names;
  for (const LayoutReader* r : claimed)
    names += std::string(names.empty() ? "" : " and ") + r->name;
  return Status::InvalidInput("the folder matches more than one layout (" + names +
                              "); choose one with --format")
      .At(dir, 0);
}

Status ReadMigrationFolder(const std::string& dir, const MigrationFolderOptions& options,
                           MigrationFolder* out) {
  Layout layout = Layout::kRehearse;
  if (options.format) {
    layout = *options.format;
    if (!IsDirectory(dir)) return DetectLayout(dir, &layout);  // the same message
  } else {
    REHEARSE_RETURN_IF_ERROR(DetectLayout(dir, &layout));
  }
  MigrationFolder folder;
  folder.layout = layout;
  folder.settings = SettingsOf(layout);
  if (layout == Layout::kRehearse) {
    FolderMigrationSourceOptions o;
    o.gaps = options.gaps;
    REHEARSE_RETURN_IF_ERROR(FolderMigrationSource(dir, o).Load(&folder.migrations));
  } else {
    REHEARSE_RETURN_IF_ERROR(NewLayoutSource(layout, dir)->Load(&folder.migrations));
  }
  if (options.privileged)
    for (Migration& m : folder.migrations) m.privileged = true;
  std::vector<std::pair<std::string, std::string>> declared;
  REHEARSE_RETURN_IF_ERROR(DeclaredIrreversible(dir, options, &declared));
  for (const auto& [version, from] : declared) {
    bool found = false;
    for (Migration& m : folder.migrations) {
      if (!NamesMigration(version, m)) continue;
      m.irreversible = "declared irreversible (" + from + ")";
      found = true;
    }
    if (!found)
      return Status::InvalidInput(from + " names " + version + ", which is not a migration of " +
                                  dir);
  }
  *out = std::move(folder);
  return Status::OK();
}

}  // namespace rehearse
