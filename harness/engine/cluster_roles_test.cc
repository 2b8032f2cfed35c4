// Least privilege and isolation of throwaway clusters (cluster_roles.h):
// another run's cluster cannot be reached without its own password, whoever
// asks, and the role migrations run as cannot reach outside its database.
#include "harness/engine/cluster_roles.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "gtest/gtest.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/postgres_cluster.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/server_user.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

// The first value of `sql`'s first row; "ERROR <sqlstate>: ..." when it
// fails, "CONNECT: ..." when the connection is refused.
std::string QueryOne(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string error = std::string("CONNECT: ") + PQerrorMessage(conn);
    PQfinish(conn);
    return error;
  }
  PGresult* result = PQexec(conn, sql.c_str());
  std::string value;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
    value = PQgetvalue(result, 0, 0);
  } else if (PQresultStatus(result) != PGRES_COMMAND_OK &&
             PQresultStatus(result) != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    value = std::string("ERROR ") + (state ? state : "?") + ": " + PQerrorMessage(conn);
  }
  PQclear(result);
  PQfinish(conn);
  return value;
}

std::string PasswordOf(const std::string& conninfo) {
  std::string rest, password;
  SplitConninfoPassword(conninfo, &rest, &password);
  return password;
}

// `conninfo` with its password replaced by `password` ("" drops it).
std::string WithPassword(const std::string& conninfo, const std::string& password) {
  std::string rest, ignored;
  SplitConninfoPassword(conninfo, &rest, &ignored);
  return password.empty() ? rest : rest + " password=" + ConninfoValue(password);
}

bool Refused(const std::string& answer) { return answer.rfind("CONNECT: ", 0) == 0; }

class ClusterRolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    boot_a_ = PostgresCluster::Boot({}, &a_);
    if (boot_a_.ok()) boot_b_ = PostgresCluster::Boot({}, &b_);
    if (boot_b_.ok()) boot_b_ = b_->CreateDatabase("victim");
  }
  static void TearDownTestSuite() {
    a_.reset();
    b_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(boot_a_.ok()) << boot_a_.ToString();
    ASSERT_TRUE(boot_b_.ok()) << boot_b_.ToString();
  }

  static std::unique_ptr<PostgresCluster> a_, b_;
  static Status boot_a_, boot_b_;
};

std::unique_ptr<PostgresCluster> ClusterRolesTest::a_;
std::unique_ptr<PostgresCluster> ClusterRolesTest::b_;
Status ClusterRolesTest::boot_a_;
Status ClusterRolesTest::boot_b_;

TEST_F(ClusterRolesTest, EachClusterHasItsOwnPasswords) {
  const std::string a_super = PasswordOf(a_->ConnectionString());
  const std::string a_owner = PasswordOf(a_->OwnerConnectionString("postgres"));
  ASSERT_EQ(a_super.size(), 64u);
  ASSERT_EQ(a_owner.size(), 64u);
  EXPECT_NE(a_super, a_owner);
  // Both were copied from the same cached initdb, and share nothing.
  EXPECT_NE(a_super, PasswordOf(b_->ConnectionString()));
  EXPECT_NE(a_owner, PasswordOf(b_->OwnerConnectionString("postgres")));
  EXPECT_EQ(QueryOne(b_->ConnectionString("victim"), "SELECT current_user"), "rehearse");
  EXPECT_EQ(QueryOne(b_->OwnerConnectionString("victim"), "SELECT current_user"), "rehearse_owner");
}

TEST_F(ClusterRolesTest, AnotherClustersSocketRefusesThisClustersPasswordsAndNone) {
  // What a migration in run A knows is at most A's secrets and B's socket
  // path (it is in `ps`); neither gets it into B.
  const std::string b_super = b_->ConnectionString("victim");
  const std::string b_owner = b_->OwnerConnectionString("victim");
  for (const std::string& into : {b_super, b_owner}) {
    for (const std::string& password :
         {PasswordOf(a_->ConnectionString()), PasswordOf(a_->OwnerConnectionString("postgres")),
          std::string()}) {
      std::string answer = QueryOne(WithPassword(into, password), "SELECT 1");
      EXPECT_TRUE(Refused(answer)) << answer;
      EXPECT_TRUE(answer.find("password") != std::string::npos) << answer;
    }
  }
  // Nor as the other role of the same cluster with the owner's password.
  EXPECT_TRUE(Refused(QueryOne(WithPassword(b_super, PasswordOf(b_owner)), "SELECT 1")));
}

