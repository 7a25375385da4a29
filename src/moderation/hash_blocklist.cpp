#include "moderation/hash_blocklist.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace synthgate::moderation {

Result<std::vector<BlocklistEntry>> parse_blocklist(std::string_view text, std::string_view name) {
  std::vector<BlocklistEntry> entries;
  std::size_t start = 0;
  std::size_t line_no = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    if (line.empty() || line.front() == '#') continue;
    const auto hash = PdqHash::from_hex(line.substr(0, std::min<std::size_t>(line.size(), 64)));
    if (!hash || (line.size() > 64 && !std::isspace(static_cast<unsigned char>(line[64])))) {
      return fail(ErrorCode::kInvalidArgument, std::string(name) + ":" + std::to_string(line_no) +
                                                   ": expected a 64-hex-digit PDQ hash");
    }
    std::string_view label = line.size() > 64 ? line.substr(65) : std::string_view{};
    while (!label.empty() && std::isspace(static_cast<unsigned char>(label.front()))) {
      label.remove_prefix(1);
    }
    entries.push_back({*hash, std::string(label)});
  }
  return entries;
}

Result<std::vector<BlocklistEntry>> read_blocklist_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read blocklist " + path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_blocklist(text, path.filename().string());
}

HashBlocklist::HashBlocklist(std::vector<BlocklistEntry> entries)
    : entries_(std::move(entries)), bucket_start_(16), ids_(16) {
  hashes_.reserve(entries_.size());
  for (const auto& e : entries_) hashes_.push_back(e.hash);
  for (std::size_t t = 0; t < 16; ++t) {
    auto& start = bucket_start_[t];
    start.assign(65537, 0);
    for (const auto& e : entries_) ++start[e.hash.words[t] + 1U];
    for (std::size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
    auto fill = start;
    ids_[t].resize(entries_.size());
    for (std::uint32_t i = 0; i < entries_.size(); ++i) {
      ids_[t][fill[entries_[i].hash.words[t]]++] = i;
    }
  }
}

namespace {

void sort_and_dedupe(std::vector<BlocklistMatch>& found) {
  std::sort(found.begin(), found.end(), [](const BlocklistMatch& a, const BlocklistMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.index < b.index;
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const BlocklistMatch& a, const BlocklistMatch& b) {
                            return a.index == b.index;
                          }),
              found.end());
}

}  // namespace

std::vector<BlocklistMatch> HashBlocklist::search(const PdqHash& query, int max_distance) const {
  max_distance = std::clamp(max_distance, 0, 31);
  // Gather the candidates from the 272 buckets first (each a contiguous run), then check them
  // with the hashes fetched ahead: at a million hashes the time goes to memory latency, and
  // prefetching lets the misses overlap.
  std::vector<std::uint32_t> candidates;
  candidates.reserve(8192);
  for (std::size_t t = 0; t < 16; ++t) {
    const std::uint16_t word = query.words[t];
    const auto& start = bucket_start_[t];
    const auto* ids = ids_[t].data();
    for (int flip = -1; flip < 16; ++flip) {
      const auto key =
          flip < 0 ? word
                   : static_cast<std::uint16_t>(word ^ static_cast<std::uint16_t>(1U << flip));
      candidates.insert(candidates.end(), ids + start[key], ids + start[key + 1U]);
    }
  }
  constexpr std::size_t kAhead = 16;
  std::vector<BlocklistMatch> found;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i + kAhead < candidates.size()) __builtin_prefetch(&hashes_[candidates[i + kAhead]]);
    const int d = hamming_distance(query, hashes_[candidates[i]]);
    if (d <= max_distance) found.push_back({candidates[i], d});
  }
  sort_and_dedupe(found);
  return found;
}

std::vector<BlocklistMatch> HashBlocklist::search_linear(const PdqHash& query,
                                                         int max_distance) const {
  std::vector<BlocklistMatch> found;
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    const int d = hamming_distance(query, hashes_[i]);
    if (d <= max_distance) found.push_back({i, d});
  }
  sort_and_dedupe(found);
  return found;
}

}  // namespace synthgate::moderation
