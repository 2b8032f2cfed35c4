// The canonical copy table as shipped, its validation, and the overwrite
// plan's rules (matching, remapping current_step, no retro-insertion) on
// the legacy step layouts the fixtures generate — no database needed.
#include "migrations/code/sequence_overwrite.h"

#include <gtest/gtest.h>

#include "fixtures/domain/outreach_plan.h"
#include "fixtures/fixture_time.h"
#include "migrations/code/canonical_sequences.h"
#include "migrations/code/stored_values.h"

namespace rehearse {
namespace {

const std::string kCanonicalPath =
    std::string(REHEARSE_MIGRATIONS_DIR) + "/0003_default_sequence_messaging/canonical_steps.json";

const std::vector<CanonicalSequence>& Shipped() {
  static const std::vector<CanonicalSequence> kShipped = [] {
    std::vector<CanonicalSequence> out;
    Status s = LoadCanonicalSequences(kCanonicalPath, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }();
  return kShipped;
}

const CanonicalSequence& ShippedNamed(const std::string& name) {
  for (const CanonicalSequence& c : Shipped())
    if (c.name == name) return c;
  ADD_FAILURE() << "no canonical sequence " << name;
  return Shipped().front();
}

ExistingStep Legacy(int64_t id, int order, int day, int minute, const char* channel) {
  ExistingStep e;
  e.id = id;
  e.step_order = order;
  e.key = {day, minute, channel};
  e.message_template = Value::Text("legacy copy");
  return e;
}

// The legacy layouts of fixtures/outreach_plan.cc, in their step_order.
std::vector<ExistingStep> LegacyNoResponse() {
  return {Legacy(1, 1, 2, 0, "email"), Legacy(2, 2, 2, 30, "sms"), Legacy(3, 3, 5, 0, "email"),
          Legacy(4, 4, 7, 0, "email"), Legacy(5, 5, 7, 60, "linkedin")};
}
std::vector<ExistingStep> LegacyMeetingRequested() {
  return {Legacy(11, 1, 1, 0, "email"), Legacy(12, 2, 1, 5, "linkedin"),
          Legacy(13, 3, 1, 0, "sms"),   Legacy(14, 4, 2, 0, "email"),
          Legacy(15, 5, 5, 0, "sms"),   Legacy(16, 6, 7, 0, "email")};
}

TEST(CanonicalSequencesTest, ShippedTableCoversExactlyTheDefaultNames) {
  ASSERT_EQ(Shipped().size(), 3u);
  for (const char* name : kDefaultSequenceNames) EXPECT_EQ(ShippedNamed(name).name, name);
}

TEST(CanonicalSequencesTest, ShippedTableAddsAnEarlyStepToEverySequence) {
  for (const CanonicalSequence& seq : Shipped()) {
    ASSERT_FALSE(seq.steps.empty()) << seq.name;
    // Step 1 is new: every legacy step moves down at least one place.
    EXPECT_TRUE(seq.steps[0].replaces.empty()) << seq.name;
    for (size_t i = 0; i < seq.steps.size(); ++i) {
      EXPECT_EQ(seq.steps[i].step_order, static_cast<int>(i) + 1);
      if (i) {
        EXPECT_TRUE(seq.steps[i - 1].key < seq.steps[i].key) << seq.name;
      }
    }
  }
}

TEST(CanonicalSequencesTest, MalformedTablesAreRefusedNamingTheProblem) {
  auto parse = [](const std::string& steps) {
    std::vector<CanonicalSequence> out;
    return ParseCanonicalSequences(
        R"({"format": "rehearse.canonical_steps/1", "sequences": [{"name": "S", "steps": [)" +
            steps + "]}]}",
        "t.json", &out);
  };
  const std::string ok =
      R"({"dayOffset": 1, "minuteOffset": 0, "channel": "email", "condition": null,
          "subject": null, "messageTemplate": "x", "requiresApproval": false, "replaces": []})";
  EXPECT_TRUE(parse(ok).ok());
  Status dup = parse(ok + "," + ok);
  EXPECT_EQ(dup.code(), Status::Code::kInvalidInput);
  EXPECT_NE(dup.message().find("two steps at day 1 +0 min email"), std::string::npos)
      << dup.message();
  std::string bad_minute = ok;
  bad_minute.replace(bad_minute.find("\"minuteOffset\": 0"), 17, "\"minuteOffset\": 1440");
  EXPECT_NE(parse(bad_minute).message().find("minuteOffset"), std::string::npos);
  std::string typo = ok;
  typo.replace(typo.find("\"replaces\""), 10, "\"replace\"");
  EXPECT_NE(parse(typo).message().find("unknown key \"replace\""), std::string::npos);
  // A legacy timing equal to another step's own timing is ambiguous.
  const std::string second =
      R"({"dayOffset": 2, "minuteOffset": 0, "channel": "email", "condition": null,
          "subject": null, "messageTemplate": "y", "requiresApproval": false,
          "replaces": [{"dayOffset": 1, "minuteOffset": 0}]})";
  EXPECT_NE(parse(ok + "," + second).message().find("another step's own timing"),
            std::string::npos);
  std::vector<CanonicalSequence> out;
  EXPECT_EQ(ParseCanonicalSequences("{", "t.json", &out).code(), Status::Code::kInvalidInput);
}

