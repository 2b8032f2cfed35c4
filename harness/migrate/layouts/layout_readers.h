// The readers behind layout.h, one per file, as layout.cc's table sees them.
// Each file's opening comment states what its tool accepts and how it orders.
#ifndef REHEARSE_MIGRATE_LAYOUTS_LAYOUT_READERS_H_
#define REHEARSE_MIGRATE_LAYOUTS_LAYOUT_READERS_H_

#include <memory>
#include <string>
#include <vector>

#include "harness/migrate/layouts/layout.h"

namespace rehearse {

struct LayoutReader {
  Layout layout;
  const char* name;     // --format spelling
  const char* expects;  // for the message when no layout matches
  // True when DIR's entries (sorted, non-hidden) look like this layout.
  bool (*claims)(const std::string& dir, const std::vector<std::string>& entries);
  // Reads DIR's migrations in any order; LayoutSource (layout.cc) refuses an
  // empty result and sorts and checks them as every source does.
  Status (*read)(const std::string& dir, std::vector<Migration>* out);
};

// A Diesel-dated folder (or diesel_initial_setup): Rehearse's own layout
// gives way to Diesel when one is there.
bool HasDieselDatedFolder(const std::string& dir, const std::vector<std::string>& entries);

extern const LayoutReader kRehearseReader;
extern const LayoutReader kGolangMigrateReader;
extern const LayoutReader kGooseReader;
extern const LayoutReader kDbmateReader;
extern const LayoutReader kDieselReader;
extern const LayoutReader kPopReader;
extern const LayoutReader kFlywayReader;
extern const LayoutReader kSqitchReader;

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_LAYOUTS_LAYOUT_READERS_H_
