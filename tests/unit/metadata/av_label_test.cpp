// Audio and video containers (MP4, WAV, MP3, FLAC) built byte by byte: the label reads back,
// writing twice keeps one, the media bytes and chunk offsets survive, damage is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/file_io.hpp"
#include "core/secure_random.hpp"
#include "media/flv_tags.hpp"
#include "media/isobmff_boxes.hpp"
#include "media/matroska_elements.hpp"
#include "media/ogg_pages.hpp"
#include "media/vorbis_comment.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/implicit_label.hpp"

namespace synthgate::metadata {
namespace {

namespace fs = std::filesystem;

AigcRecord producer() {
  AigcRecord r;
  r.label = "1";
  r.content_producer = "001191440300708461136T1XGW3";
  r.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  return r;
}

AigcRecord platform() {
  AigcRecord r;
  r.label = "1";
  r.content_propagator = "001191440300708461136T2PLAT";
  r.propagate_id = "share-42";
  return r;
}

void put(Bytes& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}
void put(Bytes& out, const Bytes& b) {
  out.insert(out.end(), b.begin(), b.end());
}

Bytes box(std::string_view type, const Bytes& payload) {
  return *media::make_box(type, payload);
}

// ftyp, moov with one track whose stco points at the payload "SAMPLE-DATA" in mdat, either
// before (faststart) or after mdat.
Bytes tiny_mp4(bool moov_first) {
  Bytes ftyp_payload;
  put(ftyp_payload, "isom");
  media::append_be32(ftyp_payload, 0x200);
  put(ftyp_payload, "isommp41");
  const Bytes ftyp = box("ftyp", ftyp_payload);
  const Bytes mdat = box("mdat", Bytes{'S', 'A', 'M', 'P', 'L', 'E', '-', 'D', 'A', 'T', 'A'});
  auto moov_with = [](std::uint32_t offset) {
    Bytes stco(4, 0);
    media::append_be32(stco, 1);
    media::append_be32(stco, offset);
    const Bytes stbl = box("stbl", box("stco", stco));
    const Bytes trak = box("trak", box("mdia", box("minf", stbl)));
    Bytes mvhd(100, 0);
    Bytes moov_payload = box("mvhd", mvhd);
    put(moov_payload, trak);
    return box("moov", moov_payload);
  };
  Bytes file = ftyp;
  if (moov_first) {
    const std::size_t moov_size = moov_with(0).size();
    put(file, moov_with(static_cast<std::uint32_t>(ftyp.size() + moov_size + 8)));
    put(file, mdat);
  } else {
    put(file, mdat);
    put(file, moov_with(static_cast<std::uint32_t>(ftyp.size() + 8)));
  }
  return file;
}

// The first stco entry of an MP4 (found by its type; the test files have one).
std::uint32_t first_chunk_offset(const Bytes& file) {
  const std::string_view text = as_chars(file);
  const auto at = text.find("stco");
  EXPECT_NE(at, std::string_view::npos);
  return media::read_be32(file, at + 12);
}

Bytes tiny_wav(bool with_info) {
  Bytes body;
  put(body, "WAVE");
  Bytes fmt = {1, 0, 1, 0, 0x44, 0xac, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0};
  Bytes chunk;
  put(chunk, "fmt ");
  chunk.insert(chunk.end(), {16, 0, 0, 0});
  put(chunk, fmt);
  put(body, chunk);
  if (with_info) {
    put(body, "LIST");
    body.insert(body.end(), {16, 0, 0, 0});
    put(body, "INFOINAM");
    body.insert(body.end(), {4, 0, 0, 0});
    put(body, "Sun");
    body.push_back(0);
  }
  put(body, "data");
  body.insert(body.end(), {8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
  Bytes file;
  put(file, "RIFF");
  const auto size = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<std::uint8_t>(size >> (8 * i)));
  put(file, body);
  return file;
}

// Three MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (417 bytes each), optionally behind
// an ID3v2.3 tag holding a title.
Bytes tiny_mp3(bool v23_tag) {
  Bytes file;
  if (v23_tag) {
    Bytes frame;
    put(frame, "TIT2");
    frame.insert(frame.end(), {0, 0, 0, 7, 0, 0, 0});
    put(frame, "Sunset");
    file = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(frame.size())};
    put(file, frame);
  }
  for (int i = 0; i < 3; ++i) {
    Bytes frame(417, 0);
    frame[0] = 0xff;
    frame[1] = 0xfb;
    frame[2] = 0x90;
    put(file, frame);
  }
  return file;
}

std::uint8_t crc8(ByteView data) {
  std::uint8_t crc = 0;
  for (std::uint8_t byte : data) {
    crc ^= byte;
    for (int i = 0; i < 8; ++i)
      crc = static_cast<std::uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

std::uint16_t crc16(ByteView data) {
  std::uint16_t crc = 0;
  for (std::uint8_t byte : data) {
    crc = static_cast<std::uint16_t>(crc ^ (byte << 8));
    for (int i = 0; i < 8; ++i)
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x8005 : crc << 1);
  }
  return crc;
}

// fLaC, STREAMINFO, and two mono 16-bit frames of 192 samples, each one CONSTANT subframe.
Bytes tiny_flac() {
  Bytes file;
  put(file, "fLaC");
  file.insert(file.end(), {0x80, 0, 0, 34});  // last block, STREAMINFO
  Bytes info(34, 0);
  info[1] = 192;
  info[3] = 192;
  put(file, info);
  for (std::uint8_t n = 0; n < 2; ++n) {
    Bytes frame = {0xff, 0xf8, 0x19, 0x08, n};
    frame.push_back(crc8(frame));
    frame.insert(frame.end(), {0x00, 0x12, 0x34});  // CONSTANT subframe, value 0x1234
    const std::uint16_t crc = crc16(frame);
    frame.push_back(static_cast<std::uint8_t>(crc >> 8));
    frame.push_back(static_cast<std::uint8_t>(crc));
    put(file, frame);
  }
  return file;
}

// Ogg Vorbis in outline: identification page, comment and setup headers re-paged by the
// library, two audio pages, the last one marked end of stream.
Bytes tiny_ogg() {
  const std::uint32_t serial = 0x1234;
  Bytes ident;
  put(ident, "\x01vorbis");
  ident.resize(30, 1);
  Bytes comment;
  put(comment, "\x03vorbis");
  put(comment, media::serialize_vorbis_comment({"test vendor", {"TITLE=Sunset"}, 0}));
  comment.push_back(1);
  Bytes setup;
  put(setup, "\x05vorbis");
  setup.resize(600, 7);
  Bytes file = media::make_ogg_page(0x02, 0, serial, 0, {30}, ident);
  const auto headers = media::page_packets({comment, setup}, serial, 1, 0);
  for (const Bytes& page : headers) put(file, page);
  auto sequence = static_cast<std::uint32_t>(1 + headers.size());
  put(file, media::make_ogg_page(0, 500, serial, sequence, {10}, Bytes(10, 3)));
  put(file, media::make_ogg_page(0x04, 1000, serial, sequence + 1, {12}, Bytes(12, 4)));
  return file;
}

// Matroska in outline: EBML header, a Segment (8-byte size field) with a SeekHead, the Void
// ffmpeg reserves after it, Info and one Cluster.
Bytes tiny_mkv() {
  namespace id = media::ebml_id;
  const Bytes header =
      media::ebml_element(id::kHeader, media::ebml_element(id::kDocType, as_bytes("matroska")));
  Bytes seek = media::ebml_element(id::kSeekId, media::ebml_id_bytes(0x1549A966));
  put(seek, media::ebml_uint_element(id::kSeekPosition, 100 + 13));
  Bytes body = media::ebml_element(id::kSeekHead, media::ebml_element(id::kSeek, seek));
  put(body, media::ebml_void(113 - body.size()));
  put(body, media::ebml_element(0x1549A966, Bytes(20, 5)));
  put(body, media::ebml_element(id::kCluster, Bytes(300, 9)));
  Bytes file = header;
  put(file, media::ebml_id_bytes(id::kSegment));
  put(file, *media::ebml_size_bytes(body.size(), 8));
  put(file, body);
  return file;
}

// FLV: header, PreviousTagSize0 and two small video tags, no onMetaData yet.
Bytes tiny_flv() {
  Bytes file = {'F', 'L', 'V', 1, 1, 0, 0, 0, 9, 0, 0, 0, 0};
  for (std::uint8_t n = 0; n < 2; ++n) {
    const Bytes like = {9, 0, 0, 0, 0, 0, n, 0, 0, 0, 0};
    put(file, media::make_flv_tag(like, Bytes(40, static_cast<std::uint8_t>(0x12 + n))));
  }
  return file;
}

struct Sample {
  const char* format;
  Bytes (*make)();
};

class AvLabelTest : public ::testing::TestWithParam<Sample> {};

TEST_P(AvLabelTest, WritesOneLabelThatReadsBack) {
  const Bytes in = GetParam().make();
  auto before = read_label(in);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->format, GetParam().format);
  EXPECT_EQ(before->count, 0u);
  auto out = write_label(in, producer());
  ASSERT_TRUE(out) << out.error().message;
  auto after = read_label(*out);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->count, 1u);
  EXPECT_EQ(after->record, producer());
}

TEST_P(AvLabelTest, ProducerThenPlatformLeavesOneLabelWithBothParts) {
  auto first = write_label(GetParam().make(), producer());
  ASSERT_TRUE(first) << first.error().message;
  auto second = write_propagation(*first, platform());
  ASSERT_TRUE(second) << second.error().message;
  auto reading = read_label(*second);
  ASSERT_TRUE(reading);
  EXPECT_EQ(reading->count, 1u);
  AigcRecord both = producer();
  both.content_propagator = platform().content_propagator;
  both.propagate_id = platform().propagate_id;
  EXPECT_EQ(reading->record, both);
}

TEST_P(AvLabelTest, SignatureSurvivesThePlatformsWrite) {
  const Bytes in = GetParam().make();
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  AigcRecord signed_record = producer();
  signed_record.reserved_code1 = *producer_signature(in, signed_record, key);
  auto labelled = write_label(in, signed_record);
  ASSERT_TRUE(labelled);
  auto shared = write_propagation(*labelled, platform());
  ASSERT_TRUE(shared);
  EXPECT_EQ(verify_label(*shared, key.public_key()), Integrity::kIntact);
}

TEST_P(AvLabelTest, RefusesEveryTruncation) {
  const Bytes labelled = *write_label(GetParam().make(), producer());
  for (std::size_t keep : {labelled.size() - 1, labelled.size() * 2 / 3, labelled.size() / 2}) {
    const Bytes cut(labelled.begin(), labelled.begin() + static_cast<std::ptrdiff_t>(keep));
    auto out = write_label(cut, producer());
    EXPECT_FALSE(out) << GetParam().format << " cut to " << keep << " bytes was accepted";
    EXPECT_FALSE(read_label(cut)) << GetParam().format << " cut to " << keep;
  }
}

TEST_P(AvLabelTest, FileApiStreamsToTheSameBytes) {
  const fs::path dir = fs::temp_directory_path() / ("sg-av-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "in", out = dir / "out";
  const Bytes bytes = GetParam().make();
  ASSERT_TRUE(write_file_atomically(in, bytes));
  ASSERT_TRUE(write_label_file(in, out, producer()));
  EXPECT_EQ(*read_file(out), *write_label(bytes, producer()));
  EXPECT_EQ(read_label_file(out)->record, producer());
  EXPECT_EQ(*read_file(in), bytes);
  // A refused input leaves no output and no temporary file behind.
  const Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 2));
  ASSERT_TRUE(write_file_atomically(in, cut));
  const fs::path never = dir / "never";
  EXPECT_FALSE(write_label_file(in, never, producer()));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 2u);  // in, out
  fs::remove_all(dir);
}

