// GenericDomain: another project's folder gets the schema-driven filler or
// none, and a scenario asking for the domain's fill or observers is refused.
#include "harness/runner/generic_domain.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

TEST(GenericDomainTest, SchemaFillBeforeEachTargetAndNoneAreGiven) {
  GenericDomain domain;
  FillPlan plan;
  ASSERT_TRUE(domain.PlanFill({Scenario::Fill::kSchema, 3, 2}, &plan).ok());
  EXPECT_TRUE(plan.fill);
  EXPECT_EQ(plan.point, RehearsalOptions::FillPoint::kBeforeEachTarget);
  ASSERT_TRUE(domain.PlanFill({Scenario::Fill::kNone, 3, 2}, &plan).ok());
  EXPECT_FALSE(plan.fill);
  EXPECT_EQ(domain.data_migrations(), nullptr);
  EXPECT_TRUE(domain.checks().Has("rollback_identical"));
  EXPECT_FALSE(domain.checks().Has("no_overdue_flood"));
}

TEST(GenericDomainTest, TheDomainFillIsRefused) {
  FillPlan plan;
  Status s = GenericDomain().PlanFill({Scenario::Fill::kDomain, 1, 1}, &plan);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
}

TEST(GenericDomainTest, WorkloadsOrVerifiersNeedTheDomainFill) {
  Scenario s;
  s.path = "scenarios/x.json";
  std::unique_ptr<MigrationObserver> observer;
  EXPECT_TRUE(GenericDomain().MakeObserver(s, &observer).ok());
  EXPECT_EQ(observer, nullptr);
  s.workloads = {"restart_recovery_without_exclusion"};
  Status st = GenericDomain().MakeObserver(s, &observer);
  EXPECT_EQ(st.code(), Status::Code::kInvalidInput);
  EXPECT_NE(st.ToString().find("scenarios/x.json: field \"workloads\" needs \"fill\": \"domain\""),
            std::string::npos)
      << st.ToString();
}

}  // namespace
}  // namespace rehearse
