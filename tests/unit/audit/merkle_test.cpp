#include "audit/merkle.hpp"

#include <gtest/gtest.h>

#include <map>

namespace synthgate::audit {
namespace {

Hash h(std::string_view hex) {
  auto bytes = hex_decode(hex);
  Hash out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// The RFC 6962 reference tree published by transparency-dev/merkle (testonly/constants.go,
// the same data as certificate-transparency-go): its leaves, its root for each size, and
// the hashes of its complete subtrees.
const std::vector<std::string> kLeaves = {"",
                                          "00",
                                          "10",
                                          "2021",
                                          "3031",
                                          "40414243",
                                          "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

// An in-memory node store for a list of leaf hashes: what AuditLog keeps in its tables.
struct MemoryTree {
  std::vector<Hash> leaves;
  std::map<std::pair<unsigned, std::uint64_t>, Hash> nodes;

  void add(const Hash& leaf) {
    nodes[{0, leaves.size()}] = leaf;
    leaves.push_back(leaf);
    // Recompute the complete subtrees the new leaf ends.
    std::uint64_t position = leaves.size() - 1;
    Hash carry = leaf;
    unsigned level = 0;
    while ((position & 1) != 0) {
      carry = node_hash(nodes.at({level, position - 1}), carry);
      ++level;
      position >>= 1;
      nodes[{level, position}] = carry;
    }
  }
  NodeSource source() const {
    return [this](unsigned level, std::uint64_t index) -> Result<Hash> {
      auto it = nodes.find({level, index});
      if (it == nodes.end()) return fail(ErrorCode::kNotFound, "no node");
      return it->second;
    };
  }
};

MemoryTree reference_tree() {
  MemoryTree tree;
  for (const auto& leaf : kLeaves) tree.add(leaf_hash(*hex_decode(leaf)));
  return tree;
}

// A root computed the slow way, straight from RFC 9162's definition of MTH.
Hash definition_root(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  if (end == begin) return empty_root();
  if (end - begin == 1) return leaves[begin];
  const auto k = static_cast<std::size_t>(split_point(end - begin));
  return node_hash(definition_root(leaves, begin, begin + k),
                   definition_root(leaves, begin + k, end));
}

TEST(Merkle, HashesArePrefixedAsRfc9162Says) {
  EXPECT_EQ(hex_encode(empty_root()), kRoots[0]);
  EXPECT_EQ(hex_encode(leaf_hash({})), kRoots[1]);  // SHA-256(0x00)
  const Hash a = leaf_hash(*hex_decode("00"));
  const std::uint8_t manual[] = {0x01};
  Sha256Hasher hasher;
  hasher.update(ByteView(manual, 1));
  hasher.update(leaf_hash({}));
  hasher.update(a);
  EXPECT_EQ(node_hash(leaf_hash({}), a), hasher.finish());
}

TEST(Merkle, SplitsAtTheLargestPowerOfTwoBelowN) {
  const std::map<std::uint64_t, std::uint64_t> cases = {{2, 1}, {3, 2}, {4, 2}, {5, 4},
                                                        {7, 4}, {8, 4}, {9, 8}, {1000, 512}};
  for (const auto& [n, k] : cases) EXPECT_EQ(split_point(n), k) << n;
}

TEST(Merkle, RootsMatchThePublishedReferenceTree) {
  const MemoryTree tree = reference_tree();
  for (std::uint64_t size = 0; size <= kLeaves.size(); ++size) {
    auto root = tree_root(tree.source(), size);
    ASSERT_TRUE(root);
    EXPECT_EQ(hex_encode(*root), kRoots[size]) << "size " << size;
  }
}

TEST(Merkle, StoredNodesMatchThePublishedSubtreeHashes) {
  const MemoryTree tree = reference_tree();
  EXPECT_EQ(hex_encode(tree.nodes.at({1, 1})),
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  EXPECT_EQ(hex_encode(tree.nodes.at({1, 3})),
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  EXPECT_EQ(hex_encode(tree.nodes.at({2, 1})),
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
}

// transparency-dev/merkle proof/verify_test.go, inclusionProofs (its leaf numbers are 1-based).
TEST(Merkle, InclusionProofsMatchThePublishedVectors) {
  struct Vector {
    std::uint64_t index, size;
    std::vector<std::string> path;
  };
  const std::vector<Vector> vectors = {
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {0, 1, {}},
  };
  const MemoryTree tree = reference_tree();
  for (const auto& v : vectors) {
    auto path = inclusion_path(tree.source(), v.index, v.size);
    ASSERT_TRUE(path);
    std::vector<std::string> got;
    for (const auto& p : *path) got.push_back(hex_encode(p));
    EXPECT_EQ(got, v.path) << v.index << "@" << v.size;
    EXPECT_TRUE(verify_inclusion(tree.leaves[v.index], v.index, v.size, *path, h(kRoots[v.size])));
  }
}

// transparency-dev/merkle proof/verify_test.go, consistencyProofs.
TEST(Merkle, ConsistencyProofsMatchThePublishedVectors) {
  struct Vector {
    std::uint64_t first, second;
    std::vector<std::string> proof;
  };
  const std::vector<Vector> vectors = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  const MemoryTree tree = reference_tree();
  for (const auto& v : vectors) {
    auto proof = consistency_proof(tree.source(), v.first, v.second);
    ASSERT_TRUE(proof);
    std::vector<std::string> got;
    for (const auto& p : *proof) got.push_back(hex_encode(p));
    EXPECT_EQ(got, v.proof) << v.first << "->" << v.second;
    EXPECT_TRUE(
        verify_consistency(v.first, v.second, h(kRoots[v.first]), h(kRoots[v.second]), *proof));
  }
}

// A hand-computed three-leaf tree: root = H(1 || H(1 || a || b) || c).
TEST(Merkle, HandComputedThreeLeafTree) {
  const Hash a = leaf_hash(as_bytes("a"));
  const Hash b = leaf_hash(as_bytes("b"));
  const Hash c = leaf_hash(as_bytes("c"));
  MemoryTree tree;
  tree.add(a);
  tree.add(b);
  tree.add(c);
  const Hash ab = node_hash(a, b);
  const Hash root = node_hash(ab, c);
  EXPECT_EQ(*tree_root(tree.source(), 3), root);
  EXPECT_EQ(*inclusion_path(tree.source(), 0, 3), (std::vector<Hash>{b, c}));
  EXPECT_EQ(*inclusion_path(tree.source(), 2, 3), (std::vector<Hash>{ab}));
  EXPECT_EQ(*consistency_proof(tree.source(), 2, 3), (std::vector<Hash>{c}));
  EXPECT_EQ(*consistency_proof(tree.source(), 1, 3), (std::vector<Hash>{b, c}));
  EXPECT_TRUE(verify_consistency(2, 3, ab, root, {c}));
  EXPECT_FALSE(verify_consistency(2, 3, ab, root, {a}));
}

TEST(Merkle, EveryProofOfEveryTreeUpTo40VerifiesAndTamperedOnesDoNot) {
  MemoryTree tree;
  for (std::uint8_t i = 0; i < 40; ++i) {
    const std::uint8_t leaf[] = {i, static_cast<std::uint8_t>(i * 7)};
    tree.add(leaf_hash(ByteView(leaf, 2)));
  }
  std::vector<Hash> roots;
  for (std::uint64_t n = 0; n <= 40; ++n) {
    roots.push_back(*tree_root(tree.source(), n));
    EXPECT_EQ(roots.back(), definition_root(tree.leaves, 0, n)) << n;
  }
  for (std::uint64_t n = 1; n <= 40; ++n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      auto path = *inclusion_path(tree.source(), i, n);
      ASSERT_TRUE(verify_inclusion(tree.leaves[i], i, n, path, roots[n])) << i << "@" << n;
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(tree.leaves[i], (i + 1) % n, n, path, roots[n]));
        // (A path alone does not pin the size: the signed checkpoint binds root and size.)
        auto bad = path;
        bad[0][0] ^= 1;
        EXPECT_FALSE(verify_inclusion(tree.leaves[i], i, n, bad, roots[n]));
        bad = path;
        bad.pop_back();
        EXPECT_FALSE(verify_inclusion(tree.leaves[i], i, n, bad, roots[n]));
      }
    }
    for (std::uint64_t m = 0; m <= n; ++m) {
      auto proof = *consistency_proof(tree.source(), m, n);
      ASSERT_TRUE(verify_consistency(m, n, roots[m], roots[n], proof)) << m << "->" << n;
      if (m > 0 && m < n) {
        EXPECT_FALSE(verify_consistency(m, n, roots[m - 1], roots[n], proof));
        EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n - 1], proof));
        auto bad = proof;
        bad.back()[5] ^= 0x10;
        EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], bad));
        bad = proof;
        bad.push_back(roots[m]);
        EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], bad));
      }
    }
  }
}

TEST(Merkle, CompactRangeGivesEveryRootAndEveryCompletedNode) {
  MemoryTree tree;
  CompactRange range;
  for (std::uint8_t i = 0; i < 33; ++i) {
    const Hash leaf = leaf_hash(ByteView(&i, 1));
    tree.add(leaf);
    range.append(leaf, [&](unsigned level, std::uint64_t index, const Hash& hash) {
      EXPECT_EQ(tree.nodes.at({level, index}), hash);
    });
    EXPECT_EQ(range.root(), definition_root(tree.leaves, 0, tree.leaves.size()));
  }
}

TEST(Merkle, RefusesAProofOutsideTheTree) {
  const MemoryTree tree = reference_tree();
  EXPECT_FALSE(inclusion_path(tree.source(), 8, 8));
  EXPECT_FALSE(consistency_proof(tree.source(), 5, 4));
  EXPECT_FALSE(verify_inclusion(tree.leaves[0], 0, 0, {}, empty_root()));
}

}  // namespace
}  // namespace synthgate::audit
