// Moderation throughput, printed as tables:
//  1. text: MB/s and p50/p99 per 1 KiB prompt at 10k and 100k terms with every normalisation
//     on (folding, separators, repeats, pinyin and homophones, personal data), beside a raw
//     Hyperscan block-mode scan of the same text for the same terms (the ratio's base);
//  2. PDQ hashes per second (pixels already decoded, and with decoding);
//  3. blocklist query time at 1,000,000 hashes, distance <= 31 (multi-index hashing).
// Usage: bench_moderation [--quick | --text | --blocklist]   (--quick: 10k terms and 100k
//        hashes only; --text: the 10k-term text row only; --blocklist: the 1M-hash table only)
#include <hs.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "media/decoded_image.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/pdq_hash.hpp"
#include "moderation/text_moderator.hpp"
#include "moderation/utf8.hpp"

using namespace synthgate;
using namespace synthgate::moderation;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

struct Latency {
  double mb_per_s, p50_us, p99_us;
};

Latency summarise(std::vector<double> us, std::size_t bytes) {
  double total = 0;
  for (double u : us) total += u;
  std::sort(us.begin(), us.end());
  return {static_cast<double>(bytes) / total, us[us.size() / 2], us[us.size() * 99 / 100]};
}

// Characters drawn Zipf-like from the ideographs that have a reading: a few common, most rare.
class ChineseSource {
 public:
  explicit ChineseSource(const CharacterTables& tables) {
    for (char32_t c = 0x4E00; c <= 0x9FA5 && chars_.size() < 3500; c += 3) {
      if (!tables.pinyin(c).empty() && tables.lookup(c).folded == c) chars_.push_back(c);
    }
  }
  char32_t uniform(std::mt19937& rng) { return chars_[rng() % chars_.size()]; }
  char32_t next(std::mt19937& rng) {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto i = static_cast<std::size_t>(std::pow(static_cast<double>(chars_.size()), u)) - 1;
    return chars_[std::min(i, chars_.size() - 1)];
  }

 private:
  std::vector<char32_t> chars_;
};

int on_raw_match(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

void text_bench(const std::shared_ptr<const CharacterTables>& tables, std::size_t term_count) {
  std::mt19937 rng(42);
  ChineseSource source(*tables);
  Lexicon lexicon;
  std::vector<std::string> terms;
  for (std::size_t i = 0; i < term_count; ++i) {
    // Terms are specific phrases: characters drawn evenly, mostly 3-4 long, a fifth of 2.
    std::string term;
    const int length = rng() % 5 == 0 ? 2 : 3 + static_cast<int>(rng() % 2);
    for (int k = 0; k < length; ++k) append_utf8(term, source.uniform(rng));
    terms.push_back(term);
    lexicon.entries.push_back({term, "A.1.1", TermAction::kBlock, i % 20 == 0, true, "bench"});
  }
  auto start = Clock::now();
  auto moderator = TextModerator::build(tables, lexicon, {});
  const double build_s = micros(Clock::now() - start) / 1e6;
  if (!moderator) {
    std::printf("build failed: %s\n", moderator.error().message.c_str());
    return;
  }
  // Raw: the same terms as literals, block mode, no normalisation.
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> flags(terms.size(), 0), ids(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    expressions.push_back(terms[i].data());
    lengths.push_back(terms[i].size());
    ids[i] = static_cast<unsigned>(i);
  }
  hs_database_t* raw = nullptr;
  hs_compile_error_t* error = nullptr;
  hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                       static_cast<unsigned>(terms.size()), HS_MODE_BLOCK, nullptr, &raw, &error);
  hs_scratch_t* raw_scratch = nullptr;
  hs_alloc_scratch(raw, &raw_scratch);

  // 1 KiB prompts: Chinese with punctuation every dozen characters and an ASCII word now and
  // then; a few carry a term.
  std::vector<std::string> prompts;
  for (int p = 0; p < 2000; ++p) {
    std::string text;
    while (text.size() < 1024 - 4) {
      append_utf8(text, source.next(rng));
      if (rng() % 12 == 0) text += "，";
      if (rng() % 80 == 0) text += " model ";
    }
    if (p % 10 == 0) text.replace(30, 0, terms[rng() % terms.size()]);
    text.resize(std::min<std::size_t>(text.size(), 1024));
    prompts.push_back(text);
  }
  ScanScratch scratch;
  (void)(*moderator)->prepare(scratch);
  std::vector<double> full_us, raw_us;
  std::size_t bytes = 0, flagged = 0, raw_hits = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& text : prompts) {
      start = Clock::now();
      auto d = (*moderator)->check(text, scratch);
      full_us.push_back(micros(Clock::now() - start));
      flagged += d && d->decision != Decision::kPass ? 1U : 0U;
      start = Clock::now();
      hs_scan(raw, text.data(), static_cast<unsigned>(text.size()), 0, raw_scratch, on_raw_match,
              &raw_hits);
      raw_us.push_back(micros(Clock::now() - start));
      bytes += text.size();
    }
  }
  const auto full = summarise(full_us, bytes);
  const auto base = summarise(raw_us, bytes);
  std::printf("%8zu %9.1f %7.1f%% %10.1f %8.1f %8.1f %10.1f %8.1f %8.1f %7.1fx\n", term_count,
              build_s, 100.0 * static_cast<double>(flagged) / static_cast<double>(full_us.size()),
              full.mb_per_s, full.p50_us, full.p99_us, base.mb_per_s, base.p50_us, base.p99_us,
              base.mb_per_s / full.mb_per_s);
  hs_free_scratch(raw_scratch);
  hs_free_database(raw);
}

