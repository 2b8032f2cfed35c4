// Test support (header-only, for tests only): a test suite run once per
// engine over one ThrowawayDatabases, and a clone of a template database
// made by the same ThrowawayDatabases, for test fixtures that build a filled
// template once and hand each test a fresh copy.
#ifndef REHEARSE_DB_THROWAWAY_TEST_UTIL_H_
#define REHEARSE_DB_THROWAWAY_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "harness/db/throwaway_databases.h"

namespace rehearse {

// Base of a test suite parameterised by engine: dbs_ lives from the suite's
// first test to its last (a PostgreSQL cluster is booted once per suite).
class PerEngineTest : public ::testing::TestWithParam<Dialect> {
 protected:
  static void SetUpTestSuite() { dbs_ = new ThrowawayDatabases(); }
  static void TearDownTestSuite() {
    delete dbs_;
    dbs_ = nullptr;
  }
  static inline ThrowawayDatabases* dbs_ = nullptr;
};

// Create(dialect, db, nullptr, template_name, name), retried for up to 2 s
// while PostgreSQL still counts the template's last connection (SQLSTATE
// 55006): a backend exits a moment after its client closed the connection,
// longer than CreateDatabase's own grace on a loaded test machine.
inline Status CloneTemplate(ThrowawayDatabases* dbs, Dialect dialect,
                            const std::string& template_name, std::unique_ptr<Database>* db,
                            std::string* name = nullptr) {
  Status s;
  for (int attempt = 0; attempt < 200; ++attempt) {
    s = dbs->Create(dialect, db, nullptr, template_name, name);
    if (s.sqlstate() != "55006") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return s;
}

}  // namespace rehearse

#endif  // REHEARSE_DB_THROWAWAY_TEST_UTIL_H_
