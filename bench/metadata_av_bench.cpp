// Labelling a large MP4 from disk, printed as a table: write (streamed: moov read, mdat
// copied in 1 MiB pieces), read (moov only), producer signature (hashes the whole file), and
// the process's peak resident memory after each step, which must stay far below the file size.
// Usage: bench_metadata_av [MEGABYTES]   (default 200; the file is made in a temporary directory)
#include <sys/resource.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/secure_random.hpp"
#include "media/isobmff_boxes.hpp"
#include "metadata/implicit_label.hpp"

using namespace synthgate;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double peak_rss_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

Bytes box(std::string_view type, const Bytes& payload) {
  return *media::make_box(type, payload);
}

// ftyp, a faststart moov whose one track has a chunk every MiB of mdat, and mdat itself,
// written piece by piece so that making the file does not raise the peak memory.
void make_mp4(const fs::path& path, std::size_t megabytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  Bytes ftyp_payload = {'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  const Bytes ftyp = box("ftyp", ftyp_payload);
  auto moov_with = [&](std::uint32_t first) {
    Bytes stco(4, 0);
    media::append_be32(stco, static_cast<std::uint32_t>(megabytes));
    for (std::size_t i = 0; i < megabytes; ++i) {
      media::append_be32(stco, static_cast<std::uint32_t>(first + i * kMiB));
    }
    Bytes moov = box("mvhd", Bytes(100, 0));
    const Bytes trak = box("trak", box("mdia", box("minf", box("stbl", box("stco", stco)))));
    moov.insert(moov.end(), trak.begin(), trak.end());
    return box("moov", moov);
  };
  const std::size_t moov_size = moov_with(0).size();
  const Bytes moov = moov_with(static_cast<std::uint32_t>(ftyp.size() + moov_size + 8));
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(ftyp.data()), static_cast<std::streamsize>(ftyp.size()));
  out.write(reinterpret_cast<const char*>(moov.data()), static_cast<std::streamsize>(moov.size()));
  Bytes header;
  media::append_be32(header, static_cast<std::uint32_t>(megabytes * kMiB + 8));
  header.insert(header.end(), {'m', 'd', 'a', 't'});
  out.write(reinterpret_cast<const char*>(header.data()), 8);
  std::string piece(kMiB, '\0');
  for (std::size_t i = 0; i < megabytes; ++i) {
    for (std::size_t j = 0; j < piece.size(); j += 4096) piece[j] = static_cast<char>(i + j);
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  }
}

void row(const char* step, double seconds, double megabytes) {
  std::printf("| %-36s | %9.3f | %10.1f | %12.1f |\n", step, seconds, megabytes / seconds,
              peak_rss_mib());
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t megabytes = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
  const fs::path dir = fs::temp_directory_path() / ("sg-bench-av-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "in.mp4", out = dir / "out.mp4", again = dir / "again.mp4";
  make_mp4(in, megabytes);
  const double size_mb = static_cast<double>(fs::file_size(in)) / 1e6;
  std::printf("MP4 of %.1f MB (%s), peak RSS before labelling %.1f MiB\n\n", size_mb, in.c_str(),
              peak_rss_mib());
  std::printf("| %-36s | %9s | %10s | %12s |\n", "step", "seconds", "MB/s", "peak RSS MiB");
  std::printf("|%s|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(11, '-').c_str(),
              std::string(12, '-').c_str(), std::string(14, '-').c_str());

  metadata::AigcRecord record;
  record.label = "1";
  record.content_producer = "001191440300708461136T1XGW3";
  record.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  int status = 0;

  auto start = Clock::now();
  if (auto ok = metadata::write_label_file(in, out, record); !ok) {
    std::fprintf(stderr, "write: %s\n", ok.error().message.c_str());
    status = 1;
  }
  row("write (moov grows, offsets shifted)",
      std::chrono::duration<double>(Clock::now() - start).count(), size_mb);

  start = Clock::now();
  auto reading = metadata::read_label_file(out);
  if (!reading || !reading->record) status = 1;
  row("read", std::chrono::duration<double>(Clock::now() - start).count(), size_mb);

  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  start = Clock::now();
  auto signature = metadata::producer_signature_file(out, record, key);
  if (!signature) status = 1;
  row("sign (content digest of the file)",
      std::chrono::duration<double>(Clock::now() - start).count(), size_mb);

  metadata::AigcRecord platform;
  platform.label = "1";
  platform.content_propagator = "001191440300708461136T2PLAT";
  platform.propagate_id = "share-1";
  start = Clock::now();
  if (!metadata::write_propagation_file(out, again, platform)) status = 1;
  row("platform write (label replaced)",
      std::chrono::duration<double>(Clock::now() - start).count(), size_mb);

  fs::remove_all(dir);
  if (status != 0) std::fprintf(stderr, "a step failed\n");
  return status;
}
