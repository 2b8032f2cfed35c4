// Test helpers for Status (status.h): ASSERT_OK fails the test, printing the
// Status, when an expression does not return OK. Header-only, for *_test.cc
// files.
#ifndef REHEARSE_COMMON_STATUS_TEST_UTIL_H_
#define REHEARSE_COMMON_STATUS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include "harness/common/status.h"

#define ASSERT_OK(expr)                    \
  do {                                     \
    ::rehearse::Status _s = (expr);        \
    ASSERT_TRUE(_s.ok()) << _s.ToString(); \
  } while (0)

#endif  // REHEARSE_COMMON_STATUS_TEST_UTIL_H_
