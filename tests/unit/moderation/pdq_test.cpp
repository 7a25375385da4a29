// PDQ against the shared conformance data (shared/testdata/pdq, see its README): exact hash
// and quality on the exact tier, at most 10 bits from the published C++ reference on images
// of quality >= 80, and the blocklist index against a linear scan.
#include "moderation/pdq_hash.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>

#include "media/decoded_image.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"

#ifndef SYNTHGATE_SHARED_TESTDATA
#error "SYNTHGATE_SHARED_TESTDATA must point at shared/testdata"
#endif

namespace synthgate::moderation {
namespace {

const std::filesystem::path kPdqData = std::filesystem::path(SYNTHGATE_SHARED_TESTDATA) / "pdq";

struct Row {
  std::string image, variant, producer, hash, quality;
};

std::vector<Row> read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream s(line);
    Row r;
    std::getline(s, r.image, ',');
    std::getline(s, r.variant, ',');
    std::getline(s, r.producer, ',');
    std::getline(s, r.hash, ',');
    std::getline(s, r.quality, ',');
    rows.push_back(r);
  }
  return rows;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

PdqResult hash_file(const std::string& image) {
  const auto bytes = read_bytes(kPdqData / "images" / image);
  auto pdq = pdq_of_image(as_bytes(bytes));
  EXPECT_TRUE(pdq) << image << ": " << (pdq ? "" : pdq.error().message);
  return pdq ? *pdq : PdqResult{};
}

class PdqConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kPdqData / "README.md"))
        << "PDQ test data missing at " << kPdqData
        << ": the shared/ folder must sit beside the repository (SYNTHGATE_SHARED_TESTDATA)";
  }
};

TEST_F(PdqConformance, MatchesTheReferenceCoreOnEveryImage) {
  int exact = 0, rows = 0;
  for (const auto& row : read_csv(kPdqData / "expected" / "derived-reference-core.csv")) {
    if (row.producer != "derived-fullres" || row.variant != "plain") continue;
    ++rows;
    const auto got = hash_file(row.image);
    auto want = PdqHash::from_hex(row.hash);
    ASSERT_TRUE(want);
    const int d = hamming_distance(got.hash, *want);
    exact += d == 0 && got.quality == std::stoi(row.quality) ? 1 : 0;
    std::printf("%-45s distance %3d quality %3d (reference %s)\n", row.image.c_str(), d,
                got.quality, row.quality.c_str());
    // Exact tier: OpenCV decodes JPEG with libjpeg-turbo's defaults (accurate integer IDCT,
    // fancy upsampling), as the reference pipeline did, and PNG decodes the same anywhere.
    {
      EXPECT_EQ(got.hash.hex(), row.hash) << row.image;
      EXPECT_EQ(got.quality, std::stoi(row.quality)) << row.image;
    }
    if (std::stoi(row.quality) >= 80) {
      EXPECT_LE(d, 10) << row.image;
    }
    // Quality is the discard rule's input: the three flat images stay below 50.
    if (std::stoi(row.quality) < 50) {
      EXPECT_LT(got.quality, 50) << row.image;
    }
  }
  std::printf("exact (hash and quality): %d of %d\n", exact, rows);
  EXPECT_EQ(exact, rows);
  EXPECT_GE(rows, 30);
}

TEST_F(PdqConformance, WithinTenBitsOfThePublishedCppReference) {
  std::map<std::string, std::string> reference;
  for (const auto& row : read_csv(kPdqData / "expected" / "upstream-published.csv")) {
    if (row.variant != "plain") continue;
    if (row.producer == "cpp-cli-historical") reference[row.image] = row.hash;
    if (row.producer == "pytx-pdqhash" && !reference.contains(row.image)) {
      reference[row.image] = row.hash;
    }
  }
  ASSERT_GE(reference.size(), 20U);
  for (const auto& [image, hex] : reference) {
    if (!std::filesystem::exists(kPdqData / "images" / image)) continue;
    const auto got = hash_file(image);
    if (got.quality < 80) continue;
    auto want = PdqHash::from_hex(hex);
    ASSERT_TRUE(want);
    EXPECT_LE(hamming_distance(got.hash, *want), 10) << image;
  }
}

