#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::audit {

// RFC 9162 (and RFC 6962) Merkle tree hashing over SHA-256.
using Hash = Sha256Digest;

Hash leaf_hash(ByteView leaf);                        // SHA-256(0x00 || leaf)
Hash node_hash(const Hash& left, const Hash& right);  // SHA-256(0x01 || left || right)
Hash empty_root();                                    // SHA-256("")

// The largest power of two strictly below n (n >= 2): where RFC 9162 splits a tree.
std::uint64_t split_point(std::uint64_t n);

// Reads the hash of a complete (perfect) subtree: leaves [index << level, (index+1) << level).
// Level 0 is a leaf hash. Storage answers this from the hashes it keeps, so a proof needs
// O(log n) reads instead of a recomputation.
using NodeSource = std::function<Result<Hash>(unsigned level, std::uint64_t index)>;

// MTH(D[begin:end]) where the range is a subtree of some RFC 9162 tree (begin aligned).
Result<Hash> subtree_root(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end);
Result<Hash> tree_root(const NodeSource& nodes, std::uint64_t size);

// RFC 9162 §2.1.3.1 PATH(m, D[n]) and §2.1.4.1 PROOF(m, D[n]).
Result<std::vector<Hash>> inclusion_path(const NodeSource& nodes, std::uint64_t index,
                                         std::uint64_t size);
Result<std::vector<Hash>> consistency_proof(const NodeSource& nodes, std::uint64_t first,
                                            std::uint64_t second);

// RFC 9162 §2.1.3.2 and §2.1.4.2: what a verifier does with only the hashes.
bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                      const std::vector<Hash>& path, const Hash& root);
bool verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                        const Hash& second_root, const std::vector<Hash>& proof);

// The complete subtrees (level, index) whose hashes make up the right edge of a tree of
// `size` leaves, largest first.
std::vector<std::pair<unsigned, std::uint64_t>> compact_range_nodes(std::uint64_t size);

// The right edge of a growing tree: one hash per complete subtree, largest first, so the
// root of the first n leaves is known while leaves stream past (verification, benchmarks).
class CompactRange {
 public:
  CompactRange() = default;
  // The range of a tree of `size` leaves from the hashes of its complete subtrees, largest
  // first (one per set bit of size: what compact_range_nodes names).
  CompactRange(std::uint64_t size, std::vector<Hash> hashes)
      : hashes_(std::move(hashes)), size_(size) {}

  // Adds the next leaf hash; calls `completed(level, index, hash)` for every complete
  // subtree of level >= 1 that the leaf finishes.
  void append(const Hash& leaf,
              const std::function<void(unsigned, std::uint64_t, const Hash&)>& completed = {});
  Hash root() const;
  std::uint64_t size() const { return size_; }

 private:
  std::vector<Hash> hashes_;  // one per set bit of size_, highest level first
  std::uint64_t size_ = 0;
};

}  // namespace synthgate::audit
