// to_postgres_placeholders on arbitrary SQL text. It may only turn '?' into "$N": every '?'
// it removes becomes exactly one new '$', numbered 1, 2, 3, ... in order, and nothing else
// changes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "store/postgres_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  const std::string out = synthgate::store::to_postgres_placeholders(sql);

  const auto count = [](std::string_view s, char c) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), c));
  };
  const std::size_t questions_in = count(sql, '?');
  const std::size_t questions_out = count(out, '?');
  FUZZ_CHECK(questions_out <= questions_in);
  const std::size_t replaced = questions_in - questions_out;
  FUZZ_CHECK(count(out, '$') == count(sql, '$') + replaced);

  // Undo the rewrite: each '?' that became "$N" (N = 1, 2, ...) turns back into '?'.
  std::string undone;
  undone.reserve(sql.size());
  std::size_t next = 1;
  std::size_t j = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '?' && j < out.size() && out[j] == '$') {
      const std::string placeholder = "$" + std::to_string(next);
      if (out.compare(j, placeholder.size(), placeholder) == 0) {
        undone.push_back('?');
        j += placeholder.size();
        ++next;
        continue;
      }
    }
    FUZZ_CHECK(j < out.size() && out[j] == sql[i]);
    undone.push_back(out[j]);
    ++j;
  }
  FUZZ_CHECK(j == out.size());
  FUZZ_CHECK(undone == sql);
  FUZZ_CHECK(next - 1 == replaced);
  return 0;
}
