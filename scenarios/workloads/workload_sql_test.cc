// WorkloadSql's placeholder rewriting and field readers (no database).
#include "scenarios/workloads/workload_sql.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

TEST(WorkloadSqlTest, PlaceholdersAreRewrittenForPostgresOutsideQuotesOnly) {
  const char* sql = "SELECT ?1, '?2', \"?3\", ?12 FROM t WHERE a = ?2";
  EXPECT_EQ(WorkloadSql::ForDialect(sql, Dialect::kPostgres),
            "SELECT $1, '?2', \"?3\", $12 FROM t WHERE a = $2");
  EXPECT_EQ(WorkloadSql::ForDialect(sql, Dialect::kSqlite), sql);
}

TEST(WorkloadSqlTest, FieldsReadTheSameFromEitherDialect) {
  EXPECT_EQ(FieldInt(Value::Integer(42)), 42);
  EXPECT_EQ(FieldInt(Value::Text("42")), 42);
  EXPECT_EQ(FieldInt(Value::Text("-4611686018427387904")), -4611686018427387904LL);
  EXPECT_EQ(FieldInt(Value::Null()), 0);
  EXPECT_TRUE(FieldBool(Value::Text("t")));
  EXPECT_FALSE(FieldBool(Value::Text("f")));
  EXPECT_TRUE(FieldBool(Value::Integer(1)));
  EXPECT_FALSE(FieldBool(Value::Integer(0)));
  EXPECT_EQ(FieldText(Value::Null()), "");
  EXPECT_FALSE(FieldOptText(Value::Null()).has_value());
  EXPECT_EQ(FieldOptText(Value::Text("")).value_or("x"), "");  // '' is not NULL
}

}  // namespace
}  // namespace rehearse
