// Seed 000's promises, checked by SQL on the database before and after
// migration 0003 (two clones of one fixture), on both engines at two seeds:
// no retro-inserted step, current_step remapped, paused stays paused,
// completed tasks untouched, pending tasks re-rendered, no overdue flood.
#include <gtest/gtest.h>

#include "fixtures/domain/outreach_plan.h"
#include "fixtures/fixture_time.h"
#include "migrations/code/canonical_sequences.h"
#include "migrations/code/migration_test_support.h"
#include "migrations/code/stored_values.h"

namespace rehearse {
namespace {

using namespace migration_test;

const std::string kDefault =
    "s.name IN ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', "
    "'Post-Booking Qualification')";

struct StepRow {
  int64_t sequence_id;
  int step_order;
};

class DefaultSequenceDomainTest : public ::testing::TestWithParam<Engine> {
 protected:
  static Databases& D() { return Databases::Get(); }

  void SetUp() override {
    std::string name;
    ASSERT_OK(D().Clone(GetParam(), &before_, &name));
    ASSERT_OK(D().Clone(GetParam(), &after_, &name));
    MigrationReport report;
    ASSERT_OK(Migrator(after_.get(), D().migrations(), D().Options(name))
                  .Up(MigrationRange::Only(Version("0003")), &report));
    ASSERT_OK(LoadCanonicalSequences(std::string(REHEARSE_MIGRATIONS_DIR) +
                                         "/0003_default_sequence_messaging/" + kCanonicalStepsFile,
                                     &canonical_));
  }

  Status Steps(Database* db, std::map<int64_t, StepRow>* out) {
    std::vector<Row> rows;
    REHEARSE_RETURN_IF_ERROR(Query(db,
                                   "SELECT st.id, st.sequence_id, st.step_order FROM "
                                   "follow_up_steps st JOIN follow_up_sequences s ON "
                                   "s.id = st.sequence_id WHERE " +
                                       kDefault,
                                   &rows));
    for (const Row& r : rows) (*out)[Int(r[0])] = {Int(r[1]), static_cast<int>(Int(r[2]))};
    return Status::OK();
  }

  const CanonicalSequence& CanonicalNamed(const std::string& name) {
    for (const CanonicalSequence& c : canonical_)
      if (c.name == name) return c;
    ADD_FAILURE() << name;
    return canonical_.front();
  }

