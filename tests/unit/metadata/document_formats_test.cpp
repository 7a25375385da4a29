// The implicit label in GIF, TIFF, PDF, OOXML, HTML and Markdown: fixtures in
// tests/data/metadata (made with ImageMagick, exiftool, qpdf and Python's zipfile).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/file_io.hpp"
#include "media/tiff_ifd.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/implicit_label.hpp"

namespace synthgate::metadata {
namespace {

namespace fs = std::filesystem;

Bytes fixture(const std::string& name) {
  auto bytes = read_file(fs::path(SYNTHGATE_METADATA_TEST_DATA) / name);
  if (!bytes) ADD_FAILURE() << bytes.error().message;
  return bytes.value_or(Bytes{});
}

std::string text(const Bytes& b) {
  return std::string(as_chars(b));
}

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

struct Sample {
  const char* format;
  const char* file;
};

class DocumentFormatTest : public ::testing::TestWithParam<Sample> {
 protected:
  Bytes in() { return fixture(GetParam().file); }
};

TEST_P(DocumentFormatTest, WritesOneLabelThatReadsBackAndKeepsTheContent) {
  const Bytes original = in();
  ASSERT_FALSE(original.empty());
  auto before = read_label(original);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->format, GetParam().format);
  EXPECT_EQ(before->count, 0u);

  auto out = write_label(original, producer());
  ASSERT_TRUE(out) << out.error().message;
  auto after = read_label(*out);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->format, GetParam().format);
  EXPECT_EQ(after->count, 1u);
  EXPECT_EQ(*after->record, producer());

  const FormatHandler* handler = *handler_for(original);
  EXPECT_EQ(*handler->content_digest(original), *handler->content_digest(*out));
}

TEST_P(DocumentFormatTest, ProducerThenPlatformLeavesOneLabelWithBothParts) {
  auto produced = write_label(in(), producer());
  ASSERT_TRUE(produced) << produced.error().message;
  auto propagated = write_propagation(*produced, platform());
  ASSERT_TRUE(propagated) << propagated.error().message;
  auto reading = read_label(*propagated);
  ASSERT_TRUE(reading) << reading.error().message;
  EXPECT_EQ(reading->count, 1u);
  EXPECT_EQ(reading->record->content_producer, producer().content_producer);
  EXPECT_EQ(reading->record->produce_id, producer().produce_id);
  EXPECT_EQ(reading->record->content_propagator, platform().content_propagator);
  EXPECT_EQ(reading->record->propagate_id, platform().propagate_id);
  // Relabelling replaces: writing the same label again gives the same bytes (XMP carriers
  // differ only by the emptied rdf:Description that xmp_packet leaves behind).
  auto again = write_label(*propagated, *reading->record);
  ASSERT_TRUE(again);
  EXPECT_EQ(read_label(*again)->count, 1u);
  auto third = write_label(*again, *reading->record);
  ASSERT_TRUE(third);
  const std::string format = GetParam().format;
  if (format == "gif" || format == "tiff") {
    EXPECT_LE(third->size(), again->size() + 300);
  } else {
    EXPECT_EQ(*third, *again);
  }
}

TEST_P(DocumentFormatTest, SignatureIsIntactAfterAPlatformWriteAndAlteredAfterAnEdit) {
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  const Bytes original = in();
  AigcRecord record = producer();
  auto signature = producer_signature(original, record, key);
  ASSERT_TRUE(signature) << signature.error().message;
  record.reserved_code1 = *signature;
  auto signed_file = write_label(original, record);
  ASSERT_TRUE(signed_file);
  EXPECT_EQ(*verify_label(*signed_file, key.public_key()), Integrity::kIntact);
  auto propagated = write_propagation(*signed_file, platform());
  ASSERT_TRUE(propagated);
  EXPECT_EQ(*verify_label(*propagated, key.public_key()), Integrity::kIntact);

  AigcRecord forged = *read_label(*signed_file)->record;
  forged.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y2";
  EXPECT_EQ(*verify_label(*write_label(*signed_file, forged), key.public_key()),
            Integrity::kAltered);
}

