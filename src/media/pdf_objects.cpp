#include "media/pdf_objects.hpp"

#include <zlib.h>

#include <array>
#include <charconv>
#include <set>

namespace synthgate::media {

namespace {
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxInflated = 64u << 20;
constexpr std::size_t kMaxSections = 1024;

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged PDF: " + why);
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}
bool is_regular(char c) {
  return !is_space(c) && !is_delimiter(c);
}

std::size_t skip_space(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    if (is_space(s[pos])) {
      ++pos;
    } else if (s[pos] == '%') {
      while (pos < s.size() && s[pos] != '\n' && s[pos] != '\r') ++pos;
    } else {
      break;
    }
  }
  return pos;
}

std::size_t token_end(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_regular(s[pos])) ++pos;
  return pos;
}

bool is_unsigned(std::string_view token) {
  if (token.empty() || token.size() > 10) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::size_t> to_size(std::string_view token) {
  std::size_t v = 0;
  if (token.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc{} || end != token.data() + token.size()) return std::nullopt;
  return v;
}

// The end of the value starting at `pos` (which is not whitespace), or nullopt.
std::optional<std::size_t> value_end(std::string_view s, std::size_t pos, int depth) {
  if (pos >= s.size() || depth > kMaxDepth) return std::nullopt;
  const char c = s[pos];
  if (c == '<' && pos + 1 < s.size() && s[pos + 1] == '<') {
    pos += 2;
    while (true) {
      pos = skip_space(s, pos);
      if (pos + 1 < s.size() && s[pos] == '>' && s[pos + 1] == '>') return pos + 2;
      if (pos >= s.size() || s[pos] != '/') return std::nullopt;
      pos = token_end(s, pos + 1);
      pos = skip_space(s, pos);
      auto end = value_end(s, pos, depth + 1);
      if (!end) return std::nullopt;
      pos = *end;
    }
  }
  if (c == '<') {
    const auto close = s.find('>', pos);
    if (close == std::string_view::npos) return std::nullopt;
    return close + 1;
  }
  if (c == '(') {
    int nesting = 0;
    for (; pos < s.size(); ++pos) {
      if (s[pos] == '\\') {
        ++pos;
      } else if (s[pos] == '(') {
        ++nesting;
      } else if (s[pos] == ')' && --nesting == 0) {
        return pos + 1;
      }
    }
    return std::nullopt;
  }
  if (c == '[') {
    ++pos;
    while (true) {
      pos = skip_space(s, pos);
      if (pos < s.size() && s[pos] == ']') return pos + 1;
      auto end = value_end(s, pos, depth + 1);
      if (!end) return std::nullopt;
      pos = *end;
    }
  }
  if (c == '/') return token_end(s, pos + 1);
  if (!is_regular(c)) return std::nullopt;
  const std::size_t end = token_end(s, pos);
  // "N G R" is one value.
  if (is_unsigned(s.substr(pos, end - pos))) {
    const std::size_t g = skip_space(s, end);
    const std::size_t g_end = token_end(s, g);
    if (g_end > g && is_unsigned(s.substr(g, g_end - g))) {
      const std::size_t r = skip_space(s, g_end);
      if (r < s.size() && s[r] == 'R' && token_end(s, r) == r + 1) return r + 1;
    }
  }
  return end;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "N G obj" at `pos`; returns the position after "obj" and the object number.
std::optional<std::pair<std::size_t, std::uint32_t>> object_header(std::string_view s,
                                                                   std::size_t pos) {
  const std::size_t n_end = token_end(s, pos);
  const std::size_t g = skip_space(s, n_end);
  const std::size_t g_end = token_end(s, g);
  const std::size_t o = skip_space(s, g_end);
  if (!is_unsigned(s.substr(pos, n_end - pos)) || !is_unsigned(s.substr(g, g_end - g)) ||
      s.substr(o, 3) != "obj" || token_end(s, o) != o + 3) {
    return std::nullopt;
  }
  const auto n = to_size(s.substr(pos, n_end - pos));
  if (!n || *n > 0xffffffffu) return std::nullopt;
  return std::pair{o + 3, static_cast<std::uint32_t>(*n)};
}

Result<Bytes> inflate_all(ByteView compressed) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return fail(ErrorCode::kInternal, "zlib init failed");
  Bytes out;
  std::array<std::uint8_t, 16384> buffer{};
  z.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
  z.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = buffer.data();
    z.avail_out = static_cast<uInt>(buffer.size());
    rc = ::inflate(&z, Z_NO_FLUSH);
    out.insert(out.end(), buffer.begin(), buffer.end() - z.avail_out);
    if (out.size() > kMaxInflated) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  // Some writers omit the zlib end; what inflated before is kept, as readers do.
  if (rc != Z_STREAM_END && rc != Z_BUF_ERROR) return damaged("a compressed stream is corrupt");
  return out;
}

std::optional<std::size_t> int_value(std::optional<std::string_view> v) {
  if (!v) return std::nullopt;
  return to_size(*v);
}

// Undoes PNG predictors (10-15) on rows of `columns` bytes.
Result<Bytes> unpredict(const Bytes& data, const PdfDictionary& parms) {
  const std::size_t predictor = int_value(pdf_get(parms, "Predictor")).value_or(1);
  if (predictor == 1) return data;
  if (predictor < 10) return fail(ErrorCode::kUnsupportedMediaType, "unsupported PDF predictor");
  const std::size_t colors = int_value(pdf_get(parms, "Colors")).value_or(1);
  const std::size_t bits = int_value(pdf_get(parms, "BitsPerComponent")).value_or(8);
  const std::size_t columns = int_value(pdf_get(parms, "Columns")).value_or(1);
  if (colors == 0 || colors > 32 || bits != 8 || columns == 0 || columns > 65536) {
    return fail(ErrorCode::kUnsupportedMediaType, "unsupported PDF predictor parameters");
  }
  const std::size_t bpp = colors;
  const std::size_t row = colors * columns;
  if (data.size() % (row + 1) != 0) return damaged("predicted stream of a wrong length");
  Bytes out;
  out.reserve(data.size());
  Bytes prior(row, 0), current(row, 0);
  for (std::size_t at = 0; at < data.size(); at += row + 1) {
    const std::uint8_t filter = data[at];
    for (std::size_t i = 0; i < row; ++i) {
      const int x = data[at + 1 + i];
      const int a = i >= bpp ? current[i - bpp] : 0;
      const int b = prior[i];
      const int c = i >= bpp ? prior[i - bpp] : 0;
      int v = x;
      switch (filter) {
        case 0:
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c;
          const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return damaged("bad PNG predictor row");
      }
      current[i] = static_cast<std::uint8_t>(v & 0xff);
    }
    out.insert(out.end(), current.begin(), current.end());
    std::swap(prior, current);
  }
  return out;
}

// The decoded data of the stream object whose "N G obj" is at `pos`, and its dictionary.
// `length_of` resolves an indirect /Length.
template <typename LengthOf>
Result<std::pair<PdfDictionary, Bytes>> read_stream(std::string_view s, std::size_t pos,
                                                    LengthOf length_of) {
  auto header = object_header(s, pos);
  if (!header) return damaged("no object at offset " + std::to_string(pos));
  const std::size_t dict_at = skip_space(s, header->first);
  const auto dict_end = value_end(s, dict_at, 0);
  if (!dict_end) return damaged("unreadable stream dictionary");
  auto dict = parse_pdf_dictionary(s.substr(dict_at, *dict_end - dict_at));
  if (!dict) return tl::unexpected(dict.error());
  std::size_t at = skip_space(s, *dict_end);
  if (s.substr(at, 6) != "stream") return damaged("stream keyword missing");
  at += 6;
  if (at < s.size() && s[at] == '\r') ++at;
  if (at < s.size() && s[at] == '\n') ++at;
  const auto length_value = pdf_get(*dict, "Length");
  if (!length_value) return damaged("stream without /Length");
  std::optional<std::size_t> length = to_size(*length_value);
  if (!length) {
    auto resolved = length_of(*length_value);
    if (!resolved) return tl::unexpected(resolved.error());
    length = *resolved;
  }
  if (*length > s.size() - at) return damaged("a stream runs past the end (truncated)");
  const ByteView raw(reinterpret_cast<const std::uint8_t*>(s.data() + at), *length);
  const std::string_view filter = pdf_get(*dict, "Filter").value_or("");
  Bytes data;
  if (filter.empty()) {
    data.assign(raw.begin(), raw.end());
  } else if (filter == "/FlateDecode" || filter == "[/FlateDecode]" ||
             filter == "[ /FlateDecode ]") {
    auto inflated = inflate_all(raw);
    if (!inflated) return tl::unexpected(inflated.error());
    data = std::move(*inflated);
  } else {
    return fail(ErrorCode::kUnsupportedMediaType,
                "PDF stream filter " + std::string(filter) + " is not supported");
  }
  if (auto parms_text = pdf_get(*dict, "DecodeParms")) {
    auto parms = parse_pdf_dictionary(*parms_text);
    if (!parms) return tl::unexpected(parms.error());
    auto plain = unpredict(data, *parms);
    if (!plain) return tl::unexpected(plain.error());
    data = std::move(*plain);
  }
  return std::pair{std::move(*dict), std::move(data)};
}

// Unsigned integers of an array value "[a b c]".
std::optional<std::vector<std::size_t>> int_array(std::string_view v) {
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return std::nullopt;
  std::vector<std::size_t> out;
  std::size_t pos = 1;
  while (true) {
    pos = skip_space(v, pos);
    if (pos >= v.size() - 1) return out;
    const std::size_t end = token_end(v, pos);
    auto n = to_size(v.substr(pos, end - pos));
    if (!n || out.size() > 100000) return std::nullopt;
    out.push_back(*n);
    pos = end;
  }
}

struct Section {
  PdfDictionary dict;
  bool stream = false;
};

Result<Section> read_xref_stream(std::string_view s, std::size_t pos, PdfLayout& layout) {
  auto stream = read_stream(s, pos, [](std::string_view) -> Result<std::size_t> {
    return damaged("an xref stream's /Length must be direct");
  });
  if (!stream) return tl::unexpected(stream.error());
  auto& dict = stream->first;
  auto& data = stream->second;
  if (pdf_get(dict, "Type").value_or("") != "/XRef") return damaged("startxref points at no xref");
  const auto widths = int_array(pdf_get(dict, "W").value_or(""));
  const auto size = int_value(pdf_get(dict, "Size"));
  if (!widths || widths->size() != 3 || !size) return damaged("bad xref stream /W or /Size");
  std::vector<std::size_t> index = {0, *size};
  if (auto i = pdf_get(dict, "Index")) {
    auto parsed = int_array(*i);
    if (!parsed || parsed->size() % 2 != 0) return damaged("bad xref stream /Index");
    index = *parsed;
  }
  std::size_t entry_size = 0;
  for (std::size_t w : *widths) {
    if (w > 8) return damaged("bad xref stream /W");
    entry_size += w;
  }
  if (entry_size == 0) return damaged("bad xref stream /W");
  std::size_t at = 0;
  auto field = [&](std::size_t width, std::size_t fallback) {
    if (width == 0) return fallback;
    std::size_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = v << 8 | data[at++];
    return v;
  };
  for (std::size_t k = 0; k < index.size(); k += 2) {
    for (std::size_t i = 0; i < index[k + 1]; ++i) {
      if (data.size() - at < entry_size) return damaged("xref stream shorter than its /Index");
      const std::size_t type = field((*widths)[0], 1);
      const std::size_t f2 = field((*widths)[1], 0);
      const std::size_t f3 = field((*widths)[2], 0);
      const std::size_t number = index[k] + i;
      if (number > 0xffffffffu || layout.objects.count(static_cast<std::uint32_t>(number)) != 0)
        continue;
      PdfXrefEntry e;
      if (type == 1) {
        e.offset = f2;
      } else if (type == 2) {
        if (f2 > 0xffffffffu || f3 > 0xffffffffu) return damaged("bad xref stream entry");
        e.in_object_stream = true;
        e.stream = static_cast<std::uint32_t>(f2);
        e.index = static_cast<std::uint32_t>(f3);
      } else {
        continue;  // free (0) or unknown types read as null
      }
      layout.objects.emplace(static_cast<std::uint32_t>(number), e);
    }
  }
  return Section{std::move(dict), true};
}

Result<Section> read_xref_table(std::string_view s, std::size_t pos, PdfLayout& layout) {
  pos = skip_space(s, pos + 4);
  while (true) {
    if (pos >= s.size()) return damaged("xref table runs past the end (truncated)");
    if (s.substr(pos, 7) == "trailer") break;
    const std::size_t a_end = token_end(s, pos);
    const std::size_t b = skip_space(s, a_end);
    const std::size_t b_end = token_end(s, b);
    const auto first = to_size(s.substr(pos, a_end - pos));
    const auto count = to_size(s.substr(b, b_end - b));
    if (!first || !count || *count > s.size() / 18) return damaged("bad xref subsection header");
    pos = skip_space(s, b_end);
    for (std::size_t i = 0; i < *count; ++i) {
      const std::size_t o_end = token_end(s, pos);
      const std::size_t g = skip_space(s, o_end);
      const std::size_t g_end = token_end(s, g);
      const std::size_t k = skip_space(s, g_end);
      const auto offset = to_size(s.substr(pos, o_end - pos));
      if (!offset || g_end == g || k >= s.size() || (s[k] != 'n' && s[k] != 'f')) {
        return damaged("bad xref entry");
      }
      const std::size_t number = *first + i;
      if (s[k] == 'n' && number <= 0xffffffffu &&
          layout.objects.count(static_cast<std::uint32_t>(number)) == 0) {
        layout.objects.emplace(static_cast<std::uint32_t>(number),
                               PdfXrefEntry{false, *offset, 0, 0});
      }
      pos = skip_space(s, k + 1);
    }
  }
  pos = skip_space(s, pos + 7);
  const auto end = value_end(s, pos, 0);
  if (!end) return damaged("unreadable trailer");
  auto dict = parse_pdf_dictionary(s.substr(pos, *end - pos));
  if (!dict) return tl::unexpected(dict.error());
  return Section{std::move(*dict), false};
}
}  // namespace

