#include <gtest/gtest.h>

#include "media/jpeg_segments.hpp"
#include "media/png_chunks.hpp"

namespace synthgate::media {
namespace {

// The smallest JPEG shape the walker accepts: SOI, one APP0, SOS, one byte of data, EOI.
Bytes tiny_jpeg() {
  return {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 'J', 'F', 0xff, 0xda, 0x00, 0x02, 0x12, 0xff, 0xd9};
}

TEST(JpegSegments, WalksHeaderSegmentsUpToTheScan) {
  const Bytes file = tiny_jpeg();
  auto layout = walk_jpeg(file);
  ASSERT_TRUE(layout) << layout.error().message;
  ASSERT_EQ(layout->segments.size(), 2u);
  EXPECT_EQ(layout->segments[0].marker, 0xe0);
  EXPECT_EQ(layout->segments[0].payload_size, 2u);
  EXPECT_EQ(layout->segments[1].marker, 0xda);
  EXPECT_EQ(layout->scan_offset, 8u);
}

TEST(JpegSegments, RefusesDamage) {
  Bytes no_eoi = tiny_jpeg();
  no_eoi.resize(no_eoi.size() - 2);
  EXPECT_FALSE(walk_jpeg(no_eoi));
  Bytes long_segment = tiny_jpeg();
  long_segment[5] = 0x40;  // APP0 length past the end
  EXPECT_FALSE(walk_jpeg(long_segment));
  EXPECT_FALSE(walk_jpeg(Bytes{0xff, 0xd8, 0xff, 0xd9}));  // no scan
  EXPECT_FALSE(walk_jpeg(Bytes{0x89, 'P', 'N', 'G'}));
}

Bytes tiny_png() {
  Bytes file(kPngSignature.begin(), kPngSignature.end());
  const Bytes ihdr = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
  for (const Bytes& chunk : {make_png_chunk("IHDR", ihdr), make_png_chunk("IDAT", Bytes{1, 2, 3}),
                             make_png_chunk("IEND", Bytes{})}) {
    file.insert(file.end(), chunk.begin(), chunk.end());
  }
  return file;
}

TEST(PngChunks, WalksChunksAndChecksCrcs) {
  auto chunks = walk_png(tiny_png());
  ASSERT_TRUE(chunks) << chunks.error().message;
  ASSERT_EQ(chunks->size(), 3u);
  EXPECT_EQ((*chunks)[0].type, "IHDR");
  EXPECT_EQ((*chunks)[1].data_size, 3u);

  Bytes bad_crc = tiny_png();
  bad_crc[8 + 12 + 13 + 9] ^= 1;  // a byte of IDAT's data
  auto refused = walk_png(bad_crc);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("bad CRC"), std::string::npos);

  Bytes truncated = tiny_png();
  truncated.resize(truncated.size() - 12);  // IEND gone
  EXPECT_FALSE(walk_png(truncated));
}

}  // namespace
}  // namespace synthgate::media