TEST_P(DocumentFormatTest, TruncatedFilesAreRefusedAsDamaged) {
  const Bytes original = in();
  const std::string format = GetParam().format;
  // Markdown has no end marker: only a cut inside the front matter shows (see the
  // Markdown tests below).
  if (format == "markdown") GTEST_SKIP();
  for (std::size_t keep : {original.size() / 2, original.size() - 20}) {
    const Bytes truncated(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(keep));
    auto read = read_label(truncated);
    ASSERT_FALSE(read) << "kept " << keep;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument) << read.error().message;
    EXPECT_NE(read.error().message.find("damaged"), std::string::npos) << read.error().message;
    EXPECT_FALSE(write_label(truncated, producer()));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, DocumentFormatTest,
    ::testing::Values(Sample{"gif", "small.gif"}, Sample{"gif", "titled.gif"},
                      Sample{"tiff", "small.tif"}, Sample{"tiff", "small-mm.tif"},
                      Sample{"tiff", "titled.tif"}, Sample{"pdf", "small.pdf"},
                      Sample{"pdf", "small-xrefstream.pdf"}, Sample{"ooxml", "small.docx"},
                      Sample{"ooxml", "custom.docx"}, Sample{"html", "small.html"},
                      Sample{"markdown", "small.md"}, Sample{"markdown", "bare.md"}),
    [](const ::testing::TestParamInfo<Sample>& sample) {
      return std::string(sample.param.format) + std::to_string(sample.index);
    });

TEST(GifLabel, KeepsAnotherToolsXmpAndRefusesCorruptBlocks) {
  auto out = write_label(fixture("titled.gif"), producer());
  ASSERT_TRUE(out);
  EXPECT_NE(text(*out).find("Sunset"), std::string::npos);
  Bytes corrupted = fixture("small.gif");
  corrupted[corrupted.size() - 1] = 0x42;  // the trailer is no block introducer
  EXPECT_FALSE(write_label(corrupted, producer()));
}

TEST(TiffLabel, RelabellingDoesNotGrowTheFileAndImageEditsAreDetected) {
  const Bytes in = fixture("small.tif");
  auto once = write_label(in, producer());
  ASSERT_TRUE(once);
  auto twice = write_propagation(*once, platform());
  ASSERT_TRUE(twice);
  EXPECT_LE(twice->size(), once->size() + 200);  // the longer JSON, not a second packet

  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  AigcRecord record = producer();
  record.reserved_code1 = *producer_signature(in, record, key);
  Bytes edited = *write_label(in, record);
  edited[10] ^= 0x01;  // inside the strip data, which ImageMagick writes first
  auto result = verify_label(edited, key.public_key());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, Integrity::kAltered);
}

TEST(TiffLabel, RefusesDataInsideTheHeader) {
  // Image data over the header's IFD0 offset would change when the label moves IFD0.
  Bytes in = fixture("small.tif");
  auto layout = media::walk_tiff(in);
  ASSERT_TRUE(layout);
  for (const auto& e : layout->ifds.front().entries) {
    if (e.tag == 273 && e.value_size == 4) {
      in[e.value_offset] = 4;  // StripOffsets = 4 (little-endian file)
      in[e.value_offset + 1] = 0;
      in[e.value_offset + 2] = 0;
      in[e.value_offset + 3] = 0;
    }
  }
  auto read = read_label(in);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("overlaps the header"), std::string::npos)
      << read.error().message;
}