Bytes mp4_faststart() {
  return tiny_mp4(true);
}
Bytes mp4_moov_last() {
  return tiny_mp4(false);
}
Bytes wav_plain() {
  return tiny_wav(false);
}
Bytes wav_info() {
  return tiny_wav(true);
}
Bytes mp3_bare() {
  return tiny_mp3(false);
}
Bytes mp3_v23() {
  return tiny_mp3(true);
}

INSTANTIATE_TEST_SUITE_P(Formats, AvLabelTest,
                         ::testing::Values(Sample{"mp4", mp4_faststart},
                                           Sample{"mp4", mp4_moov_last}, Sample{"wav", wav_plain},
                                           Sample{"wav", wav_info}, Sample{"mp3", mp3_bare},
                                           Sample{"mp3", mp3_v23}, Sample{"flac", tiny_flac},
                                           Sample{"ogg", tiny_ogg}, Sample{"matroska", tiny_mkv},
                                           Sample{"flv", tiny_flv}));

TEST(OggLabel, RepagesWithValidCrcsAndKeepsOtherComments) {
  const Bytes out = *write_label(tiny_ogg(), producer());
  auto pages = media::walk_ogg(out);  // checks every CRC
  ASSERT_TRUE(pages) << pages.error().message;
  for (std::size_t i = 0; i < pages->size(); ++i) EXPECT_EQ((*pages)[i].sequence, i);
  EXPECT_NE(as_chars(out).find("TITLE=Sunset"), std::string_view::npos);
  // A flipped byte is refused.
  Bytes bad = out;
  bad[bad.size() - 5] ^= 0x40;
  EXPECT_FALSE(read_label(bad));
}

