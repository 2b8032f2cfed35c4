// Stored values: reading the follow-up tables' columns the same way on both
// dialects, and carrying them in a rollback artifact without losing a byte.
//
// PostgreSQL hands every value over as text (value.h); SQLite keeps the
// storage class. These helpers read integers, booleans and timestamps from
// either, and give the Value a column of the given kind must be written with.
//
// Artifact encoding (ValueToJson / JsonToValue) round-trips exactly:
//   NULL -> null;  integer -> number;  valid UTF-8 text -> string;
//   text that is not UTF-8 -> {"textHex": "..."};  blob -> {"blobHex": "..."}.
// JSON strings must be UTF-8 (rollback_artifact.h), and a SQLite TEXT column
// can hold anything, so the hex forms keep such values instead of failing.
//
// Timestamps are the canonical text of fixtures/fixture_time.h: what
// PostgreSQL prints for timestamptz under TimeZone=UTC, DateStyle=ISO, and
// what the SQLite schema stores.
#ifndef REHEARSE_MIGRATIONS_CODE_STORED_VALUES_H_
#define REHEARSE_MIGRATIONS_CODE_STORED_VALUES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/db/value.h"

namespace rehearse {

// kCorruption unless `payload` is a rollback artifact payload of `format`
// written by a real run ("complete": true), not by a dry run.
Status CheckCompletePayload(const nlohmann::json& payload, const char* format);

// An integer column: kInteger, or decimal text. kInvalidInput naming `what`.
Status StoredInt(const Value& v, const std::string& what, int64_t* out);

// A boolean column: PostgreSQL 't'/'f', SQLite 0/1.
bool StoredBool(const Value& v);
Value BoolValue(Dialect dialect, bool b);

// A text column for rendering: NULL -> nullopt, anything else its bytes.
std::optional<std::string> StoredText(const Value& v);

// Parses 'YYYY-MM-DD HH:MM:SS[.f{1,6}]+00' into microseconds since the Unix
// epoch. False for anything else (another offset, 'infinity', garbage).
bool ParseTimestamp(std::string_view text, int64_t* micros);

// A SQL string literal ('it''s'), for the constant parts of streamed queries
// (PostgreSQL's COPY (query) takes no parameters).
std::string SqlLiteral(std::string_view text);

// A short, always-UTF-8 rendering of a text value for the samples of a
// report: at most `max_bytes` bytes cut on a character boundary, "NULL", or
// "<N bytes, not UTF-8>".
std::string SampleText(const Value& v, size_t max_bytes = 60);

nlohmann::json ValueToJson(const Value& v);
// kCorruption naming `what` for JSON that no ValueToJson produces.
Status JsonToValue(const nlohmann::json& j, const std::string& what, Value* out);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_STORED_VALUES_H_