std::optional<std::string_view> pdf_get(const PdfDictionary& dict, std::string_view key) {
  for (const auto& [k, v] : dict) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

Result<PdfDictionary> parse_pdf_dictionary(std::string_view text) {
  std::size_t pos = skip_space(text, 0);
  if (text.substr(pos, 2) != "<<") return damaged("a dictionary was expected");
  pos += 2;
  PdfDictionary dict;
  while (true) {
    pos = skip_space(text, pos);
    if (text.substr(pos, 2) == ">>") return dict;
    if (pos >= text.size() || text[pos] != '/') return damaged("bad dictionary key");
    const std::size_t key_end = token_end(text, pos + 1);
    std::string key(text.substr(pos + 1, key_end - pos - 1));
    const std::size_t start = skip_space(text, key_end);
    const auto end = value_end(text, start, 1);
    if (!end) return damaged("bad dictionary value");
    dict.emplace_back(std::move(key), std::string(text.substr(start, *end - start)));
    pos = *end;
  }
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> pdf_reference(std::string_view v) {
  const std::size_t n_end = token_end(v, 0);
  const std::size_t g = skip_space(v, n_end);
  const std::size_t g_end = token_end(v, g);
  const std::size_t r = skip_space(v, g_end);
  if (!is_unsigned(v.substr(0, n_end)) || !is_unsigned(v.substr(g, g_end - g)) ||
      v.substr(r) != "R") {
    return std::nullopt;
  }
  const auto n = to_size(v.substr(0, n_end));
  const auto gen = to_size(v.substr(g, g_end - g));
  if (!n || !gen || *n > 0xffffffffu || *gen > 0xffffffffu) return std::nullopt;
  return std::pair{static_cast<std::uint32_t>(*n), static_cast<std::uint32_t>(*gen)};
}

Result<std::string> pdf_string_bytes(std::string_view v) {
  std::string out;
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') {
    int high = -1;
    for (char c : v.substr(1, v.size() - 2)) {
      if (is_space(c)) continue;
      const int d = hex_digit(c);
      if (d < 0) return damaged("bad hex string");
      if (high < 0) {
        high = d;
      } else {
        out.push_back(static_cast<char>(high << 4 | d));
        high = -1;
      }
    }
    if (high >= 0) out.push_back(static_cast<char>(high << 4));
    return out;
  }
  if (v.size() < 2 || v.front() != '(' || v.back() != ')') return damaged("a string was expected");
  const std::string_view body = v.substr(1, v.size() - 2);
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c != '\\') {
      // An end-of-line in a literal reads as \n whatever its form.
      if (c == '\r') {
        out.push_back('\n');
        if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      } else {
        out.push_back(c);
      }
      continue;
    }
    if (++i >= body.size()) break;
    const char e = body[i];
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case '\r':
        if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        break;
      case '\n':
        break;
      default:
        if (e >= '0' && e <= '7') {
          int code = e - '0';
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
               ++k) {
            code = code * 8 + (body[++i] - '0');
          }
          out.push_back(static_cast<char>(code & 0xff));
        } else {
          out.push_back(e);
        }
    }
  }
  return out;
}

