#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "moderation/pdq_hash.hpp"

namespace synthgate::moderation {

struct BlocklistEntry {
  PdqHash hash;
  std::string label;
};

// A blocklist file: one `HASH_HEX[<whitespace>LABEL]` per line (`#` comments, blank lines).
Result<std::vector<BlocklistEntry>> parse_blocklist(std::string_view text, std::string_view name);
Result<std::vector<BlocklistEntry>> read_blocklist_file(const std::filesystem::path& path);

struct BlocklistMatch {
  std::uint32_t index;  // into the entries the index was built from
  int distance;
};

// Multi-index hashing (Norouzi et al.): the 256 bits as sixteen 16-bit words, one table per
// word. Two hashes within distance 31 agree to within one bit on at least one word
// (pigeonhole: 16 words, 31 bits), so probing each table at the query's word and its 16
// one-bit neighbours finds every match; candidates are then checked in full.
class HashBlocklist {
 public:
  explicit HashBlocklist(std::vector<BlocklistEntry> entries);

  // Every entry within `max_distance` (at most 31) of `query`, nearest first.
  std::vector<BlocklistMatch> search(const PdqHash& query, int max_distance = 31) const;
  // The same by comparing with every entry; for tests and as the benchmark's baseline.
  std::vector<BlocklistMatch> search_linear(const PdqHash& query, int max_distance = 31) const;

  const std::vector<BlocklistEntry>& entries() const { return entries_; }

 private:
  std::vector<BlocklistEntry> entries_;
  std::vector<PdqHash> hashes_;  // the hashes alone, packed: 32 bytes each
  // Per word table: bucket_start_[t][key] .. bucket_start_[t][key + 1] into ids_[t].
  std::vector<std::vector<std::uint32_t>> bucket_start_;
  std::vector<std::vector<std::uint32_t>> ids_;
};

}  // namespace synthgate::moderation
