#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::store {

struct Null {
  friend bool operator==(Null, Null) = default;
};

// One SQL value. Text and blobs stay apart because PostgreSQL keeps them apart (text must be
// valid UTF-8; BYTEA holds any bytes).
using Value = std::variant<Null, std::int64_t, double, std::string, Bytes>;

// Parameters are bound in order to the `?` placeholders of a statement.
using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& operator[](std::size_t i) const { return values_.at(i); }
  bool is_null(std::size_t i) const { return std::holds_alternative<Null>(values_.at(i)); }

  // Typed reads refuse a value of another type instead of converting it silently.
  Result<std::int64_t> integer(std::size_t i) const;
  Result<double> real(std::size_t i) const;
  Result<std::string> text(std::size_t i) const;
  Result<Bytes> blob(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

}  // namespace synthgate::store
