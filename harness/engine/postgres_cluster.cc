#include "harness/engine/postgres_cluster.h"

#include <signal.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "harness/engine/cluster_roles.h"
#include "harness/engine/directory_tree.h"
#include "harness/engine/initdb_cache.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/run_directory.h"
#include "harness/engine/server_user.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr std::chrono::milliseconds kFastShutdownTimeout{10000};
constexpr std::chrono::milliseconds kKillTimeout{5000};
constexpr int kLogTailOnError = 20;
constexpr const char* kObjectInUse = "55006";
// 10 ms steps of waiting for the backends of just-closed connections to exit.
constexpr int kClosingGraceSteps = 100;

// The lines of <data_dir>/postmaster.pid; fewer while the server starts.
std::vector<std::string> ReadPostmasterPidLines(const std::string& data_dir) {
  std::vector<std::string> lines;
  std::ifstream in(data_dir + "/postmaster.pid");
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Status TemplateInUse(const std::string& name, const std::string& template_name,
                     const std::string& connections) {
  return Status::Database("cannot create database \"" + name + "\" from template \"" +
                              template_name + "\": the template has " + connections +
                              " open connection(s), and PostgreSQL copies a template only while "
                              "nobody is connected to it; close them first (MarkTemplate keeps "
                              "new ones out)",
                          kObjectInUse);
}

// Given on the command line, never written into the data directory, so that
// one cached initdb serves every configuration (initdb_cache.h).
std::vector<std::string> ServerSettings() {
  return {
      "listen_addresses=",  // unix socket only
      "port=" + std::to_string(PostgresCluster::kPort),
      "unix_socket_permissions=0777",  // the directory, not the socket, keeps others out
      "fsync=off",
      "synchronous_commit=off",
      "full_page_writes=off",
      "autovacuum=off",
      "logging_collector=off",  // stderr goes to server.log
  };
}

}  // namespace

Status PostgresCluster::Boot(const PostgresClusterOptions& options,
                             std::unique_ptr<PostgresCluster>* out) {
  out->reset();
  PostgresInstallation installation;
  REHEARSE_RETURN_IF_ERROR(PostgresInstallation::Find(options.bindir, &installation));
  ServerUser user;
  REHEARSE_RETURN_IF_ERROR(ServerUser::Choose(&user));
  RunDirectory* run = nullptr;
  REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
  REHEARSE_RETURN_IF_ERROR(user.CheckCanReach(run->path()));

  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster);
  cluster->owner_pid_ = getpid();
  cluster->server_version_ = installation.version;
  cluster->major_version_ = installation.major_version;
  REHEARSE_RETURN_IF_ERROR(run->MakePrivateSubdir("pg-", user.uid, user.gid, &cluster->dir_));
  // From here on, destroying `cluster` on failure removes the directory.
  cluster->data_dir_ = cluster->dir_ + "/data";
  cluster->socket_dir_ = cluster->dir_;
  cluster->log_path_ = cluster->dir_ + "/server.log";
  cluster->hba_path_ = cluster->dir_ + "/pg_hba.conf";

  const std::string socket = cluster->socket_dir_ + "/.s.PGSQL." + std::to_string(kPort);
  if (socket.size() >= sizeof(sockaddr_un::sun_path)) {
    return Status::Infrastructure("socket path " + socket + " is longer than unix sockets allow (" +
                                  std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                  " bytes); set TMPDIR to a shorter directory");
  }

  if (options.use_cache) {
    std::string cache_dir = options.cache_dir.empty() ? DefaultInitdbCacheDir() : options.cache_dir;
    std::string entry;
    REHEARSE_RETURN_IF_ERROR(FindOrBuildCachedDataDir(installation, user, cache_dir, &entry));
    std::optional<TreeOwner> owner;
    if (user.is_other_user) owner = TreeOwner{user.uid, user.gid};
    REHEARSE_RETURN_IF_ERROR(CopyDirectoryTree(entry, cluster->data_dir_, owner));
  } else {
    REHEARSE_RETURN_IF_ERROR(RunInitdb(installation, user, cluster->data_dir_));
  }
  // Before the server starts, so that it never accepts a connection without
  // a password (cluster_roles.h).
  REHEARSE_RETURN_IF_ERROR(
      SetUpClusterRoles(installation, user, cluster->data_dir_, &cluster->secrets_));
  REHEARSE_RETURN_IF_ERROR(WriteHbaFile(cluster->hba_path_, user));
  REHEARSE_RETURN_IF_ERROR(cluster->StartServer(installation.Program("postgres"),
                                                user.is_other_user, user.uid, user.gid,
                                                options.start_timeout));
  *out = std::move(cluster);
  return Status::OK();
}

