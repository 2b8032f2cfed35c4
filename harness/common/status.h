// Status: the outcome of an operation, returned as a value across every layer
// boundary (engine, db, state, runner). Exceptions from libraries (libpqxx) are
// caught at the layer that calls them and turned into a Status; only the CLI
// turns a Status into text and an exit code.
//
// A Status carries the engine's message, the SQLSTATE when the database gave
// one, and where the failing input came from (file:line and the statement), so
// that a report can point at the exact statement without a re-run.
#ifndef REHEARSE_COMMON_STATUS_H_
#define REHEARSE_COMMON_STATUS_H_

#include <string>
#include <string_view>

namespace rehearse {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidInput,    // bad file, flag or value given by the user (CLI exit 2)
    kInfrastructure,  // a server would not start, a process could not run (CLI exit 3)
    kDatabase,        // the database rejected a statement
    kIoError,         // a file could not be read or written
    kNotFound,        // a named object does not exist
    kCorruption,      // data failed a checksum or identity check
    kConflict,        // the database changed since an artifact was written (CLI exit 1)
    kTimedOut,        // a migration's step ran past its time limit and was stopped (exit 1)
  };

  Status() = default;  // OK
  static Status OK() { return Status(); }
  static Status InvalidInput(std::string message) {
    return {Code::kInvalidInput, std::move(message)};
  }
  static Status Infrastructure(std::string message) {
    return {Code::kInfrastructure, std::move(message)};
  }
  static Status Database(std::string message, std::string sqlstate = "") {
    Status s(Code::kDatabase, std::move(message));
    s.sqlstate_ = std::move(sqlstate);
    return s;
  }
  static Status IoError(std::string message) { return {Code::kIoError, std::move(message)}; }
  static Status NotFound(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Status Corruption(std::string message) { return {Code::kCorruption, std::move(message)}; }
  static Status Conflict(std::string message) { return {Code::kConflict, std::move(message)}; }
  static Status TimedOut(std::string message, std::string sqlstate = "") {
    Status s(Code::kTimedOut, std::move(message));
    s.sqlstate_ = std::move(sqlstate);
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& statement() const { return statement_; }

  // Attach where the failing input came from. Returns *this so a caller can
  // write `return s.At(path, line).WithStatement(sql);`.
  Status& At(std::string file, int line) {
    file_ = std::move(file);
    line_ = line;
    return *this;
  }
  Status& WithStatement(std::string statement) {
    statement_ = std::move(statement);
    return *this;
  }
  // Prefix the message with context ("snapshot of table x: ...").
  Status& Prepend(std::string_view context);

  // One line: "[file:line: ]message[ (SQLSTATE xxxxx)]", then the statement,
  // shortened, on a second line when there is one.
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string sqlstate_;
  std::string file_;
  int line_ = 0;
  std::string statement_;
};

}  // namespace rehearse

// Returns from the enclosing function when `expr` is not OK.
#define REHEARSE_RETURN_IF_ERROR(expr)         \
  do {                                         \
    ::rehearse::Status _rehearse_s = (expr);   \
    if (!_rehearse_s.ok()) return _rehearse_s; \
  } while (0)

#endif  // REHEARSE_COMMON_STATUS_H_
