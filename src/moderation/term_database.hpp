#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

struct hs_database;
struct hs_scratch;
struct hs_stream;

namespace synthgate::moderation {

// A Hyperscan stream-mode database of literals. Each literal has an id (its index in the
// list given to compile); a hit reports the id and the end offset, and the start follows
// from the literal's length.
class TermDatabase {
 public:
  static Result<std::unique_ptr<TermDatabase>> compile(const std::vector<std::string>& literals);
  ~TermDatabase();
  TermDatabase(const TermDatabase&) = delete;
  TermDatabase& operator=(const TermDatabase&) = delete;

  std::size_t literal_length(std::uint32_t id) const { return lengths_[id]; }
  bool empty() const { return database_ == nullptr; }
  const hs_database* handle() const { return database_; }

 private:
  TermDatabase() = default;
  hs_database* database_ = nullptr;
  std::vector<std::size_t> lengths_;
};

// Scratch space for scanning; one per thread. Grows to fit every database it meets.
class ScanScratch {
 public:
  ScanScratch() = default;
  ~ScanScratch();
  ScanScratch(const ScanScratch&) = delete;
  ScanScratch& operator=(const ScanScratch&) = delete;

  Status prepare(const TermDatabase& database);
  hs_scratch* handle() { return scratch_; }

 private:
  hs_scratch* scratch_ = nullptr;
};

struct TermHit {
  std::uint32_t id;
  std::size_t begin;  // byte offsets in the scanned stream
  std::size_t end;
};

// One open scan over a growing byte stream: bytes fed in pieces find the same hits as the
// whole (a literal split across pieces is found when its last byte arrives).
class TermStream {
 public:
  explicit TermStream(const TermDatabase& database);
  ~TermStream();
  TermStream(const TermStream&) = delete;
  TermStream& operator=(const TermStream&) = delete;

  // Appends the hits that end inside `bytes` to `hits`.
  Status scan(std::string_view bytes, ScanScratch& scratch, std::vector<TermHit>& hits);

 private:
  const TermDatabase& database_;
  hs_stream* stream_ = nullptr;
  std::size_t offset_ = 0;
};

}  // namespace synthgate::moderation