TEST(SequenceOverwriteTest, LegacyStepsKeepTheirIdsAndTheNewEarlyStepIsInserted) {
  SequenceOverwrite plan(ShippedNamed("No Response Day 2/5/7"), LegacyNoResponse());
  // Each legacy step moves one place down; the new day-1 SMS takes place 1.
  for (size_t i = 0; i < plan.existing().size(); ++i) {
    EXPECT_EQ(plan.MatchOf(i), plan.existing()[i].step_order + 1);
    EXPECT_TRUE(plan.NeedsRewrite(i));
  }
  EXPECT_EQ(plan.inserted(), std::vector<int>{1});
  EXPECT_FALSE(plan.unchanged());
}

TEST(SequenceOverwriteTest, CurrentStepFollowsTheSentStepsAndNeverRetroInserts) {
  SequenceOverwrite plan(ShippedNamed("No Response Day 2/5/7"), LegacyNoResponse());
  EXPECT_EQ(plan.RemapCurrentStep(0), 0);  // nothing sent: starts with the new step 1
  EXPECT_EQ(plan.SkippedBy(0), 0);
  for (int c = 1; c <= 5; ++c) {
    EXPECT_EQ(plan.RemapCurrentStep(c), c + 1) << c;
    EXPECT_EQ(plan.SkippedBy(c), 1) << "the new step 1 is not sent to " << c;
  }
  EXPECT_EQ(plan.RemapCurrentStep(99), 6);
}

TEST(SequenceOverwriteTest, ReorderedUnsentStepIsSkippedNotTheSentOneRepeated) {
  // Meeting Requested: legacy 2 is LinkedIn (day 1 +5), legacy 3 the day-1
  // SMS (+0); sorted, the SMS comes first: 1->2, 2->4, 3->3, 4->5, 5->6, 6->7.
  SequenceOverwrite plan(ShippedNamed("Meeting Requested Day 1/2/5/7"), LegacyMeetingRequested());
  EXPECT_EQ(plan.NewOrderOf(1), 2);
  EXPECT_EQ(plan.NewOrderOf(2), 4);
  EXPECT_EQ(plan.NewOrderOf(3), 3);
  EXPECT_EQ(plan.RemapCurrentStep(1), 2);
  EXPECT_EQ(plan.RemapCurrentStep(2), 4);  // LinkedIn sent: the SMS before it is skipped
  EXPECT_EQ(plan.SkippedBy(2), 2);         // the new step 1 and the SMS
  EXPECT_EQ(plan.RemapCurrentStep(3), 4);
  EXPECT_EQ(plan.SkippedBy(3), 1);
}