TEST(PdfLabel, KeepsTheInfoEntriesAndAppendsAnIncrementalUpdate) {
  for (const char* name : {"small.pdf", "small-xrefstream.pdf"}) {
    const Bytes in = fixture(name);
    auto out = write_label(in, producer());
    ASSERT_TRUE(out) << name;
    // The original bytes are a prefix of the output.
    ASSERT_GT(out->size(), in.size());
    EXPECT_TRUE(std::equal(in.begin(), in.end() - 1, out->begin())) << name;
    EXPECT_NE(text(*out).find("/Title (A small test \\(page\\))"), std::string::npos) << name;
    EXPECT_NE(text(*out).find("/Prev "), std::string::npos) << name;
  }
  // A classic original gets a classic section; an xref-stream original an xref stream.
  EXPECT_NE(text(*write_label(fixture("small.pdf"), producer())).rfind("\ntrailer\n"),
            std::string::npos);
  const std::string streamed = text(*write_label(fixture("small-xrefstream.pdf"), producer()));
  EXPECT_NE(streamed.find("/Type /XRef", streamed.find("%SynthGate AIGC update")),
            std::string::npos);
}

TEST(PdfLabel, RefusesEncryptedFiles) {
  std::string pdf = text(fixture("small.pdf"));
  const auto root = pdf.find("/Root 1 0 R");
  pdf.insert(root, "/Encrypt << /Filter /Standard >> ");
  auto read = read_label(as_bytes(pdf));
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("encrypted"), std::string::npos);
}

TEST(PdfLabel, ReadsHexAndEscapedStringsFromTheInfoDictionary) {
  std::string pdf = text(fixture("small.pdf"));
  const auto info = pdf.find("/Producer");
  // {"Label":"1"} as a hex string.
  pdf.insert(info, "/AIGC <7B224C6162656C223A2231227D> ");
  // Info is the last object, so only startxref moves.
  const auto startxref = pdf.rfind("startxref\n") + 10;
  pdf.replace(startxref, pdf.find('\n', startxref) - startxref,
              std::to_string(pdf.rfind("xref\n0 ")));
  auto reading = read_label(as_bytes(pdf));
  ASSERT_TRUE(reading) << reading.error().message;
  ASSERT_TRUE(reading->record);
  EXPECT_EQ(reading->record->label, "1");
}

TEST(PdfLabel, ReadsAnIndirectAigcStringAndADirectInfoDictionary) {
  std::string pdf = text(fixture("small.pdf"));
  // The catalog's object number holds no string: an indirect /AIGC must be a string.
  std::string direct = pdf;
  const auto info_ref = direct.find("/Info 6 0 R");
  direct.replace(info_ref, 11, "/Info << /AIGC ({\"Label\":\"2\"}) >>");
  auto reading = read_label(as_bytes(direct));
  ASSERT_TRUE(reading) << reading.error().message;
  ASSERT_TRUE(reading->record);
  EXPECT_EQ(reading->record->label, "2");
  std::string indirect = pdf;
  const auto producer_entry = indirect.find("/Producer");
  indirect.insert(producer_entry, "/AIGC 1 0 R ");
  const auto startxref = indirect.rfind("startxref\n") + 10;
  indirect.replace(startxref, indirect.find('\n', startxref) - startxref,
                   std::to_string(indirect.rfind("xref\n0 ")));
  auto not_string = read_label(as_bytes(indirect));
  ASSERT_FALSE(not_string);
  EXPECT_NE(not_string.error().message.find("string"), std::string::npos);
}

// The DOS date and time of every local file header ("PK\3\4", time at +10, date at +12).
std::set<std::uint32_t> zip_entry_times(const Bytes& zip) {
  std::set<std::uint32_t> times;
  for (std::size_t i = 0; i + 14 <= zip.size(); ++i) {
    if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
      times.insert(static_cast<std::uint32_t>(zip[i + 10] | zip[i + 11] << 8 | zip[i + 12] << 16 |
                                              zip[i + 13] << 24));
    }
  }
  return times;
}