void pdq_bench() {
  const std::filesystem::path image =
      std::filesystem::path(SYNTHGATE_SHARED_TESTDATA) / "pdq/images/bridge-mods/aaa-orig.jpg";
  std::ifstream in(image, std::ios::binary);
  if (!in) {
    std::printf("PDQ: %s missing, skipped\n", image.c_str());
    return;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = media::decode_rgb_image(as_bytes(bytes));
  if (!decoded) return;
  const int n = 40;
  auto start = Clock::now();
  for (int i = 0; i < n; ++i)
    (void)pdq_from_rgb(decoded->rgb.data(), decoded->width, decoded->height);
  const double hash_s = micros(Clock::now() - start) / 1e6 / n;
  start = Clock::now();
  for (int i = 0; i < n; ++i) (void)pdq_of_image(as_bytes(bytes));
  const double both_s = micros(Clock::now() - start) / 1e6 / n;
  std::printf("\nPDQ, %dx%d JPEG: %.0f hashes/s from pixels, %.0f/s with decoding\n",
              decoded->width, decoded->height, 1 / hash_s, 1 / both_s);
}

void blocklist_bench(std::size_t count) {
  std::mt19937_64 rng(9);
  std::vector<BlocklistEntry> entries(count);
  for (auto& e : entries) {
    for (auto& w : e.hash.words) w = static_cast<std::uint16_t>(rng());
  }
  auto start = Clock::now();
  const HashBlocklist index(entries);
  const double build_s = micros(Clock::now() - start) / 1e6;
  std::vector<double> near_us, far_us;
  std::size_t found = 0;
  for (int q = 0; q < 2000; ++q) {
    PdqHash query = entries[rng() % count].hash;
    for (int f = 0; f < q % 32; ++f) {
      const auto b = rng() % 256;
      query.words[b / 16] = static_cast<std::uint16_t>(query.words[b / 16] ^ (1U << (b % 16)));
    }
    start = Clock::now();
    found += index.search(query).size();
    near_us.push_back(micros(Clock::now() - start));
    PdqHash random;
    for (auto& w : random.words) w = static_cast<std::uint16_t>(rng());
    start = Clock::now();
    found += index.search(random).size();
    far_us.push_back(micros(Clock::now() - start));
  }
  start = Clock::now();
  for (int q = 0; q < 20; ++q)
    found += index.search_linear(entries[static_cast<std::size_t>(q)].hash).size();
  const double linear_us = micros(Clock::now() - start) / 20;
  const auto near = summarise(near_us, 1);
  const auto far = summarise(far_us, 1);
  std::printf("%9zu %8.2f %10.1f %10.1f %10.1f %10.1f %10.1f\n", count, build_s, near.p50_us,
              near.p99_us, far.p50_us, far.p99_us, linear_us);
  if (found == 0) std::printf("(nothing found?)\n");
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  if (argc > 1 && std::strcmp(argv[1], "--blocklist") == 0) {
    std::printf("%9s %8s %10s %10s %10s %10s %10s\n", "hashes", "build s", "near p50", "near p99",
                "miss p50", "miss p99", "linear us");
    blocklist_bench(1'000'000);
    return 0;
  }
  auto tables = load_character_tables({});
  if (!tables) {
    std::fprintf(stderr, "%s\n", tables.error().message.c_str());
    return 1;
  }
  std::printf(
      "Text moderation, 1 KiB prompts, one core (all normalisations, pinyin, personal data)\n");
  std::printf("%8s %9s %8s %10s %8s %8s %10s %8s %8s %8s\n", "terms", "build s", "flagged",
              "full MB/s", "p50 us", "p99 us", "raw MB/s", "p50 us", "p99 us", "ratio");
  text_bench(*tables, 10'000);
  if (argc > 1 && std::strcmp(argv[1], "--text") == 0) return 0;
  if (!quick) text_bench(*tables, 100'000);
  pdq_bench();
  std::printf("\nPDQ blocklist (multi-index hashing), distance <= 31, one core\n");
  std::printf("%9s %8s %10s %10s %10s %10s %10s\n", "hashes", "build s", "near p50", "near p99",
              "miss p50", "miss p99", "linear us");
  blocklist_bench(quick ? 100'000 : 1'000'000);
  return 0;
}
