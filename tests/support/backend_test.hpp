#pragma once

#include <gtest/gtest.h>

#include "support/test_backends.hpp"

namespace synthgate::testing {

// Base of tests that run once per selected backend (see test_backends.hpp).
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.available()) {
      if (std::getenv("SYNTHGATE_TEST_BACKENDS") != nullptr) {
        FAIL() << "backend " << GetParam() << " is not available (no test cluster?)";
      }
      GTEST_SKIP() << "backend " << GetParam() << " not available in this run";
    }
    store_ = db_.open(db_.url());
    ASSERT_NE(store_, nullptr);
  }

  store::Store& store() { return *store_; }
  TestDatabase& database() { return db_; }
  // A second, independent Store on the same database (another process, in effect).
  std::unique_ptr<store::Store> open_again(unsigned pool_size = 4) {
    return db_.open(db_.url(), pool_size);
  }
  bool postgres() const { return GetParam() == "postgresql"; }

 private:
  TestDatabase db_{GetParam()};
  std::unique_ptr<store::Store> store_;
};

inline std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "sqlite" ? "Sqlite" : "Postgresql";
}

#define SYNTHGATE_INSTANTIATE_BACKEND_TESTS(suite)                                         \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                \
                           ::testing::ValuesIn(::synthgate::testing::selected_backends()), \
                           ::synthgate::testing::backend_test_name)

}  // namespace synthgate::testing