std::string pdf_literal_string(std::string_view bytes) {
  std::string out = "(";
  for (char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    out.push_back(c);
  }
  out.push_back(')');
  return out;
}

Result<PdfLayout> walk_pdf(ByteView file) {
  const std::string_view s = as_chars(file);
  if (!s.starts_with("%PDF-"))
    return fail(ErrorCode::kInvalidArgument, "not a PDF file (no %PDF- header)");
  const std::size_t tail = s.size() > 1024 ? s.size() - 1024 : 0;
  const auto eof = s.rfind("%%EOF");
  if (eof == std::string_view::npos || eof < tail)
    return damaged("no %%EOF at the end (truncated)");
  const auto startxref = s.rfind("startxref", eof);
  if (startxref == std::string_view::npos || startxref < tail)
    return damaged("no startxref (truncated)");
  const std::size_t num = skip_space(s, startxref + 9);
  const auto offset = to_size(s.substr(num, token_end(s, num) - num));
  if (!offset || *offset >= s.size()) return damaged("startxref points past the end");

  PdfLayout layout;
  layout.startxref = *offset;
  layout.end = eof + 5;
  std::set<std::size_t> seen;
  std::vector<std::size_t> pending = {*offset};
  bool newest = true;
  while (!pending.empty()) {
    const std::size_t at = pending.back();
    pending.pop_back();
    if (at >= s.size()) return damaged("an xref offset points past the end");
    if (!seen.insert(at).second || seen.size() > kMaxSections)
      return damaged("the xref chain loops");
    auto section = s.substr(at, 4) == "xref" ? read_xref_table(s, at, layout)
                                             : read_xref_stream(s, at, layout);
    if (!section) return tl::unexpected(section.error());
    if (newest) {
      layout.trailer = section->dict;
      layout.xref_stream = section->stream;
      newest = false;
    }
    // Newest first: a hybrid file's /XRefStm before its /Prev.
    if (auto prev = int_value(pdf_get(section->dict, "Prev"))) pending.push_back(*prev);
    if (!section->stream) {
      if (auto hybrid = int_value(pdf_get(section->dict, "XRefStm"))) pending.push_back(*hybrid);
    }
  }
  if (!pdf_get(layout.trailer, "Root") || !int_value(pdf_get(layout.trailer, "Size"))) {
    return damaged("the trailer has no /Root or /Size");
  }
  for (const auto& [number, e] : layout.objects) {
    if (!e.in_object_stream && e.offset >= s.size()) {
      return damaged("object " + std::to_string(number) + " is past the end (truncated)");
    }
  }
  return layout;
}

