#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A PDF dictionary as its keys (without the slash) and each value's source text, in order.
using PdfDictionary = std::vector<std::pair<std::string, std::string>>;

// The value of `key` in `dict`, or nullopt.
std::optional<std::string_view> pdf_get(const PdfDictionary& dict, std::string_view key);

// Parses `text` (starting at a `<<`) as a dictionary; values are kept as source text.
Result<PdfDictionary> parse_pdf_dictionary(std::string_view text);

// An indirect reference "N G R" as (N, G), or nullopt.
std::optional<std::pair<std::uint32_t, std::uint32_t>> pdf_reference(std::string_view value);

// The bytes a PDF string object stands for: a literal (...) with its escapes or a hex
// string <...>. Refuses anything else.
Result<std::string> pdf_string_bytes(std::string_view value);

// A literal string (...) holding `bytes`, with (, ) and \ escaped.
std::string pdf_literal_string(std::string_view bytes);

// Where an object lives: uncompressed at an offset, or inside an object stream.
struct PdfXrefEntry {
  bool in_object_stream = false;
  std::size_t offset = 0;    // uncompressed: offset of "N G obj"
  std::uint32_t stream = 0;  // compressed: the object stream's number
  std::uint32_t index = 0;   // compressed: index inside it
};

struct PdfLayout {
  std::size_t startxref = 0;                      // offset of the newest cross-reference section
  bool xref_stream = false;                       // the newest section is a cross-reference stream
  PdfDictionary trailer;                          // the newest trailer (or xref stream dictionary)
  std::map<std::uint32_t, PdfXrefEntry> objects;  // in use, newest section wins
  std::size_t end = 0;                            // just after the last %%EOF
};

// Reads the cross-reference chain from the last startxref: classic tables and xref streams
// (FlateDecode with PNG predictors), hybrid /XRefStm, /Prev chains. Refuses a file without
// the %PDF- header, without startxref or %%EOF near its end (truncated), with an offset
// past the end, a loop in /Prev, or a trailer without /Root or /Size.
Result<PdfLayout> walk_pdf(ByteView file);

// The source text of object `number`'s value (uncompressed, or from its object stream).
Result<std::string> pdf_object(ByteView file, const PdfLayout& layout, std::uint32_t number);

}  // namespace synthgate::media
