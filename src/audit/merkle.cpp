#include "audit/merkle.hpp"

#include <bit>

namespace synthgate::audit {

Hash leaf_hash(ByteView leaf) {
  Sha256Hasher h;
  const std::uint8_t prefix = 0x00;
  h.update(ByteView(&prefix, 1));
  h.update(leaf);
  return h.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  std::uint8_t buffer[65];
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer + 1);
  std::copy(right.begin(), right.end(), buffer + 33);
  return sha256(ByteView(buffer, sizeof buffer));
}

Hash empty_root() {
  return sha256(ByteView());
}

std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

Result<Hash> subtree_root(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 0) return empty_root();
  if (std::has_single_bit(n) && begin % n == 0) {
    return nodes(static_cast<unsigned>(std::countr_zero(n)), begin / n);
  }
  const std::uint64_t k = split_point(n);
  auto left = subtree_root(nodes, begin, begin + k);
  if (!left) return left;
  auto right = subtree_root(nodes, begin + k, end);
  if (!right) return right;
  return node_hash(*left, *right);
}

Result<Hash> tree_root(const NodeSource& nodes, std::uint64_t size) {
  return subtree_root(nodes, 0, size);
}

namespace {

Status path_into(const NodeSource& nodes, std::uint64_t m, std::uint64_t begin, std::uint64_t end,
                 std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (n <= 1) return {};
  const std::uint64_t k = split_point(n);
  if (m < k) {
    if (auto s = path_into(nodes, m, begin, begin + k, out); !s) return s;
    auto right = subtree_root(nodes, begin + k, end);
    if (!right) return tl::unexpected(right.error());
    out.push_back(*right);
  } else {
    if (auto s = path_into(nodes, m - k, begin + k, end, out); !s) return s;
    auto left = subtree_root(nodes, begin, begin + k);
    if (!left) return tl::unexpected(left.error());
    out.push_back(*left);
  }
  return {};
}

// SUBPROOF(m, D[begin:end], whole) of RFC 6962 §2.1.2.
Status subproof_into(const NodeSource& nodes, std::uint64_t m, std::uint64_t begin,
                     std::uint64_t end, bool whole, std::vector<Hash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (whole) return {};
    auto root = subtree_root(nodes, begin, end);
    if (!root) return tl::unexpected(root.error());
    out.push_back(*root);
    return {};
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    if (auto s = subproof_into(nodes, m, begin, begin + k, whole, out); !s) return s;
    auto right = subtree_root(nodes, begin + k, end);
    if (!right) return tl::unexpected(right.error());
    out.push_back(*right);
  } else {
    if (auto s = subproof_into(nodes, m - k, begin + k, end, false, out); !s) return s;
    auto left = subtree_root(nodes, begin, begin + k);
    if (!left) return tl::unexpected(left.error());
    out.push_back(*left);
  }
  return {};
}

}  // namespace

Result<std::vector<Hash>> inclusion_path(const NodeSource& nodes, std::uint64_t index,
                                         std::uint64_t size) {
  if (index >= size) {
    return fail(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(index) +
                                                 " is not in a tree of size " +
                                                 std::to_string(size));
  }
  std::vector<Hash> out;
  if (auto s = path_into(nodes, index, 0, size, out); !s) return tl::unexpected(s.error());
  return out;
}

Result<std::vector<Hash>> consistency_proof(const NodeSource& nodes, std::uint64_t first,
                                            std::uint64_t second) {
  if (first > second) {
    return fail(ErrorCode::kInvalidArgument, "the first tree size " + std::to_string(first) +
                                                 " is larger than the second, " +
                                                 std::to_string(second));
  }
  std::vector<Hash> out;
  if (first == 0 || first == second) return out;
  if (auto s = subproof_into(nodes, first, 0, second, true, out); !s) {
    return tl::unexpected(s.error());
  }
  return out;
}

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                      const std::vector<Hash>& path, const Hash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                        const Hash& second_root, const std::vector<Hash>& proof) {
  if (first > second) return false;
  if (first == second) return proof.empty() && first_root == second_root;
  if (first == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (std::has_single_bit(first)) path.push_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = first - 1;
  std::uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

std::vector<std::pair<unsigned, std::uint64_t>> compact_range_nodes(std::uint64_t size) {
  std::vector<std::pair<unsigned, std::uint64_t>> out;
  std::uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t width = std::uint64_t{1} << level;
    if ((size & width) == 0) continue;
    out.emplace_back(static_cast<unsigned>(level), begin >> level);
    begin += width;
  }
  return out;
}

void CompactRange::append(
    const Hash& leaf, const std::function<void(unsigned, std::uint64_t, const Hash&)>& completed) {
  Hash carry = leaf;
  unsigned level = 0;
  std::uint64_t index = size_;
  // Each trailing one bit of size_ is a complete subtree that the new leaf's subtree joins.
  while (((size_ >> level) & 1) != 0) {
    carry = node_hash(hashes_.back(), carry);
    hashes_.pop_back();
    ++level;
    index >>= 1;
    if (completed) completed(level, index, carry);
  }
  hashes_.push_back(carry);
  ++size_;
}

Hash CompactRange::root() const {
  if (hashes_.empty()) return empty_root();
  Hash r = hashes_.back();
  for (auto it = hashes_.rbegin() + 1; it != hashes_.rend(); ++it) r = node_hash(*it, r);
  return r;
}

}  // namespace synthgate::audit
