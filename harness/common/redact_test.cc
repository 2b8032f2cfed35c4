#include "harness/common/redact.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

TEST(RedactSecretsTest, UriPasswordIsReplaced) {
  EXPECT_EQ(RedactSecrets("postgresql://u:S3CRET@db.example:5432/app"),
            "postgresql://u:***@db.example:5432/app");
  EXPECT_EQ(RedactSecrets("snapshot of postgres://admin:p%40ss@h/db done"),
            "snapshot of postgres://admin:***@h/db done");
  EXPECT_EQ(RedactSecrets("POSTGRESQL://u:x@h"), "POSTGRESQL://u:***@h");
}

TEST(RedactSecretsTest, UriUserInfoEndsAtTheLastAt) {
  // libpq takes the last '@' of the authority: the password may hold '@'.
  EXPECT_EQ(RedactSecrets("postgresql://u:a@b:c@h/db"), "postgresql://u:***@h/db");
}

TEST(RedactSecretsTest, UriWithoutPasswordIsUnchanged) {
  for (const char* s : {"postgresql://u@h/db", "postgresql:///db?host=/tmp", "postgres://h",
                        "postgresql://u:@h/db"})
    EXPECT_EQ(RedactSecrets(s), s);
}

TEST(RedactSecretsTest, UriQueryPasswordIsReplaced) {
  EXPECT_EQ(RedactSecrets("postgresql://h/db?user=u&password=S3CRET&sslmode=off"),
            "postgresql://h/db?user=u&password=***&sslmode=off");
  EXPECT_EQ(RedactSecrets("postgresql:///db?password=S3CRET"), "postgresql:///db?password=***");
}

TEST(RedactSecretsTest, KeyValuePasswordIsReplaced) {
  EXPECT_EQ(RedactSecrets("host=/tmp dbname=app password=S3CRET user=u"),
            "host=/tmp dbname=app password=*** user=u");
  EXPECT_EQ(RedactSecrets("host=h PASSWORD = S3CRET"), "host=h PASSWORD = ***");
  EXPECT_EQ(RedactSecrets("password='S3 C\\'RET' user=u"), "password='***' user=u");
  EXPECT_EQ(RedactSecrets("password=''"), "password=''");
  EXPECT_EQ(RedactSecrets("password='unterminated"), "password='***");
}

TEST(RedactSecretsTest, KeyValuePasswordWithAmpersandIsReplacedWhole) {
  // Outside a URI '&' is part of the value.
  EXPECT_EQ(RedactSecrets("password=a&b user=u"), "password=*** user=u");
}

TEST(RedactSecretsTest, OtherTextIsUnchanged) {
  for (const char* s : {"", "no secrets here", "my_password=x", "password is wrong", "passwords=1",
                        "rehearse migrate: --database a.db: not found"})
    EXPECT_EQ(RedactSecrets(s), s);
}

TEST(RedactSecretsTest, SeveralInOneText) {
  EXPECT_EQ(RedactSecrets("postgresql://a:1@h and password=2\npostgres://b:3@h"),
            "postgresql://a:***@h and password=***\npostgres://b:***@h");
}

}  // namespace
}  // namespace rehearse