TEST(OoxmlLabel, KeepsOtherCustomPropertiesAndAddsPartsWhenMissing) {
  auto out = write_label(fixture("custom.docx"), producer());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(read_label(*out)->count, 1u);
  auto bare = write_label(fixture("small.docx"), producer());
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(*read_label(*bare)->record, producer());
  // Written parts take the archive's own times, not the clock's, so the same input always
  // gives the same bytes.
  for (const char* name : {"custom.docx", "small.docx"}) {
    const auto before = zip_entry_times(fixture(name));
    const auto after = zip_entry_times(*write_label(fixture(name), producer()));
    for (std::uint32_t t : after) EXPECT_TRUE(before.contains(t)) << name << " got time " << t;
  }

  Bytes not_ooxml = {'P', 'K', 3,   4,   '[', 'C', 'o', 'n', 't', 'e', 'n', 't',
                     '_', 'T', 'y', 'p', 'e', 's', ']', '.', 'x', 'm', 'l'};
  auto read = read_label(not_ooxml);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("damaged"), std::string::npos) << read.error().message;
}

TEST(HtmlLabel, EscapesTheContentAndIgnoresScriptText) {
  const Bytes in = fixture("small.html");
  EXPECT_EQ(read_label(in)->count, 0u);  // the meta inside <script> is no element
  auto out = write_label(in, producer());
  ASSERT_TRUE(out);
  EXPECT_NE(
      text(*out).find("<head>\n<meta name=\"AIGC\" content=\"{&quot;Label&quot;:&quot;1&quot;"),
      std::string::npos);
  const std::string other =
      "<!doctype html><html><head><META NAME=aigc CONTENT='{\"Label\":\"2\"}'>"
      "</head><body></body></html>";
  auto reading = read_label(as_bytes(other));
  ASSERT_TRUE(reading) << reading.error().message;
  EXPECT_EQ(reading->record->label, "2");
  auto replaced = write_label(as_bytes(other), producer());
  ASSERT_TRUE(replaced);
  EXPECT_EQ(read_label(*replaced)->count, 1u);
  EXPECT_EQ(text(*replaced).find("CONTENT"), std::string::npos);
}

TEST(MarkdownLabel, AddsFrontMatterOrAnEntryAndReadsQuotedForms) {
  auto bare = write_label(fixture("bare.md"), producer());
  ASSERT_TRUE(bare);
  EXPECT_TRUE(text(*bare).starts_with("---\nAIGC: {\"Label\":\"1\""));
  EXPECT_TRUE(text(*bare).ends_with("---\n# No front matter\n\n- a list item\n"));
  auto titled = write_label(fixture("small.md"), producer());
  ASSERT_TRUE(titled);
  EXPECT_TRUE(
      text(*titled).starts_with("---\ntitle: A small test note\ntags: [test, aigc]\nAIGC: "));

  const std::string quoted = "---\nAIGC: '{\"Label\":\"3\",\"ProduceID\":\"it''s\"}'\n---\ntext\n";
  auto reading = read_label(as_bytes(quoted));
  ASSERT_TRUE(reading) << reading.error().message;
  EXPECT_EQ(reading->record->label, "3");
  EXPECT_EQ(reading->record->produce_id, "it's");

  const std::string open = "---\ntitle: cut off\nAIGC: {\"Lab";
  auto cut = read_label(as_bytes(open));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("damaged"), std::string::npos);
  const std::string broken = "# Heading\n\xe4\xb8";  // cut inside a character
  EXPECT_FALSE(read_label(as_bytes(broken)));
}

TEST(TextClassification, PlainTextIsRefusedWithTheReason) {
  const std::string plain = "Just a sentence.\nAnd another one.\n";
  auto read = read_label(as_bytes(plain));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_NE(read.error().message.find("plain text"), std::string::npos);
  EXPECT_EQ(read_label(as_bytes(std::string("# Title\n")))->format, "markdown");
  EXPECT_EQ(read_label(as_bytes(std::string("\xEF\xBB\xBF  <!DOCTYPE HTML><html></html>")))->format,
            "html");
}

}  // namespace
}  // namespace synthgate::metadata