TEST(Mp4Label, ChunkOffsetsFollowTheSamplesWhenMoovGrows) {
  for (bool moov_first : {true, false}) {
    const Bytes in = tiny_mp4(moov_first);
    auto out = write_label(in, producer());
    ASSERT_TRUE(out);
    EXPECT_GT(out->size(), in.size());
    const std::uint32_t offset = first_chunk_offset(*out);
    ASSERT_LE(offset + 11u, out->size());
    EXPECT_EQ(as_chars(ByteView(*out).subspan(offset, 11)), "SAMPLE-DATA") << moov_first;
    if (!moov_first) {
      EXPECT_EQ(offset, first_chunk_offset(in));
    }
  }
}

TEST(Mp4Label, ABoxOfSizeZeroInsideMoovDoesNotSwallowTheLabel) {
  Bytes in = tiny_mp4(false);  // moov last: appending to the file appends to moov
  const std::size_t moov = as_chars(in).find("moov") - 4;
  put(in, Bytes{0, 0, 0, 0, 'f', 'r', 'e', 'e', 1, 2, 3, 4});
  const std::uint32_t size = media::read_be32(in, moov) + 12;
  for (std::size_t i = 0; i < 4; ++i)
    in[moov + i] = static_cast<std::uint8_t>(size >> (24 - 8 * i));
  auto out = write_label(in, producer());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(read_label(*out)->count, 1u);
}

