#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// Random-access input that need not fit in memory: a file (read piece by piece) or bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  // Exactly `count` bytes at `offset`; refuses a range past the end.
  virtual Result<Bytes> read_at(std::uint64_t offset, std::size_t count) const = 0;
};

// Sequential output: a growing byte vector or a file written atomically.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(ByteView bytes) = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(ByteView bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  Result<Bytes> read_at(std::uint64_t offset, std::size_t count) const override;

 private:
  ByteView bytes_;
};

class MemorySink final : public ByteSink {
 public:
  Status write(ByteView bytes) override {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return {};
  }
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

// A regular file opened read-only; reads use pread, so nothing is held in memory.
class FileSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<FileSource>> open(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::uint64_t size() const override { return size_; }
  Result<Bytes> read_at(std::uint64_t offset, std::size_t count) const override;

 private:
  FileSource(int fd, std::uint64_t size, std::string path) : fd_(fd), size_(size), path_(path) {}
  int fd_;
  std::uint64_t size_;
  std::string path_;
};

// Writes to a temporary file beside `path`; commit() syncs it and renames it into place.
// Destroyed without commit() (a refused input, an error), it removes the temporary file, so
// nothing is left behind.
class AtomicFileSink final : public ByteSink {
 public:
  static Result<std::unique_ptr<AtomicFileSink>> create(const std::filesystem::path& path);
  ~AtomicFileSink() override;
  AtomicFileSink(const AtomicFileSink&) = delete;
  AtomicFileSink& operator=(const AtomicFileSink&) = delete;
  Status write(ByteView bytes) override;
  Status commit();

 private:
  AtomicFileSink(int fd, std::filesystem::path path, std::string temp)
      : fd_(fd), path_(std::move(path)), temp_(std::move(temp)) {}
  int fd_;
  std::filesystem::path path_;
  std::string temp_;
  bool committed_ = false;
};

// Copies `count` bytes from `source` at `offset` to `sink` in bounded pieces (1 MiB).
Status copy_range(const ByteSource& source, std::uint64_t offset, std::uint64_t count,
                  ByteSink& sink);

}  // namespace synthgate::media
