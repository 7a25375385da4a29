// The walkers behind the GIF, TIFF, PDF and text labels, on small inputs built here.
#include <gtest/gtest.h>

#include "media/gif_blocks.hpp"
#include "media/pdf_objects.hpp"
#include "media/text_document.hpp"
#include "media/tiff_ifd.hpp"

namespace synthgate::media {
namespace {

Bytes bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// A 1x1 GIF89a: screen descriptor without colour table, one image, trailer.
Bytes tiny_gif() {
  return bytes(
      std::string_view("GIF89a\x01\x00\x01\x00\x00\x00\x00"
                       "\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"
                       "\x02\x02\x44\x01\x00"
                       "\x3b",
                       29));
}

TEST(GifBlocks, WalksToTheTrailerAndRefusesDamage) {
  const Bytes gif = tiny_gif();
  auto layout = walk_gif(gif);
  ASSERT_TRUE(layout) << layout.error().message;
  EXPECT_EQ(layout->header_size, 13u);
  ASSERT_EQ(layout->blocks.size(), 2u);
  EXPECT_EQ(layout->blocks[0].kind, GifBlock::Kind::kImage);
  EXPECT_EQ(layout->blocks[1].kind, GifBlock::Kind::kTrailer);

  const Bytes cut(gif.begin(), gif.end() - 1);
  auto truncated = walk_gif(cut);
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("no trailer"), std::string::npos);
  Bytes no_image = bytes(std::string_view("GIF89a\x01\x00\x01\x00\x00\x00\x00\x3b", 14));
  EXPECT_FALSE(walk_gif(no_image));
  EXPECT_FALSE(walk_gif(bytes("GIF90a")));
}

// A little-endian TIFF: header, 4 bytes of strip data, IFD0 with StripOffsets and
// StripByteCounts.
Bytes tiny_tiff(std::uint8_t next_ifd) {
  Bytes t = {'I', 'I', 42, 0, 12, 0, 0, 0, 1, 2, 3, 4, 2, 0};
  auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t count, std::uint32_t v) {
    for (std::uint32_t x : {std::uint32_t{tag}, std::uint32_t{type}}) {
      t.push_back(static_cast<std::uint8_t>(x));
      t.push_back(static_cast<std::uint8_t>(x >> 8));
    }
    for (std::uint32_t x : {count, v}) {
      for (int s = 0; s < 32; s += 8) t.push_back(static_cast<std::uint8_t>(x >> s));
    }
  };
  entry(273, 4, 1, 8);
  entry(279, 4, 1, 4);
  t.insert(t.end(), {next_ifd, 0, 0, 0});
  return t;
}

TEST(TiffIfd, WalksTheChainAndRefusesLoopsAndBigTiff) {
  auto layout = walk_tiff(tiny_tiff(0));
  ASSERT_TRUE(layout) << layout.error().message;
  ASSERT_EQ(layout->ifds.size(), 1u);
  ASSERT_EQ(layout->image_data.size(), 1u);
  EXPECT_EQ(layout->image_data[0], (std::pair<std::size_t, std::size_t>{8, 4}));

  auto loop = walk_tiff(tiny_tiff(12));  // IFD0's next IFD is IFD0
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("loops"), std::string::npos);
  Bytes big = tiny_tiff(0);
  big[2] = 43;
  auto bigtiff = walk_tiff(big);
  ASSERT_FALSE(bigtiff);
  EXPECT_EQ(bigtiff.error().code, ErrorCode::kUnsupportedMediaType);
  Bytes past = tiny_tiff(0);
  past[past.size() - 8] = 200;  // StripByteCounts past the end
  EXPECT_FALSE(walk_tiff(past));
}

TEST(PdfObjects, ParsesDictionariesReferencesAndStrings) {
  auto dict = parse_pdf_dictionary(
      "<< /A 12 0 R /B [1 (x) <41>] /C << /D (a\\)b) >> % comment\n /E /Name /F (n(e)st) >>");
  ASSERT_TRUE(dict) << dict.error().message;
  ASSERT_EQ(dict->size(), 5u);
  EXPECT_EQ(*pdf_reference(*pdf_get(*dict, "A")), (std::pair<std::uint32_t, std::uint32_t>{12, 0}));
  EXPECT_EQ(*pdf_get(*dict, "B"), "[1 (x) <41>]");
  EXPECT_EQ(*pdf_get(*dict, "E"), "/Name");
  EXPECT_EQ(*pdf_string_bytes(*pdf_get(*dict, "F")), "n(e)st");
  EXPECT_FALSE(pdf_reference("12 0"));

  EXPECT_EQ(*pdf_string_bytes("(a\\)b\\101\\n\\\nc)"), "a)bA\nc");
  EXPECT_EQ(*pdf_string_bytes("<41 42 4>"), "AB@");
  EXPECT_FALSE(pdf_string_bytes("/Name"));
  EXPECT_FALSE(parse_pdf_dictionary("<< /A (unclosed >>"));
  const std::string tricky = "a(b)\\c";
  EXPECT_EQ(*pdf_string_bytes(pdf_literal_string(tricky)), tricky);
}