TEST(Mp4Label, KeepsFfmpegsKeysLayout) {
  const Bytes out = *write_label(tiny_mp4(true), producer());
  const std::string_view text = as_chars(out);
  // moov/udta/meta with an mdta hdlr, a keys entry "mdta" "AIGC", an ilst item of type 1.
  EXPECT_NE(text.find("udta"), std::string_view::npos);
  EXPECT_NE(text.find("hdlr"), std::string_view::npos);
  EXPECT_NE(text.find("mdtaAIGC"), std::string_view::npos);
  EXPECT_NE(text.find("ilst"), std::string_view::npos);
  EXPECT_NE(text.find(producer().to_json()), std::string_view::npos);
}

TEST(Mp4Label, RefusesFilesThatAreNotWhatTheySay) {
  Bytes no_moov = tiny_mp4(true);
  no_moov.resize(32);  // the ftyp box alone... and a cut header
  EXPECT_FALSE(write_label(no_moov, producer()));
  Bytes heic = tiny_mp4(true);
  std::copy_n("heic", 4, heic.begin() + 8);
  EXPECT_EQ(read_label(heic).error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(Mp3Label, UpgradesAnId3v23TagAndKeepsItsFrames) {
  const Bytes out = *write_label(tiny_mp3(true), producer());
  EXPECT_EQ(out[3], 4);  // ID3v2.4
  const std::string_view text = as_chars(out);
  EXPECT_NE(text.find("TIT2"), std::string_view::npos);
  EXPECT_NE(text.find("Sunset"), std::string_view::npos);
  EXPECT_NE(text.find(std::string("TXXX")), std::string_view::npos);
  // The audio frames follow the tag unchanged.
  const Bytes mp3 = tiny_mp3(false);
  EXPECT_TRUE(
      std::equal(mp3.begin(), mp3.end(), out.end() - static_cast<std::ptrdiff_t>(mp3.size())));
}

TEST(WavLabel, WritesTheAigcChunkAndTheInfoEntryAsOneLabel) {
  const Bytes out = *write_label(tiny_wav(true), producer());
  const std::string_view text = as_chars(out);
  EXPECT_NE(text.find("INAM"), std::string_view::npos);
  const auto first = text.find("AIGC");
  ASSERT_NE(first, std::string_view::npos);
  EXPECT_NE(text.find("AIGC", first + 4), std::string_view::npos);
  EXPECT_EQ(read_label(out)->count, 1u);
}

}  // namespace
}  // namespace synthgate::metadata
