#include "harness/engine/postgres_cluster.h"

#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"
#include "harness/engine/directory_tree.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/process_status.h"

namespace rehearse {
namespace {

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// The first value of the first row of `sql`, or "ERROR: ..." when it fails.
std::string QueryOne(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string error = std::string("ERROR: ") + PQerrorMessage(conn);
    PQfinish(conn);
    return error;
  }
  PGresult* result = PQexec(conn, sql.c_str());
  std::string value;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
    value = PQgetvalue(result, 0, 0);
  } else if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    value = std::string("ERROR: ") + PQerrorMessage(conn);
  }
  PQclear(result);
  PQfinish(conn);
  return value;
}

class PostgresClusterTest : public ::testing::Test {
 protected:
  // One server for the tests that only read or add databases: a boot costs
  // ~100 ms, and the suite must stay fast.
  static void SetUpTestSuite() { boot_status_ = PostgresCluster::Boot({}, &shared_); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override { ASSERT_TRUE(boot_status_.ok()) << boot_status_.ToString(); }

  static std::unique_ptr<PostgresCluster> shared_;
  static Status boot_status_;
};

std::unique_ptr<PostgresCluster> PostgresClusterTest::shared_;
Status PostgresClusterTest::boot_status_;

TEST_F(PostgresClusterTest, BootedServerAcceptsConnectionsAsRehearse) {
  EXPECT_EQ(QueryOne(shared_->ConnectionString(), "SELECT current_user"), "rehearse");
  std::string version = QueryOne(shared_->ConnectionString(), "SHOW server_version");
  EXPECT_EQ(version.rfind(shared_->server_version(), 0), 0u) << version;
  EXPECT_EQ(shared_->port(), 5432);
  EXPECT_TRUE(ProcessIsRunning(shared_->server_pid()));
}

TEST_F(PostgresClusterTest, ServerRunsWithThrowawaySettingsAndNoTcp) {
  const std::string conninfo = shared_->ConnectionString();
  EXPECT_EQ(QueryOne(conninfo, "SHOW fsync"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW synchronous_commit"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW full_page_writes"), "off");
  EXPECT_EQ(QueryOne(conninfo, "SHOW listen_addresses"), "");
  EXPECT_EQ(QueryOne(conninfo, "SHOW TimeZone"), "UTC");
  EXPECT_EQ(QueryOne(conninfo, "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(QueryOne(conninfo, "SHOW lc_collate"), "C");
}

TEST_F(PostgresClusterTest, ClusterDirectoryIsPrivateToTheServerUser) {
  struct stat st;
  ASSERT_EQ(stat(shared_->dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  if (geteuid() == 0) {
    EXPECT_NE(st.st_uid, 0u) << "PostgreSQL refuses to run as root";
  }
  EXPECT_EQ(shared_->socket_dir(), shared_->dir());
  EXPECT_EQ(shared_->data_dir(), shared_->dir() + "/data");
}

TEST_F(PostgresClusterTest, CloneOfATemplateHasTheTemplatesTable) {
  ASSERT_TRUE(shared_->CreateDatabase("template_with_table").ok());
  EXPECT_EQ(QueryOne(shared_->ConnectionString("template_with_table"),
                     "CREATE TABLE widgets(id int PRIMARY KEY, name text);"
                     "INSERT INTO widgets VALUES (1, 'sprocket')"),
            "");
  ASSERT_TRUE(shared_->MarkTemplate("template_with_table").ok());

  Status created = shared_->CreateDatabase("clone_of_template", "template_with_table");
  ASSERT_TRUE(created.ok()) << created.ToString();
  EXPECT_EQ(QueryOne(shared_->ConnectionString("clone_of_template"),
                     "SELECT name FROM widgets WHERE id = 1"),
            "sprocket");
  // The template no longer accepts connections; the clone does.
  EXPECT_EQ(
      QueryOne(shared_->ConnectionString("template_with_table"), "SELECT 1").rfind("ERROR", 0), 0u);
  EXPECT_TRUE(shared_->DropDatabase("clone_of_template").ok());
  EXPECT_TRUE(shared_->DropDatabase("template_with_table").ok());
  EXPECT_EQ(QueryOne(shared_->ConnectionString(),
                     "SELECT count(*) FROM pg_database WHERE datname LIKE '%template_with%'"),
            "0");
}

TEST_F(PostgresClusterTest, CloningATemplateWithAnOpenConnectionFailsAndSaysWhy) {
  ASSERT_TRUE(shared_->CreateDatabase("busy_template").ok());
  PGconn* open_connection = PQconnectdb(shared_->ConnectionString("busy_template").c_str());
  ASSERT_EQ(PQstatus(open_connection), CONNECTION_OK);

  // Rehearse's own message, after its short grace, not the server's error
  // after its five-second wait (no timing asserted: machines are noisy).
  Status status = shared_->CreateDatabase("clone_of_busy", "busy_template");
  EXPECT_EQ(status.code(), Status::Code::kDatabase);
  EXPECT_EQ(status.sqlstate(), "55006");
  EXPECT_NE(status.message().find("busy_template"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("open connection"), std::string::npos) << status.message();

  PQfinish(open_connection);
  EXPECT_TRUE(shared_->CreateDatabase("clone_of_busy", "busy_template").ok());
  EXPECT_TRUE(shared_->DropDatabase("clone_of_busy").ok());
  EXPECT_TRUE(shared_->DropDatabase("busy_template").ok());
}

TEST_F(PostgresClusterTest, DroppingADatabaseThatDoesNotExistIsNotAnError) {
  EXPECT_TRUE(shared_->DropDatabase("never_created").ok());
}

TEST_F(PostgresClusterTest, CreatingADatabaseTwiceIsADatabaseError) {
  ASSERT_TRUE(shared_->CreateDatabase("created_twice").ok());
  Status again = shared_->CreateDatabase("created_twice");
  EXPECT_EQ(again.code(), Status::Code::kDatabase);
  EXPECT_EQ(again.sqlstate(), "42P04");
  EXPECT_NE(again.statement().find("CREATE DATABASE"), std::string::npos);
  EXPECT_TRUE(shared_->DropDatabase("created_twice").ok());
}

TEST_F(PostgresClusterTest, LogTailShowsTheServerLog) {
  // Other tests add lines (rejected statements): look far enough back.
  EXPECT_NE(shared_->LogTail(1000).find("ready to accept connections"), std::string::npos)
      << shared_->LogTail(1000);
  std::string one = shared_->LogTail(1);
  EXPECT_EQ(one.find('\n'), std::string::npos) << one;
}

TEST_F(PostgresClusterTest, SecondClusterRunsSideBySideOnItsOwnSocket) {
  std::unique_ptr<PostgresCluster> second;
  Status booted = PostgresCluster::Boot({}, &second);
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  EXPECT_NE(second->dir(), shared_->dir());
  EXPECT_NE(second->server_pid(), shared_->server_pid());
  EXPECT_EQ(second->port(), shared_->port());
  ASSERT_TRUE(second->CreateDatabase("only_in_second").ok());
  EXPECT_EQ(QueryOne(second->ConnectionString("only_in_second"), "SELECT 1"), "1");
  EXPECT_EQ(QueryOne(shared_->ConnectionString(),
                     "SELECT count(*) FROM pg_database WHERE datname = 'only_in_second'"),
            "0");
}

TEST(PostgresClusterLifecycleTest, StopEndsTheServerAndRemovesItsDirectory) {
  std::unique_ptr<PostgresCluster> cluster;
  Status booted = PostgresCluster::Boot({}, &cluster);
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  const pid_t pid = cluster->server_pid();
  const std::string dir = cluster->dir();
  ASSERT_TRUE(Exists(dir + "/data/PG_VERSION"));

  ASSERT_TRUE(cluster->Stop().ok());
  EXPECT_FALSE(Exists(dir));
  EXPECT_EQ(kill(pid, 0), -1) << "the server was stopped and reaped";
  EXPECT_EQ(cluster->server_pid(), -1);
  EXPECT_TRUE(cluster->Stop().ok()) << "Stop is idempotent";
  EXPECT_EQ(cluster->CreateDatabase("after_stop").code(), Status::Code::kInfrastructure);
}

TEST(PostgresClusterLifecycleTest, ColdBootWithoutTheCacheGivesAWorkingServer) {
  PostgresClusterOptions options;
  options.use_cache = false;
  std::unique_ptr<PostgresCluster> cluster;
  Status booted = PostgresCluster::Boot(options, &cluster);
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  EXPECT_EQ(QueryOne(cluster->ConnectionString(), "SELECT current_user"), "rehearse");
}

TEST(PostgresClusterLifecycleTest, BootWithoutServerBinariesSaysWhereItLookedAndWhatToDo) {
  PostgresClusterOptions options;
  options.bindir = "/nonexistent/bin";
  std::unique_ptr<PostgresCluster> cluster;
  Status status = PostgresCluster::Boot(options, &cluster);
  EXPECT_EQ(status.code(), Status::Code::kInfrastructure);
  EXPECT_NE(status.message().find("/nonexistent/bin"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("REHEARSE_PG_BINDIR"), std::string::npos) << status.message();
  EXPECT_EQ(cluster, nullptr);
}

TEST(PostgresClusterLifecycleTest, ClusterBootedOnAWorkerThreadOutlivesThatThread) {
  std::unique_ptr<PostgresCluster> cluster;
  Status booted;
  std::thread([&] { booted = PostgresCluster::Boot({}, &cluster); }).join();
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(QueryOne(cluster->ConnectionString(), "SELECT 1"), "1");
}

TEST(PostgresClusterLifecycleTest, KeptClusterIsShutDownCleanlyAndMovedOutOfTheRunDirectory) {
  std::string kept;
  std::string dir;
  {
    std::unique_ptr<PostgresCluster> cluster;
    ASSERT_TRUE(PostgresCluster::Boot({}, &cluster).ok());
    ASSERT_TRUE(cluster->CreateDatabase("inspect_me").ok());
    cluster->Keep();
    kept = cluster->kept_dir();
    dir = cluster->dir();
  }
  ASSERT_FALSE(kept.empty());
  EXPECT_FALSE(Exists(dir));
  EXPECT_TRUE(Exists(kept + "/data/PG_VERSION"));
  EXPECT_FALSE(Exists(kept + "/data/postmaster.pid")) << "a clean shutdown removes it";
  EXPECT_TRUE(RemoveDirectoryTree(kept).ok());
}

TEST(ConninfoValueTest, QuotesOnlyWhatLibpqWouldMisread) {
  EXPECT_EQ(ConninfoValue("/tmp/plain"), "/tmp/plain");
  EXPECT_EQ(ConninfoValue("/tmp/with space"), "'/tmp/with space'");
  EXPECT_EQ(ConninfoValue("it's"), "'it\\'s'");
  EXPECT_EQ(ConninfoValue(""), "''");
}

}  // namespace
}  // namespace rehearse