Status PostgresCluster::StartServer(const std::string& postgres_program, bool drop_privileges,
                                    uid_t uid, gid_t gid, std::chrono::milliseconds timeout) {
  SubprocessOptions options;
  options.argv = {postgres_program, "-D", data_dir_, "-k", socket_dir_};
  for (const std::string& setting : ServerSettings()) {
    options.argv.push_back("-c");
    options.argv.push_back(setting);
  }
  // Not the data directory's own pg_hba.conf, which initdb wrote with trust.
  options.argv.push_back("-c");
  options.argv.push_back("hba_file=" + hba_path_);
  options.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"};
  options.working_dir = dir_;
  if (drop_privileges) {
    options.uid = uid;
    options.gid = gid;
  }
  options.parent_death_signal = SIGQUIT;
  options.new_process_group = true;
  options.stdout_target = OutputTarget::File(log_path_);
  options.stderr_target = OutputTarget::File(log_path_);
  Status spawned = Spawn(options, &server_pid_);
  if (!spawned.ok()) {
    server_pid_ = -1;
    return spawned.Prepend("cannot start postgres");
  }
  RunDirectory::RegisterServer(server_pid_);
  return WaitUntilReady(timeout);
}

Status PostgresCluster::WaitUntilReady(std::chrono::milliseconds timeout) {
  const auto started = std::chrono::steady_clock::now();
  auto pause = std::chrono::microseconds(500);
  for (;;) {
    // Line 1 is the postmaster's pid, line 8 its status ("ready" once it
    // accepts connections); pg_ctl -w waits for the same line.
    std::vector<std::string> lines = ReadPostmasterPidLines(data_dir_);
    if (lines.size() >= 8 && lines[0] == std::to_string(server_pid_) &&
        lines[7].rfind("ready", 0) == 0) {
      return Status::OK();
    }
    int wait_status = 0;
    if (waitpid(server_pid_, &wait_status, WNOHANG) == server_pid_) {
      RunDirectory::UnregisterServer(server_pid_);
      server_pid_ = -1;
      return Status::Infrastructure("postgres " + DescribeWaitStatus(wait_status) +
                                    " during start-up; server log " + log_path_ + ":\n" +
                                    LogTail(kLogTailOnError));
    }
    if (std::chrono::steady_clock::now() - started > timeout) {
      return Status::Infrastructure("postgres did not accept connections within " +
                                    std::to_string(timeout.count()) + " ms; server log " +
                                    log_path_ + ":\n" + LogTail(kLogTailOnError));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

PostgresCluster::~PostgresCluster() {
  // A forked copy must not end the parent's session: closing it sends the
  // server a goodbye on the shared socket.
  if (getpid() != owner_pid_) (void)maintenance_.release();
  Stop();
}

Status PostgresCluster::StopServer() {
  if (server_pid_ <= 0) return Status::OK();
  maintenance_.reset();
  const pid_t pid = server_pid_;
  kill(pid, SIGINT);  // fast shutdown: roll back sessions, checkpoint, exit
  Status waited = WaitForExit(pid, kFastShutdownTimeout, nullptr);
  if (waited.code() == Status::Code::kInfrastructure) {
    kill(pid, SIGQUIT);  // immediate shutdown
    waited = WaitForExit(pid, kKillTimeout, nullptr);
  }
  if (waited.code() == Status::Code::kInfrastructure) {
    kill(pid, SIGKILL);
    waited = WaitForExit(pid, kKillTimeout, nullptr);
  }
  // kNotFound: someone else reaped it; it is gone all the same.
  if (waited.code() == Status::Code::kInfrastructure) {
    return Status::Infrastructure("postgres " + std::to_string(pid) + " would not stop");
  }
  RunDirectory::UnregisterServer(pid);
  server_pid_ = -1;
  return Status::OK();
}

Status PostgresCluster::Stop() {
  if (getpid() != owner_pid_) return Status::OK();
  REHEARSE_RETURN_IF_ERROR(StopServer());
  if (dir_gone_ || dir_.empty()) return Status::OK();
  if (keep_) {
    RunDirectory* run = nullptr;
    REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
    REHEARSE_RETURN_IF_ERROR(run->MoveOut(dir_, &kept_dir_));
  } else {
    REHEARSE_RETURN_IF_ERROR(RemoveDirectoryTree(dir_));
  }
  dir_gone_ = true;
  return Status::OK();
}

void PostgresCluster::Keep() {
  keep_ = true;
  RunDirectory* run = nullptr;
  if (RunDirectory::Get(&run).ok()) kept_dir_ = run->KeptPathFor(dir_);
}

std::string PostgresCluster::ConnectionString(const std::string& dbname) const {
  return "host=" + ConninfoValue(socket_dir_) + " port=" + std::to_string(kPort) +
         " dbname=" + ConninfoValue(dbname) + " user=" + kSuperuser +
         " password=" + ConninfoValue(secrets_.superuser_password);
}

std::string PostgresCluster::OwnerConnectionString(const std::string& dbname) const {
  return "host=" + ConninfoValue(socket_dir_) + " port=" + std::to_string(kPort) +
         " dbname=" + ConninfoValue(dbname) + " user=" + kOwnerRole +
         " password=" + ConninfoValue(secrets_.owner_password);
}

// Maintenance connections go to `postgres`, or to template1 when the
// statement concerns `postgres` itself: a connection to a database is enough
// to stop it being cloned or dropped. A migration may have dropped
// `postgres` (DROP DATABASE in a non-transactional migration): the cluster
// is still the harness's, so template1 serves then too.
Status PostgresCluster::WithMaintenance(const std::string& avoid_dbname,
                                        const std::function<Status(LibpqSession&)>& work) {
  if (server_pid_ <= 0) return Status::Infrastructure("the cluster in " + dir_ + " is stopped");
  std::lock_guard<std::mutex> lock(maintenance_mu_);
  // A kept session may have been ended by the server (a migration may
  // terminate backends): one cheap round trip tells.
  if (maintenance_ &&
      (maintenance_dbname_ == avoid_dbname || !maintenance_->Execute("SELECT 1").ok()))
    maintenance_.reset();
  if (!maintenance_) {
    auto session = std::make_unique<LibpqSession>();
    std::string dbname = avoid_dbname != "postgres" ? "postgres" : "template1";
    Status s = session->Connect(ConnectionString(dbname));
    if (!s.ok() && dbname == "postgres") {
      dbname = "template1";
      if (!session->Connect(ConnectionString(dbname)).ok()) return s;
    } else if (!s.ok()) {
      return s;
    }
    maintenance_ = std::move(session);
    maintenance_dbname_ = dbname;
  }
  return work(*maintenance_);
}

Status PostgresCluster::CreateDatabase(const std::string& name, const std::string& template_name) {
  return WithMaintenance(template_name, [&](LibpqSession& session) -> Status {
    // A connection closed just before this call may still have its backend
    // exiting; the server counts it until it is gone. Those are given a short
    // grace period, a connection that stays open is not.
    std::optional<std::string> connections;
    for (int attempt = 0;; ++attempt) {
      REHEARSE_RETURN_IF_ERROR(session.QueryValue(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          {template_name}, &connections));
      if (!connections || *connections == "0") break;
      if (attempt == kClosingGraceSteps) return TemplateInUse(name, template_name, *connections);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    std::optional<std::string> template_bytes;
    REHEARSE_RETURN_IF_ERROR(
        session.QueryValue("SELECT pg_database_size($1)", {template_name}, &template_bytes));
    RunDirectory* run = nullptr;
    REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
    REHEARSE_RETURN_IF_ERROR(RunDirectory::CheckRoomForCopy(
        run->path(), template_bytes ? std::stoull(*template_bytes) : 0,
        "cloning database " + template_name + " into " + name));

    std::string quoted_name, quoted_template;
    REHEARSE_RETURN_IF_ERROR(session.QuoteIdentifier(name, &quoted_name));
    REHEARSE_RETURN_IF_ERROR(session.QuoteIdentifier(template_name, &quoted_template));
    std::string sql =
        "CREATE DATABASE " + quoted_name + " OWNER " + kOwnerRole + " TEMPLATE " + quoted_template;
    if (major_version_ >= 15) sql += " STRATEGY FILE_COPY";
    Status created = session.Execute(sql);
    // Someone connected between the check and the copy.
    if (created.sqlstate() == kObjectInUse) {
      return TemplateInUse(name, template_name, "1 or more").WithStatement(sql);
    }
    return created;
  });
}

Status PostgresCluster::DropDatabase(const std::string& name) {
  return WithMaintenance(name, [&](LibpqSession& session) -> Status {
    std::optional<std::string> is_template;
    REHEARSE_RETURN_IF_ERROR(session.QueryValue(
        "SELECT datistemplate FROM pg_database WHERE datname = $1", {name}, &is_template));
    if (!is_template) return Status::OK();
    std::string quoted;
    REHEARSE_RETURN_IF_ERROR(session.QuoteIdentifier(name, &quoted));
    // PostgreSQL refuses to drop a template.
    if (*is_template == "t") {
      REHEARSE_RETURN_IF_ERROR(session.Execute("ALTER DATABASE " + quoted + " IS_TEMPLATE false"));
    }
    return session.Execute("DROP DATABASE IF EXISTS " + quoted +
                           (major_version_ >= 13 ? " WITH (FORCE)" : ""));
  });
}

Status PostgresCluster::MarkTemplate(const std::string& name) {
  return WithMaintenance(name, [&](LibpqSession& session) -> Status {
    std::string quoted;
    REHEARSE_RETURN_IF_ERROR(session.QuoteIdentifier(name, &quoted));
    return session.Execute("ALTER DATABASE " + quoted +
                           " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
  });
}

std::string PostgresCluster::LogTail(int lines) const {
  std::ifstream in(log_path_, std::ios::binary);
  if (!in || lines <= 0) return "";
  // The tail of a long log is in its last few kilobytes.
  constexpr std::streamoff kMaxRead = 64 * 1024;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(size > kMaxRead ? size - kMaxRead : 0);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string tail;
  for (size_t i = all.size() > size_t(lines) ? all.size() - size_t(lines) : 0; i < all.size();
       ++i) {
    tail += all[i];
    if (i + 1 < all.size()) tail += "\n";
  }
  return tail;
}

}  // namespace rehearse