// A one-object PDF with a classic xref whose /Prev is `prev` (empty: none).
std::string tiny_pdf(const std::string& prev) {
  std::string pdf = "%PDF-1.4\n";
  const std::size_t obj = pdf.size();
  pdf += "1 0 obj\n<< /Type /Catalog >>\nendobj\n";
  const std::size_t xref = pdf.size();
  std::string offset = std::to_string(obj);
  pdf += "xref\n0 2\n0000000000 65535 f \n" + std::string(10 - offset.size(), '0') + offset +
         " 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R" + (prev.empty() ? "" : " /Prev " + prev) +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(PdfObjects, WalksTheXrefAndRefusesLoopsAndTruncation) {
  const std::string pdf = tiny_pdf("");
  auto layout = walk_pdf(as_bytes(pdf));
  ASSERT_TRUE(layout) << layout.error().message;
  EXPECT_FALSE(layout->xref_stream);
  EXPECT_EQ(*pdf_object(as_bytes(pdf), *layout, 1), "<< /Type /Catalog >>");
  EXPECT_FALSE(pdf_object(as_bytes(pdf), *layout, 2));

  const std::string xref_at = std::to_string(pdf.find("xref\n0 2"));
  auto loop = walk_pdf(as_bytes(tiny_pdf(xref_at)));
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("loops"), std::string::npos);
  auto cut = walk_pdf(as_bytes(std::string_view(pdf).substr(0, pdf.size() - 8)));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos);
}

TEST(TextDocument, ClassifiesTextConservatively) {
  EXPECT_TRUE(is_utf8_text(as_bytes("plain \xe4\xb8\xad\xe6\x96\x87\n")));
  EXPECT_FALSE(is_utf8_text(as_bytes("overlong \xc0\xaf")));
  EXPECT_FALSE(is_utf8_text(as_bytes("surrogate \xed\xa0\x80")));
  EXPECT_FALSE(is_utf8_text(as_bytes(std::string_view("nul\0", 4))));

  EXPECT_FALSE(looks_like_markdown(as_bytes("Just a sentence.\n")));
  EXPECT_TRUE(looks_like_markdown(as_bytes("Intro\n\n## Part\n")));
  EXPECT_TRUE(looks_like_markdown(as_bytes("see [this](https://example.org)\n")));
  EXPECT_TRUE(looks_like_markdown(as_bytes("---\ntitle: x\n---\nbody\n")));
  EXPECT_TRUE(looks_like_html(as_bytes("\xEF\xBB\xBF\n <!DOCTYPE html>")));
  EXPECT_FALSE(looks_like_html(as_bytes("<htmlx>")));
  EXPECT_FALSE(looks_like_html(as_bytes("<p>fragment</p>")));
}

TEST(TextDocument, ScansHtmlAndFrontMatter) {
  auto outline = scan_html(
      "<!doctype html><html><head><!-- <meta name=x> --><meta name=\"AIGC\" "
      "content=\"{&quot;a&quot;:&#34;&#x41;&#34;}\"></head></html>");
  ASSERT_TRUE(outline) << outline.error().message;
  ASSERT_EQ(outline->metas.size(), 1u);
  EXPECT_EQ(outline->metas[0].content, "{\"a\":\"A\"}");
  EXPECT_FALSE(scan_html("<!doctype html><html><head></head>"));  // never closed

  auto fm = scan_front_matter("---\r\ntitle: x\r\nlist:\r\n  - a\r\n...\r\nbody\r\n");
  ASSERT_TRUE(fm) << fm.error().message;
  EXPECT_TRUE(fm->present);
  EXPECT_EQ(fm->eol, "\r\n");
  ASSERT_EQ(fm->entries.size(), 2u);
  EXPECT_EQ(fm->entries[0].value, "x");
  EXPECT_EQ(fm->entries[1].key, "list");
  EXPECT_EQ(fm->entries[1].size, std::string_view("list:\r\n  - a\r\n").size());
}

}  // namespace
}  // namespace synthgate::media