TEST(SequenceOverwriteTest, WorkspaceGapsAndExtraStepsAreHandled) {
  // A workspace deleted legacy step 3 (orders 1,2,4,5) and added its own.
  std::vector<ExistingStep> steps = LegacyNoResponse();
  steps.erase(steps.begin() + 2);
  steps.push_back(Legacy(9, 6, 9, 0, "email"));
  SequenceOverwrite plan(ShippedNamed("No Response Day 2/5/7"), steps);
  EXPECT_EQ(plan.inserted(), (std::vector<int>{1, 4}));  // the early step and the dropped one
  EXPECT_EQ(plan.MatchOf(4), 0);                         // the workspace's own step is deleted
  EXPECT_EQ(plan.NewOrderOf(6), 0);
  EXPECT_EQ(plan.RemapCurrentStep(2), 3);
  // Sent through legacy 4 (day 7 email, new 5): the re-added day-5 email
  // (new 4) sits below it and is not sent.
  EXPECT_EQ(plan.RemapCurrentStep(4), 5);
  // The deleted day-9 step was sent: everything canonical up to day 9 is done.
  EXPECT_EQ(plan.RemapCurrentStep(6), 6);
}

TEST(SequenceOverwriteTest, CanonicalSequenceIsUnchangedAndRemapsToItself) {
  const CanonicalSequence& canonical = ShippedNamed("Post-Booking Qualification");
  std::vector<ExistingStep> steps;
  for (const CanonicalStep& c : canonical.steps) {
    ExistingStep e = Legacy(100 + c.step_order, c.step_order, c.key.day_offset, c.key.minute_offset,
                            c.key.channel.c_str());
    e.condition = c.condition ? Value::Text(*c.condition) : Value::Null();
    e.subject = c.subject ? Value::Text(*c.subject) : Value::Null();
    e.message_template = Value::Text(c.message_template);
    e.requires_approval = c.requires_approval;
    steps.push_back(e);
  }
  SequenceOverwrite plan(canonical, steps);
  EXPECT_TRUE(plan.unchanged());
  for (int c = 0; c <= static_cast<int>(steps.size()); ++c) {
    EXPECT_EQ(plan.RemapCurrentStep(c), c);
    EXPECT_EQ(plan.SkippedBy(c), 0);
  }
  steps[1].subject = Value::Blob("not text");  // another storage class is a difference
  EXPECT_FALSE(SequenceOverwrite(canonical, steps).unchanged());
}

TEST(StoredValuesTest, TimestampsParseExactlyTheCanonicalForm) {
  int64_t t = 0;
  ASSERT_TRUE(ParseTimestamp("2026-03-08 12:00:00+00", &t));
  EXPECT_EQ(t, UtcMicros(2026, 3, 8, 12));
  ASSERT_TRUE(ParseTimestamp("2026-03-08 07:00:00.000001+00", &t));
  EXPECT_EQ(t, UtcMicros(2026, 3, 8, 7, 0, 0, 1));
  ASSERT_TRUE(ParseTimestamp("1999-12-31 23:59:59.5+00", &t));
  EXPECT_EQ(FormatTimestamp(t), "1999-12-31 23:59:59.5+00");
  for (const char* bad :
       {"2026-03-08 12:00:00", "2026-03-08T12:00:00+00", "infinity", "2026-03-08 12:00:00+01",
        "2026-03-08 12:00:00.+00", "2026-03-08 12:00:00.1234567+00"})
    EXPECT_FALSE(ParseTimestamp(bad, &t)) << bad;
}

TEST(StoredValuesTest, ArtifactEncodingRoundTripsEveryStorageClass) {
  for (const Value& v :
       {Value::Null(), Value::Integer(-7), Value::Text(""), Value::Text("é\n"),
        Value::Text(std::string("\xff\x00z", 3)), Value::Blob("ab"), Value::Real(-0.0)}) {
    Value back;
    ASSERT_TRUE(JsonToValue(ValueToJson(v), "v", &back).ok()) << v.ToDisplay();
    EXPECT_TRUE(back == v) << v.ToDisplay() << " came back as " << back.ToDisplay();
    EXPECT_NO_THROW(ValueToJson(v).dump());  // always valid UTF-8
  }
  Value out;
  EXPECT_EQ(JsonToValue(nlohmann::json::array(), "v", &out).code(), Status::Code::kCorruption);
  EXPECT_EQ(SampleText(Value::Text("ab\xc3\xa9"
                                   "cd"),
                       3),
            "ab...");
}

}  // namespace
}  // namespace rehearse