Result<std::string> pdf_object(ByteView file, const PdfLayout& layout, std::uint32_t number) {
  const std::string_view s = as_chars(file);
  const auto found = layout.objects.find(number);
  if (found == layout.objects.end())
    return damaged("object " + std::to_string(number) + " is missing");
  const PdfXrefEntry& e = found->second;
  if (!e.in_object_stream) {
    auto header = object_header(s, e.offset);
    if (!header || header->second != number) {
      return damaged("object " + std::to_string(number) + " is not where the xref says");
    }
    const std::size_t start = skip_space(s, header->first);
    const auto end = value_end(s, start, 0);
    if (!end) return damaged("object " + std::to_string(number) + " is unreadable");
    return std::string(s.substr(start, *end - start));
  }
  const auto container = layout.objects.find(e.stream);
  if (container == layout.objects.end() || container->second.in_object_stream) {
    return damaged("object stream " + std::to_string(e.stream) + " is missing");
  }
  auto stream =
      read_stream(s, container->second.offset, [&](std::string_view v) -> Result<std::size_t> {
        const auto ref = pdf_reference(v);
        const auto target = ref ? layout.objects.find(ref->first) : layout.objects.end();
        if (!ref || target == layout.objects.end() || target->second.in_object_stream) {
          return damaged("bad stream /Length");
        }
        auto header = object_header(s, target->second.offset);
        if (!header) return damaged("bad stream /Length");
        const std::size_t at = skip_space(s, header->first);
        const auto n = to_size(s.substr(at, token_end(s, at) - at));
        if (!n) return damaged("bad stream /Length");
        return *n;
      });
  if (!stream) return tl::unexpected(stream.error());
  const auto& [dict, data] = *stream;
  const auto count = int_value(pdf_get(dict, "N"));
  const auto first = int_value(pdf_get(dict, "First"));
  if (pdf_get(dict, "Type").value_or("") != "/ObjStm" || !count || !first || *first > data.size()) {
    return damaged("bad object stream " + std::to_string(e.stream));
  }
  const std::string_view body = as_chars(data);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < *count; ++i) {
    pos = skip_space(body, pos);
    const std::size_t n_end = token_end(body, pos);
    const std::size_t o = skip_space(body, n_end);
    const std::size_t o_end = token_end(body, o);
    const auto n = to_size(body.substr(pos, n_end - pos));
    const auto rel = to_size(body.substr(o, o_end - o));
    if (!n || !rel || *rel > body.size() - *first) return damaged("bad object stream header");
    pos = o_end;
    if (i != e.index) continue;
    if (*n != number)
      return damaged("object stream does not hold object " + std::to_string(number));
    const std::size_t start = skip_space(body, *first + *rel);
    const auto end = value_end(body, start, 0);
    if (!end) return damaged("object " + std::to_string(number) + " is unreadable");
    return std::string(body.substr(start, *end - start));
  }
  return damaged("object stream " + std::to_string(e.stream) + " is too short");
}

}  // namespace synthgate::media