// psql as the server's own OS user, the user a privileged migration's
// programs would run as: no password, no connection.
TEST_F(ClusterRolesTest, PsqlWithoutAPasswordIsRefusedEvenAsTheServerUser) {
  PostgresInstallation installation;
  ASSERT_TRUE(PostgresInstallation::Find("", &installation).ok());
  ServerUser user;
  ASSERT_TRUE(ServerUser::Choose(&user).ok());
  for (const char* role : {"rehearse", "rehearse_owner"}) {
    SubprocessOptions options;
    options.argv = {installation.Program("psql"),
                    "-w",
                    "-X",
                    "-h",
                    b_->socket_dir(),
                    "-U",
                    role,
                    "-d",
                    "victim",
                    "-c",
                    "SELECT 1"};
    options.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C"};
    if (user.is_other_user) {
      options.uid = user.uid;
      options.gid = user.gid;
    }
    options.stdout_target = OutputTarget::Capture();
    options.stderr_target = OutputTarget::Capture();
    options.timeout = std::chrono::milliseconds(30000);
    SubprocessResult result;
    ASSERT_TRUE(RunToCompletion(options, &result).ok());
    EXPECT_FALSE(result.succeeded()) << result.stdout_text;
    EXPECT_NE(result.stderr_text.find("password"), std::string::npos) << result.stderr_text;
  }
}

TEST_F(ClusterRolesTest, PasswordsAreInNoFileAndNoCommandLine) {
  const std::string secrets[] = {PasswordOf(b_->ConnectionString()),
                                 PasswordOf(b_->OwnerConnectionString("victim"))};
  std::ifstream cmdline("/proc/" + std::to_string(b_->server_pid()) + "/cmdline");
  std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(args.empty());
  for (const std::string& secret : secrets) EXPECT_EQ(args.find(secret), std::string::npos);
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(b_->dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& secret : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path();
    }
    ++files;
  }
  EXPECT_GT(files, 100);
}

TEST_F(ClusterRolesTest, TheOwnerRoleOwnsDatabasesWithoutSuperuser) {
  const std::string owner = b_->OwnerConnectionString("victim");
  EXPECT_EQ(QueryOne(owner, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"),
            "false");
  EXPECT_EQ(QueryOne(owner,
                     "SELECT pg_get_userbyid(datdba) FROM pg_database "
                     "WHERE datname = current_database()"),
            "rehearse_owner");
  EXPECT_EQ(QueryOne(owner, "CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY)"), "");
  // RESET ROLE gives nothing back: the session began as the owner.
  EXPECT_EQ(QueryOne(owner, "RESET ROLE; SELECT current_user"), "rehearse_owner");
}

TEST_F(ClusterRolesTest, TrustedExtensionsInstallAsTheOwner) {
  const std::string owner = b_->OwnerConnectionString("victim");
  for (const char* extension : {"pgcrypto", "ltree", "hstore", "citext", "uuid-ossp", "pg_trgm"}) {
    EXPECT_EQ(QueryOne(owner, std::string("CREATE EXTENSION \"") + extension + "\""), "")
        << extension;
  }
  EXPECT_EQ(QueryOne(owner, "SELECT length(gen_random_uuid()::text)"), "36");
}

TEST_F(ClusterRolesTest, EscapesToTheServerFailAsPermissionErrorsForTheOwner) {
  const std::string owner = b_->OwnerConnectionString("victim");
  const std::string marker = b_->dir() + "/../owner-was-here-" + std::to_string(getpid());
  for (const std::string& sql :
       {"COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'", "COPY (SELECT 1) TO '" + marker + "'",
        std::string("SELECT pg_read_file('PG_VERSION')"),
        std::string("ALTER SYSTEM SET work_mem = '1MB'"),
        std::string("SELECT lo_export(lo_create(0), '") + marker + "')",
        std::string("CREATE EXTENSION dblink"), std::string("CREATE ROLE intruder SUPERUSER")}) {
    std::string answer = QueryOne(owner, sql);
    EXPECT_EQ(answer.rfind("ERROR 42501: ", 0), 0u) << sql << " -> " << answer;
  }
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << marker;
  // The superuser can, which is what "privileged": true asks for.
  EXPECT_EQ(QueryOne(b_->ConnectionString("victim"), "SELECT length(pg_read_file('PG_VERSION'))"),
            "3");
}

TEST(RandomSecretTest, IsHexAndNeverTheSameTwice) {
  std::string a, b;
  ASSERT_TRUE(MakeRandomSecret(&a).ok());
  ASSERT_TRUE(MakeRandomSecret(&b).ok());
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(ConninfoTest, RedactsAndSplitsThePassword) {
  const std::string conninfo = "host=/tmp/x port=5432 dbname=d user=u password='s e'";
  const std::string redacted = RedactedConninfo(conninfo);
  EXPECT_EQ(redacted.find("s e"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("password=<redacted>"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("host=/tmp/x"), std::string::npos) << redacted;
  std::string rest, password;
  SplitConninfoPassword(conninfo, &rest, &password);
  EXPECT_EQ(password, "s e");
  EXPECT_EQ(rest.find("s e"), std::string::npos) << rest;
  EXPECT_EQ(RedactedConninfo("postgresql://u:S3CRET@/d?host=/tmp/x").find("S3CRET"),
            std::string::npos);
}

}  // namespace
}  // namespace rehearse
