#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::testing {

// Which database backends a store-backed test runs on. CTest runs each such binary twice,
// with SYNTHGATE_TEST_BACKENDS=sqlite and =postgresql (the latter with a throwaway cluster
// whose URL is in $SYNTHGATE_TEST_POSTGRES_URL_FILE). Run by hand, a binary tries both and
// skips PostgreSQL when no cluster was given.
inline std::vector<std::string> selected_backends() {
  const char* env = std::getenv("SYNTHGATE_TEST_BACKENDS");
  if (env == nullptr) return {"sqlite", "postgresql"};
  return {env};
}

inline std::string postgres_test_url() {
  const char* file = std::getenv("SYNTHGATE_TEST_POSTGRES_URL_FILE");
  if (file == nullptr) return {};
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

// A fresh, empty database on one backend. For PostgreSQL each instance gets its own schema
// in the shared test cluster, so tests cannot see each other's tables.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend) : backend_(backend) {}

  // Returns the URL to open, or an empty string when the backend is not available.
  std::string url() {
    if (backend_ == "sqlite") return "sqlite:" + (dir_ / "test.db").string();
    const std::string base = postgres_test_url();
    if (base.empty()) return {};
    if (schema_.empty()) {
      schema_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}());
      auto admin = open(base);
      if (!admin) return {};
      (void)admin->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      if (!admin->execute("CREATE SCHEMA " + schema_)) return {};
    }
    const char* sep = base.find('?') == std::string::npos ? "?" : "&";
    return base + sep + "options=-csearch_path%3D" + schema_;
  }

  std::unique_ptr<store::Store> open(const std::string& url_text, unsigned pool_size = 4) {
    auto url = store::DatabaseUrl::parse(url_text);
    if (!url) return nullptr;
    auto s = store::open_store(*url, {pool_size, 5000});
    if (!s) {
      ADD_FAILURE() << s.error().message;
      return nullptr;
    }
    return std::move(*s);
  }

  bool available() { return !url().empty(); }
  const std::string& backend() const { return backend_; }

 private:
  std::string backend_;
  TempDir dir_;
  std::string schema_;
};

}  // namespace synthgate::testing
