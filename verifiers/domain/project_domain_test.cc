// ProjectDomain: the registry of its checks is the README's table and names,
// for each check, the negative scenario that really expects it to fail.
#include "verifiers/domain/project_domain.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/runner/scenario.h"

namespace rehearse {
namespace {

const std::string kRoot = REHEARSE_REPO_ROOT;

// Every check of `registry` whose known-bad cases are negative scenarios is
// the expect.fail of each of them; "" when so, else what is wrong.
std::string KnownBadMismatches(const CheckRegistry& registry,
                               const std::vector<Scenario>& scenarios) {
  std::string out;
  for (const CheckInfo& c : registry.all()) {
    if (!c.known_bad.starts_with("negative_")) continue;
    for (std::string_view rest = c.known_bad; !rest.empty();) {
      const size_t comma = rest.find(", ");
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
      const Scenario* found = nullptr;
      for (const Scenario& s : scenarios)
        if (s.name == name) found = &s;
      if (!found)
        out += std::string(c.name) + ": no scenario " + name + "\n";
      else if (found->expect_fail_check != c.name)
        out += std::string(c.name) + ": " + name + " expects " + found->expect_fail_check + "\n";
    }
  }
  for (const Scenario& s : scenarios)
    if (!s.expect_fail_check.empty() && !registry.Has(s.expect_fail_check))
      out += s.name + " expects an unknown check " + s.expect_fail_check + "\n";
  return out;
}

class ProjectDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = ProjectDomain::Make(kRoot + "/migrations", &domain_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = LoadScenarios(kRoot + "/scenarios", kRoot, &scenarios_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::unique_ptr<ProjectDomain> domain_;
  std::vector<Scenario> scenarios_;
};

TEST_F(ProjectDomainTest, EveryKnownBadScenarioExpectsItsCheckToFail) {
  EXPECT_EQ(KnownBadMismatches(domain_->checks(), scenarios_), "");
}

TEST_F(ProjectDomainTest, ARegistryNamingTheWrongScenarioIsCaught) {
  const CheckRegistry wrong(
      {{"one_front_desk_per_org", CheckKind::kDomain, "x", "negative_failing_up"},
       {"forward_applies", CheckKind::kFlow, "x", "negative_missing"}});
  const std::string found = KnownBadMismatches(wrong, scenarios_);
  EXPECT_NE(found.find("one_front_desk_per_org: negative_failing_up expects forward_applies"),
            std::string::npos)
      << found;
  EXPECT_NE(found.find("forward_applies: no scenario negative_missing"), std::string::npos)
      << found;
  EXPECT_NE(found.find("expects an unknown check rollback_identical"), std::string::npos) << found;
}

TEST_F(ProjectDomainTest, TheReadmeTableIsTheRegistrys) {
  std::ifstream in(kRoot + "/README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  const std::string table = RenderInvariantTable(domain_->checks());
  EXPECT_NE(readme.str().find(table), std::string::npos)
      << "README.md's invariant table should read:\n"
      << table;
}

TEST_F(ProjectDomainTest, OwnsItsFolderHoweverSpelledAndNoOther) {
  EXPECT_TRUE(domain_->Owns(kRoot + "/migrations/"));
  EXPECT_TRUE(domain_->Owns(kRoot + "/scenarios/../migrations"));
  EXPECT_FALSE(domain_->Owns(kRoot + "/scenarios"));
  EXPECT_NE(domain_->data_migrations(), nullptr);
  EXPECT_TRUE(domain_->checks().Has("dialect_parity"));
  EXPECT_TRUE(domain_->checks().Has("no_overdue_flood"));
}

}  // namespace
}  // namespace rehearse