TEST(PdqHash, HexRoundTripsAndDistancesMatchTheReferenceTool) {
  // hashes/short256.dat with the reference hashtool256 "norms" (bit counts).
  std::ifstream in(kPdqData / "hashes" / "short256.dat");
  ASSERT_TRUE(in) << "PDQ test data missing at " << kPdqData;
  std::vector<PdqHash> hashes;
  std::string line;
  while (std::getline(in, line)) {
    auto h = PdqHash::from_hex(line.substr(0, 64));
    ASSERT_TRUE(h) << line;
    EXPECT_EQ(h->hex(), line.substr(0, 64));
    hashes.push_back(*h);
  }
  ASSERT_EQ(hashes.size(), 6U);
  for (const auto& h : hashes) EXPECT_EQ(hamming_distance(h, h), 0);
  EXPECT_EQ(hamming_distance(hashes[0], hashes[1]), hamming_distance(hashes[1], hashes[0]));
  EXPECT_FALSE(PdqHash::from_hex("xyz"));
}

PdqHash random_hash(std::mt19937_64& rng) {
  PdqHash h;
  for (auto& w : h.words) w = static_cast<std::uint16_t>(rng());
  return h;
}

PdqHash flip_bits(PdqHash h, int count, std::mt19937_64& rng) {
  std::vector<int> bits(256);
  for (int i = 0; i < 256; ++i) bits[static_cast<std::size_t>(i)] = i;
  std::shuffle(bits.begin(), bits.end(), rng);
  for (int i = 0; i < count; ++i) {
    const auto b = static_cast<std::size_t>(bits[static_cast<std::size_t>(i)]);
    h.words[b / 16] = static_cast<std::uint16_t>(h.words[b / 16] ^ (1U << (b % 16)));
  }
  return h;
}

TEST(HashBlocklist, FindsEverythingALinearScanFinds) {
  std::mt19937_64 rng(7);
  std::vector<BlocklistEntry> entries;
  for (int i = 0; i < 20000; ++i) entries.push_back({random_hash(rng), "e" + std::to_string(i)});
  const HashBlocklist index(entries);
  for (int q = 0; q < 300; ++q) {
    const auto& base = entries[static_cast<std::size_t>(q * 13)].hash;
    const auto query = flip_bits(base, q % 40, rng);
    const auto fast = index.search(query);
    const auto slow = index.search_linear(query);
    ASSERT_EQ(fast.size(), slow.size()) << "flips " << q % 40;
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].index, slow[i].index);
      EXPECT_EQ(fast[i].distance, slow[i].distance);
    }
    if (q % 40 <= 31) {
      ASSERT_FALSE(fast.empty());
      EXPECT_EQ(fast[0].distance, q % 40);
    }
  }
}

TEST(HashBlocklist, ReadsBlocklistFilesAndRefusesBadLines) {
  const std::string h(64, 'a');
  auto ok =
      parse_blocklist("# known\n" + h + "  case 17\n\n" + std::string(64, 'B') + "\n", "b.txt");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 2U);
  EXPECT_EQ((*ok)[0].label, "case 17");
  auto bad = parse_blocklist(h + "\nnot a hash\n", "b.txt");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "b.txt:2: expected a 64-hex-digit PDQ hash");
  EXPECT_FALSE(parse_blocklist(h + "ff\n", "b.txt"));
}

