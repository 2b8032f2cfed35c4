#include "harness/db/sql_script.h"

#include <gtest/gtest.h>

#include <memory>

namespace rehearse {
namespace {

std::vector<std::string> Texts(const SqlScript& s) {
  std::vector<std::string> out;
  for (const SqlStatement& st : s.statements()) out.push_back(st.text);
  return out;
}

TEST(SqlScriptTest, SplitsOnSemicolonsAndRecordsStartingLines) {
  SqlScript s = SqlScript::Parse(
      "CREATE TABLE a (x int);\n\n-- note; not a split\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(s.statements().size(), 2u);
  EXPECT_EQ(s.statements()[0].line, 1);
  EXPECT_EQ(s.statements()[1].line, 4);
  EXPECT_EQ(s.statements()[1].text.substr(0, 6), "INSERT");
}

TEST(SqlScriptTest, SemicolonsInsideStringsIdentifiersAndCommentsDoNotSplit) {
  SqlScript s =
      SqlScript::Parse("SELECT 'a;b', \"c;d\", E'e\\';f' /* g; /* nested; */ h; */;\nSELECT 2");
  EXPECT_EQ(Texts(s).size(), 2u) << s.statements()[0].text;
  EXPECT_EQ(s.statements()[1].line, 2);
}

TEST(SqlScriptTest, DollarQuotedBodiesStayWhole) {
  SqlScript s = SqlScript::Parse(
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;\n"
      "SELECT $$;$$; SELECT $1");
  ASSERT_EQ(s.statements().size(), 3u);
  EXPECT_NE(s.statements()[0].text.find("END $body$"), std::string::npos);
}

TEST(SqlScriptTest, SqliteTriggerBodiesStayWhole) {
  SqlScript s = SqlScript::Parse(
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  "
      "SELECT CASE WHEN 1 THEN 2 END;\nEND;\nSELECT 1;");
  ASSERT_EQ(s.statements().size(), 2u);
  EXPECT_EQ(s.statements()[1].line, 5);
}

TEST(SqlScriptTest, CommentOnlyInputHasNoStatements) {
  EXPECT_TRUE(SqlScript::Parse("-- nothing\n/* here */\n ; ;").statements().empty());
}

TEST(SqlScriptTest, MissingFileIsAnIoErrorNamingThePath) {
  SqlScript s;
  Status st = SqlScript::FromFile("/nonexistent/x.sql", &s);
  EXPECT_EQ(st.code(), Status::Code::kInvalidInput);
  EXPECT_NE(st.ToString().find("/nonexistent/x.sql"), std::string::npos);
}

TEST(SqlScriptTest, StatementsAreViewsIntoOneSharedText) {
  auto text = std::make_shared<const std::string>("SELECT 1;\n  SELECT 2  ;\nSELECT 3");
  SqlScript s = SqlScript::Share(text, "f.sql");
  std::vector<std::string_view> seen;
  ASSERT_TRUE(s.ForEach([&](const SqlStatementView& st) {
                 seen.push_back(st.text);
                 return Status::OK();
               }).ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], "SELECT 2");
  EXPECT_EQ(seen[2], "SELECT 3");  // the last one needs no ';'
  for (std::string_view v : seen) {
    EXPECT_GE(v.data(), text->data());
    EXPECT_LE(v.data() + v.size(), text->data() + text->size());
  }
}

TEST(SqlScriptTest, ForEachStopsAtTheFirstError) {
  int calls = 0;
  Status st =
      SqlScript::Parse("SELECT 1; SELECT 2; SELECT 3").ForEach([&](const SqlStatementView&) {
        return ++calls == 2 ? Status::InvalidInput("stop") : Status::OK();
      });
  EXPECT_EQ(st.message(), "stop");
  EXPECT_EQ(calls, 2);
}

TEST(SqlScriptTest, UnterminatedQuotesAndCommentsEndAtTheEnd) {
  for (const char* text : {"SELECT 'abc", "SELECT \"abc", "SELECT E'\\", "SELECT $$ x",
                           "SELECT 1 /* open", "SELECT 1; -- tail"}) {
    std::vector<SqlStatement> st = SqlScript::Parse(text).statements();
    ASSERT_FALSE(st.empty()) << text;
    EXPECT_EQ(st[0].text.substr(0, 6), "SELECT") << text;
  }
}

TEST(SqlScriptTest, LinesCountAcrossStatementsStringsAndComments) {
  std::vector<SqlStatement> st =
      SqlScript::Parse("SELECT 'a\nb';\n/* c\nd */ SELECT $$\n$$;\n\nSELECT 3;").statements();
  ASSERT_EQ(st.size(), 3u);
  EXPECT_EQ(st[0].line, 1);
  EXPECT_EQ(st[1].line, 4);
  EXPECT_EQ(st[2].line, 7);
}

}  // namespace
}  // namespace rehearse