  std::unique_ptr<Database> before_, after_;
  std::vector<CanonicalSequence> canonical_;
};

TEST_P(DefaultSequenceDomainTest, CurrentStepFollowsTheSentStepsAndNoNewStepIsRetroInserted) {
  std::map<int64_t, StepRow> old_steps, new_steps;
  ASSERT_OK(Steps(before_.get(), &old_steps));
  ASSERT_OK(Steps(after_.get(), &new_steps));
  const std::string instances =
      "SELECT i.id, i.sequence_id, i.current_step FROM follow_up_instances i JOIN "
      "follow_up_sequences s ON s.id = i.sequence_id WHERE " +
      kDefault + " AND i.status IN ('active', 'paused') ORDER BY i.id";
  std::vector<Row> old_rows, new_rows;
  ASSERT_OK(Query(before_.get(), instances, &old_rows));
  ASSERT_OK(Query(after_.get(), instances, &new_rows));
  ASSERT_EQ(old_rows.size(), new_rows.size());

  int remapped = 0, past_a_new_step = 0;
  for (size_t k = 0; k < old_rows.size(); ++k) {
    const int64_t id = Int(old_rows[k][0]), sequence = Int(old_rows[k][1]);
    const int64_t was = Int(old_rows[k][2]), now = Int(new_rows[k][2]);
    // The steps it sent, followed by id to where they are now.
    int last_sent = 0;
    for (const auto& [step_id, step] : old_steps) {
      if (step.sequence_id != sequence || step.step_order > was) continue;
      ASSERT_TRUE(new_steps.count(step_id)) << "sent step " << step_id << " was deleted";
      last_sent = std::max(last_sent, new_steps[step_id].step_order);
    }
    EXPECT_EQ(now, last_sent) << "instance " << id << " was at " << was;
    remapped += now != was;
    // Every step that is new to the sequence and sits before the last step
    // sent must count as done: the instance is never made to send it.
    for (const auto& [step_id, step] : new_steps) {
      if (step.sequence_id != sequence || old_steps.count(step_id)) continue;
      if (step.step_order < last_sent) {
        ++past_a_new_step;
        EXPECT_LE(step.step_order, now) << "instance " << id << " would be sent new step "
                                        << step_id << " at " << step.step_order;
      }
    }
  }
  EXPECT_GT(remapped, 0) << "no instance needed remapping: the check proves nothing";
  EXPECT_GT(past_a_new_step, 0) << "no instance was past a new step: the check proves nothing";

  // Completed and cancelled instances are history.
  std::map<std::string, std::string> closed_before, closed_after;
  const std::string closed =
      "SELECT * FROM follow_up_instances WHERE status NOT IN "
      "('active', 'paused') ORDER BY id";
  ASSERT_OK(RowsById(before_.get(), closed, &closed_before));
  ASSERT_OK(RowsById(after_.get(), closed, &closed_after));
  EXPECT_EQ(closed_after, closed_before);
}

TEST_P(DefaultSequenceDomainTest, PausedInstancesStayPausedWithTheirReason) {
  const std::string sql = "SELECT id, status, paused_reason FROM follow_up_instances ORDER BY id";
  std::map<std::string, std::string> before, after;
  ASSERT_OK(RowsById(before_.get(), sql, &before));
  ASSERT_OK(RowsById(after_.get(), sql, &after));
  EXPECT_EQ(after, before);
  std::vector<Row> reasons;
  ASSERT_OK(Query(after_.get(),
                  "SELECT DISTINCT i.paused_reason FROM follow_up_instances i JOIN "
                  "follow_up_sequences s ON s.id = i.sequence_id WHERE " +
                      kDefault +
                      " AND i.status = 'paused' AND i.paused_reason IN "
                      "('awaiting_approval', 'linkedin_unreachable')",
                  &reasons));
  EXPECT_EQ(reasons.size(), 2u) << "the fixture lacks a non-scheduling pause reason";
}

TEST_P(DefaultSequenceDomainTest, OnlyPendingTasksOfDefaultSequencesChange) {
  const std::string untouched =
      "SELECT t.* FROM follow_up_tasks t LEFT JOIN follow_up_instances i ON i.id = t.instance_id "
      "LEFT JOIN follow_up_sequences s ON s.id = i.sequence_id WHERE t.status <> 'pending' OR "
      "s.id IS NULL OR NOT (" +
      kDefault + ") ORDER BY t.id";
  std::map<std::string, std::string> before, after;
  ASSERT_OK(RowsById(before_.get(), untouched, &before));
  ASSERT_OK(RowsById(after_.get(), untouched, &after));
  EXPECT_EQ(after, before);
  std::vector<Row> completed;
  ASSERT_OK(
      Query(after_.get(), "SELECT id FROM follow_up_tasks WHERE status = 'completed'", &completed));
  EXPECT_FALSE(completed.empty());
}

TEST_P(DefaultSequenceDomainTest, PendingTasksAreReRenderedFromTheirStepWithPlaceholders) {
  std::map<int64_t, StepRow> old_steps, new_steps;
  ASSERT_OK(Steps(before_.get(), &old_steps));
  ASSERT_OK(Steps(after_.get(), &new_steps));
  const std::string sql =
      "SELECT t.id, t.step_order, t.subject, t.suggested_message, s.id, s.name, l.first_name, "
      "l.last_name, l.company, w.company_name, w.sender_name, w.calendar_link "
      "FROM follow_up_tasks t JOIN follow_up_instances i ON i.id = t.instance_id "
      "JOIN follow_up_sequences s ON s.id = i.sequence_id JOIN leads l ON l.id = t.lead_id "
      "JOIN workspaces w ON w.id = s.workspace_id WHERE t.status = 'pending' AND " +
      kDefault + " ORDER BY t.id";
  std::vector<Row> old_rows, new_rows;
  ASSERT_OK(Query(before_.get(), sql, &old_rows));
  ASSERT_OK(Query(after_.get(), sql, &new_rows));
  ASSERT_EQ(old_rows.size(), new_rows.size());
  ASSERT_FALSE(new_rows.empty()) << "no pending task to re-render";
  int with_lead_name = 0;
  for (size_t k = 0; k < new_rows.size(); ++k) {
    const Row& row = new_rows[k];
    const int64_t sequence = Int(row[4]);
    // The step the task was for, followed by id.
    int64_t step_id = 0;
    for (const auto& [id, step] : old_steps)
      if (step.sequence_id == sequence && step.step_order == Int(old_rows[k][1])) step_id = id;
    ASSERT_NE(step_id, 0) << "task " << row[0].ToText();
    const int order = new_steps.at(step_id).step_order;
    EXPECT_EQ(Int(row[1]), order) << "task " << row[0].ToText();
    const CanonicalStep& step = *CanonicalNamed(row[5].bytes).At(order);
    LeadFacts lead;
    lead.first_name = StoredText(row[6]);
    lead.last_name = StoredText(row[7]);
    lead.company = StoredText(row[8]);
    WorkspaceSettings workspace;
    workspace.company_name = StoredText(row[9]);
    workspace.sender_name = StoredText(row[10]);
    workspace.calendar_link = StoredText(row[11]);
    EXPECT_EQ(row[3].bytes, RenderFollowUpTemplate(step.message_template, lead, workspace));
    if (step.key.channel == "email" && step.subject) {
      EXPECT_EQ(row[2].bytes, RenderFollowUpTemplate(*step.subject, lead, workspace));
    } else {
      EXPECT_TRUE(row[2].is_null()) << row[2].ToDisplay();
    }
    if (lead.first_name && !lead.first_name->empty() &&
        row[3].bytes.find(*lead.first_name) != std::string::npos)
      ++with_lead_name;
  }
  EXPECT_GT(with_lead_name, 0) << "no message carries its lead's name";
}

TEST_P(DefaultSequenceDomainTest, OnlyGenuinelyOverdueInstancesAreDueNow) {
  std::vector<Row> rows;
  ASSERT_OK(Query(after_.get(),
                  "SELECT i.id, i.started_at, i.next_step_due, n.day_offset, n.minute_offset "
                  "FROM follow_up_instances i JOIN follow_up_sequences s ON s.id = i.sequence_id "
                  "LEFT JOIN follow_up_steps n ON n.sequence_id = i.sequence_id AND "
                  "n.step_order = i.current_step + 1 WHERE " +
                      kDefault + " AND i.status IN ('active', 'paused') ORDER BY i.id",
                  &rows));
  int due_now = 0, overdue = 0, future = 0;
  for (const Row& r : rows) {
    if (r[3].is_null()) {
      EXPECT_TRUE(r[2].is_null()) << "instance " << r[0].ToText() << " has no step left";
      continue;
    }
    int64_t started = 0, due = 0;
    ASSERT_TRUE(ParseTimestamp(r[1].bytes, &started));
    ASSERT_TRUE(ParseTimestamp(r[2].bytes, &due)) << r[2].ToDisplay();
    const int64_t at = started + (Int(r[3]) * 1440 + Int(r[4])) * kMicrosPerMinute;
    EXPECT_EQ(due, std::max(at, kFixtureNow)) << "instance " << r[0].ToText();
    due_now += due == kFixtureNow;
    overdue += at <= kFixtureNow;
    future += at > kFixtureNow;
  }
  EXPECT_EQ(due_now, overdue);
  EXPECT_GT(future, 0) << "every instance is due now: an overdue flood";
  EXPECT_GT(overdue, 0) << "nothing overdue: the check proves nothing";
}

INSTANTIATE_TEST_SUITE_P(Engines, DefaultSequenceDomainTest,
                         ::testing::Values(Engine{Dialect::kSqlite, 1}, Engine{Dialect::kSqlite, 7},
                                           Engine{Dialect::kPostgres, 1},
                                           Engine{Dialect::kPostgres, 7}),
                         EngineName);

}  // namespace
}  // namespace rehearse
