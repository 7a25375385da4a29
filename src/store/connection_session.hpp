#pragma once

#include "store/store.hpp"

namespace synthgate::store {

// The Session a transaction's work sees, over any backend connection type C that offers
// query(sql, params), execute(sql, params) and script(sql).
template <typename C>
class ConnectionSession final : public Session {
 public:
  explicit ConnectionSession(C& conn) : conn_(conn) {}
  Result<Rows> query(std::string_view sql, const Params& params) override {
    return conn_.query(sql, params);
  }
  Result<std::int64_t> execute(std::string_view sql, const Params& params) override {
    return conn_.execute(sql, params);
  }
  Status execute_script(std::string_view sql) override { return conn_.script(sql); }

 private:
  C& conn_;
};

}  // namespace synthgate::store
