#include "store/value.hpp"

namespace synthgate::store {

namespace {
template <typename T>
Result<T> typed(const std::vector<Value>& values, std::size_t i, const char* wanted) {
  if (i >= values.size()) {
    return fail(ErrorCode::kInternal, "column " + std::to_string(i) + " is out of range");
  }
  if (const T* v = std::get_if<T>(&values[i])) return *v;
  return fail(ErrorCode::kInternal, "column " + std::to_string(i) + " is not " + wanted);
}
}  // namespace

Result<std::int64_t> Row::integer(std::size_t i) const {
  return typed<std::int64_t>(values_, i, "an integer");
}
Result<double> Row::real(std::size_t i) const {
  return typed<double>(values_, i, "a real");
}
Result<std::string> Row::text(std::size_t i) const {
  return typed<std::string>(values_, i, "text");
}
Result<Bytes> Row::blob(std::size_t i) const {
  return typed<Bytes>(values_, i, "a blob");
}

}  // namespace synthgate::store