TEST_F(PdqConformance, DihedralHashesMatchTheReferenceExactly) {
  const std::map<std::string, Dihedral> variants = {
      {"dih-orig", Dihedral::kOriginal},    {"dih-rot90", Dihedral::kRotate90},
      {"dih-rot180", Dihedral::kRotate180}, {"dih-rot270", Dihedral::kRotate270},
      {"dih-flipx", Dihedral::kFlipX},      {"dih-flipy", Dihedral::kFlipY},
      {"dih-flipp", Dihedral::kFlipPlus1},  {"dih-flipm", Dihedral::kFlipMinus1}};
  int rows = 0;
  for (const auto& row : read_csv(kPdqData / "expected" / "derived-reference-core.csv")) {
    if (row.producer != "derived-fullres" || !row.variant.starts_with("dih-")) continue;
    ++rows;
    const auto bytes = read_bytes(kPdqData / "images" / row.image);
    auto image = media::decode_rgb_image(as_bytes(bytes));
    ASSERT_TRUE(image) << row.image;
    const auto all = pdq_dihedral_from_rgb(image->rgb.data(), image->width, image->height);
    const auto d = variants.at(row.variant);
    EXPECT_EQ(all.hashes[static_cast<std::size_t>(d)].hex(), row.hash) << row.variant;
    EXPECT_EQ(all.quality, std::stoi(row.quality));
  }
  EXPECT_EQ(rows, 8);
}

TEST_F(PdqConformance, RotatedAndMirroredCopiesAreFoundThroughTheDihedralHashes) {
  const auto original = hash_file("bridge-mods/aaa-orig.jpg");
  const HashBlocklist index({{original.hash, "bridge"}});
  int found = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(kPdqData / "images" / "reg-test-input" / "dih")) {
    const auto bytes = read_bytes(entry.path());
    auto check = check_image(as_bytes(bytes), index);
    ASSERT_TRUE(check) << entry.path();
    EXPECT_EQ(check->decision, "block") << entry.path();
    ASSERT_FALSE(check->matches.empty()) << entry.path();
    // The plain hash of a rotated copy is far from the original's; the dihedral hash that
    // turns it back is near.
    const auto name = entry.path().filename().string();
    const std::map<std::string, Dihedral> undo = {
        {"bridge-1-original.jpg", Dihedral::kOriginal},
        {"bridge-2-rotate-90.jpg", Dihedral::kRotate270},
        {"bridge-3-rotate-180.jpg", Dihedral::kRotate180},
        {"bridge-4-rotate-270.jpg", Dihedral::kRotate90},
        {"bridge-5-flipx.jpg", Dihedral::kFlipX},
        {"bridge-6-flipy.jpg", Dihedral::kFlipY},
        {"bridge-7-flip-plus-1.jpg", Dihedral::kFlipPlus1},
        {"bridge-8-flip-minus-1.jpg", Dihedral::kFlipMinus1}};
    EXPECT_EQ(dihedral_name(check->matches[0].transform), dihedral_name(undo.at(name))) << name;
    if (undo.at(name) != Dihedral::kOriginal) {
      EXPECT_GT(hamming_distance(check->pdq.hash, original.hash), 31) << name;
    }
    ++found;
  }
  EXPECT_EQ(found, 8);
}

TEST_F(PdqConformance, ModifiedImagesMatchTheOriginalInTheBlocklist) {
  const auto original = hash_file("bridge-mods/aaa-orig.jpg");
  const HashBlocklist index({{original.hash, "bridge"}});
  for (const auto* name : {"bridge-mods/blur-a-lot.jpg", "bridge-mods/sharpen-a-lot.jpg",
                           "bridge-mods/shrink-a-lot.jpg", "bridge-mods/high-contrast.jpg"}) {
    const auto bytes = read_bytes(kPdqData / "images" / name);
    auto check = check_image(as_bytes(bytes), index);
    ASSERT_TRUE(check);
    EXPECT_EQ(check->decision, "block") << name;
  }
  const auto other = read_bytes(kPdqData / "images" / "misc-images" / "c.png");
  EXPECT_EQ(check_image(as_bytes(other), index)->decision, "pass");
  const std::string text = "not an image";
  auto refused = check_image(as_bytes(text), index);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnsupportedMediaType);
}

}  // namespace
}  // namespace synthgate::moderation
