// rehearse list: what Rehearse reads in a migrations folder — its layout,
// how that layout's tool runs it, and every migration in the order the tool
// runs them — without touching a database. The first thing to try on a new
// repository.
#include <cstdio>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/migrate/layouts/layout.h"

namespace rehearse {

namespace {

std::string Notes(const Migration& m) {
  std::string notes;
  auto add = [&](const std::string& n) { notes += (notes.empty() ? "" : "; ") + n; };
  if (!m.not_rehearsable.empty())
    add("not rehearsable (code migration: " + m.not_rehearsable + ")");
  if (!m.postgres.available && m.sqlite.available) add("sqlite only");
  if (m.postgres.available && !m.sqlite.available) add("postgres only");
  if (!m.transactional) add("outside a transaction");
  if (m.privileged) add("privileged: runs as the superuser");
  if (!m.irreversible.empty()) add("irreversible: " + m.irreversible);
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    if (!m.available(d) || !m.For(d).down.DoesNothing()) continue;
    add(std::string(m.For(d).down.present() ? "empty down" : "no down") + " (" + DialectName(d) +
        ")");
  }
  return notes;
}

}  // namespace

int RunListCommand(const std::vector<std::string>& words) {
  Arguments args;
  Status s = Arguments::Parse(words, {"--migrations", "--format", "--irreversible"},
                              {"--privileged"}, &args);
  if (s.ok() && !args.Has("--migrations")) s = Status::InvalidInput("--migrations DIR is required");
  MigrationFolderOptions options;
  if (s.ok() && args.Has("--format")) s = ParseLayoutName(args.Get("--format"), &options.format);
  if (s.ok() && args.Has("--irreversible"))
    s = SplitVersionList("--irreversible", args.Get("--irreversible"), &options.irreversible);
  options.privileged = args.Has("--privileged");
  MigrationFolder folder;
  if (s.ok()) s = ReadMigrationFolder(args.Get("--migrations"), options, &folder);
  if (!s.ok()) return ReportFailure("list", s);
  std::printf("layout %s, SQLite foreign_keys %s, %zu migration(s)\n", LayoutName(folder.layout),
              folder.settings.sqlite_foreign_keys ? "on" : "off", folder.migrations.size());
  for (const Migration& m : folder.migrations) {
    const std::string notes = Notes(m);
    std::printf("%s%s%s\n", m.label().c_str(), notes.empty() ? "" : "  # ", notes.c_str());
  }
  return kExitPass;
}

}  // namespace rehearse
