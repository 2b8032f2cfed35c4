#include "harness/engine/libpq_session.h"

#include <libpq-fe.h>

namespace rehearse {
namespace {

std::string TrimNewlines(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// OK for a successful result; else kDatabase with what the server said.
Status ResultStatus(PGresult* result, pg_conn* conn, const std::string& sql) {
  ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::OK();
  std::string message = TrimNewlines(
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr);
  if (message.empty()) message = TrimNewlines(PQerrorMessage(conn));
  std::string detail = TrimNewlines(
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr);
  if (!detail.empty()) message += " (" + detail + ")";
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  Status failed = Status::Database(message, sqlstate != nullptr ? sqlstate : "");
  failed.WithStatement(sql);
  return failed;
}

}  // namespace

LibpqSession::~LibpqSession() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status LibpqSession::Connect(const std::string& conninfo) {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = PQconnectdb(conninfo.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ != nullptr ? TrimNewlines(PQerrorMessage(conn_)) : "out of memory";
    return Status::Infrastructure("cannot connect (" + RedactedConninfo(conninfo) +
                                  "): " + message);
  }
  return Status::OK();
}

Status LibpqSession::Execute(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  Status status = ResultStatus(result, conn_, sql);
  PQclear(result);
  return status;
}

Status LibpqSession::QueryValue(const std::string& sql, const std::vector<std::string>& params,
                                std::optional<std::string>* value) {
  std::vector<const char*> values;
  for (const std::string& param : params) values.push_back(param.c_str());
  PGresult* result = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  Status status = ResultStatus(result, conn_, sql);
  if (status.ok()) {
    value->reset();
    if (PQntuples(result) > 0 && PQnfields(result) > 0) *value = PQgetvalue(result, 0, 0);
  }
  PQclear(result);
  return status;
}

Status LibpqSession::QuoteIdentifier(const std::string& name, std::string* quoted) const {
  char* escaped = PQescapeIdentifier(conn_, name.c_str(), name.size());
  if (escaped == nullptr) {
    return Status::InvalidInput("bad identifier \"" + name +
                                "\": " + TrimNewlines(PQerrorMessage(conn_)));
  }
  *quoted = escaped;
  PQfreemem(escaped);
  return Status::OK();
}

std::string ConninfoValue(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t\n'\\") == std::string::npos) return value;
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

void SplitConninfoPassword(const std::string& conninfo, std::string* without_password,
                           std::string* password) {
  without_password->clear();
  password->clear();
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  if (options == nullptr) {
    *without_password = conninfo;
    return;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::string(o->keyword) == "password") {
      *password = o->val;
      continue;
    }
    if (!without_password->empty()) *without_password += ' ';
    *without_password += std::string(o->keyword) + "=" + ConninfoValue(o->val);
  }
  PQconninfoFree(options);
}

std::string RedactedConninfo(const std::string& conninfo) {
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  if (options == nullptr) return "<unparsable connection string>";
  std::string out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (!out.empty()) out += ' ';
    const bool secret = std::string(o->keyword) == "password";
    out += std::string(o->keyword) + "=" + (secret ? "<redacted>" : ConninfoValue(o->val));
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace rehearse
