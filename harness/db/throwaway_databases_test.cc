// ThrowawayDatabases::DropAllBut: a long run keeps a bounded number of
// databases, and the live ones always.
#include "harness/db/throwaway_databases.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace rehearse {
namespace {

std::vector<std::string> MakeSqlite(ThrowawayDatabases* dbs, size_t n) {
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    std::unique_ptr<Database> db;
    std::string name;
    Status s = dbs->Create(Dialect::kSqlite, &db, nullptr, "", &name);
    EXPECT_TRUE(s.ok()) << s.ToString();
    names.push_back(name);
  }
  return names;
}

TEST(ThrowawayDatabasesTest, DropsAllButTheLiveOnesOnceMoreThanTheBoundAreAlive) {
  ThrowawayDatabases dbs;
  const size_t n = ThrowawayDatabases::kMaxRetained + 2;
  std::vector<std::string> names = MakeSqlite(&dbs, n);
  for (const std::string& name : names) ASSERT_TRUE(std::filesystem::exists(name)) << name;
  ASSERT_TRUE(dbs.DropAllBut({names[1], names[n - 1]}).ok());
  for (size_t i = 0; i < n; ++i)
    EXPECT_EQ(std::filesystem::exists(names[i]), i == 1 || i == n - 1) << names[i];
}

TEST(ThrowawayDatabasesTest, KeepsEverythingUpToTheBound) {
  ThrowawayDatabases dbs;
  std::vector<std::string> names = MakeSqlite(&dbs, ThrowawayDatabases::kMaxRetained);
  ASSERT_TRUE(dbs.DropAllBut({}).ok());
  for (const std::string& name : names) EXPECT_TRUE(std::filesystem::exists(name)) << name;
}

}  // namespace
}  // namespace rehearse
