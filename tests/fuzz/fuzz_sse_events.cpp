// SseEventReader on arbitrary upstream bytes. The reader must not depend on how the bytes
// are cut into pieces: the first input byte picks a cut, and both readings must agree.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "server/sse_event_reader.hpp"

namespace {

using synthgate::server::SseEvent;
using synthgate::server::SseEventReader;

// All events, or none when the reader refused the bytes.
std::vector<SseEvent> read_all(std::string_view bytes, std::size_t cut, bool& refused) {
  SseEventReader reader(4096);
  std::vector<SseEvent> out;
  for (auto piece : {bytes.substr(0, cut), bytes.substr(cut)}) {
    auto events = reader.feed(piece);
    if (!events) {
      FUZZ_CHECK(!events.error().message.empty());
      refused = true;
      return {};
    }
    out.insert(out.end(), events->begin(), events->end());
  }
  for (auto& e : reader.finish()) out.push_back(std::move(e));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t cut = bytes.empty() ? 0 : data[0] % (bytes.size() + 1);
  bool refused_whole = false;
  bool refused_cut = false;
  const auto whole = read_all(bytes, bytes.size(), refused_whole);
  const auto pieces = read_all(bytes, cut, refused_cut);
  FUZZ_CHECK(refused_whole == refused_cut);
  FUZZ_CHECK(whole == pieces);
  for (const auto& e : whole) {
    FUZZ_CHECK(e.data.size() <= 4096);
    FUZZ_CHECK(e.data.find('\r') == std::string::npos);
  }
  return 0;
}
