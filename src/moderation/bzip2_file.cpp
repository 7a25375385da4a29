#include "moderation/bzip2_file.hpp"

#include <bzlib.h>

#include <fstream>
#include <iterator>
#include <vector>

namespace synthgate::moderation {

Result<std::string> read_bzip2_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read " + path.string());
  std::vector<char> packed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bz_stream stream{};
  if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) {
    return fail(ErrorCode::kInternal, "bzip2: cannot start decompression");
  }
  stream.next_in = packed.data();
  stream.avail_in = static_cast<unsigned>(packed.size());
  std::string out;
  std::vector<char> buffer(1 << 20);
  int rc = BZ_OK;
  while (rc == BZ_OK) {
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<unsigned>(buffer.size());
    rc = BZ2_bzDecompress(&stream);
    out.append(buffer.data(), buffer.size() - stream.avail_out);
    if (rc == BZ_OK && stream.avail_in == 0 && stream.avail_out != 0) break;
  }
  BZ2_bzDecompressEnd(&stream);
  if (rc != BZ_STREAM_END)
    return fail(ErrorCode::kIo, path.string() + ": not a complete bzip2 file");
  return out;
}

}  // namespace synthgate::moderation
