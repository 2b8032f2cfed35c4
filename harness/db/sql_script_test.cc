#include "harness/db/sql_script.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rehearse
