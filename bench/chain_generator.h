// A generated chain of migrations in Rehearse's own layout, for chain_bench:
// what a real project's long history looks like in kind, at any length.
//
// Migration i (1-based, folder NNNN_kind/ with up/down per dialect) is one
// of eight kinds in turn: a table with a key, a NOT NULL column with a
// default and an index; a child table with a foreign key to the latest
// table; an added column; a view; a function (SQLite, which has none: an
// index); a trigger; an added column with a data backfill; a table with
// UNIQUE and CHECK. Every down undoes its up exactly, so the whole chain
// passes the gate: the benchmark times the happy path, which is what a long
// chain mostly is.
#ifndef REHEARSE_BENCH_CHAIN_GENERATOR_H_
#define REHEARSE_BENCH_CHAIN_GENERATOR_H_

#include <string>

#include "harness/common/status.h"

namespace rehearse {

// Writes migrations 1..count into the existing empty folder `dir`.
Status WriteMigrationChain(const std::string& dir, int count);

}  // namespace rehearse

#endif  // REHEARSE_BENCH_CHAIN_GENERATOR_H_
