#include "metadata/ogg_label.hpp"

#include "media/ogg_pages.hpp"
#include "media/vorbis_comment.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kKey = "AIGC";

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged Ogg: " + why);
}

struct OggStream {
  std::vector<media::OggPage> pages;
  std::vector<Bytes> headers;    // ident, comment (, setup for Vorbis)
  std::size_t header_pages = 0;  // pages holding the headers (audio starts after them)
  bool opus = false;
  std::size_t comment_prefix = 0;  // "\x03vorbis" or "OpusTags"
};

Result<OggStream> walk_stream(ByteView file) {
  auto pages = media::walk_ogg(file);
  if (!pages) return tl::unexpected(pages.error());
  OggStream s;
  s.pages = std::move(*pages);
  for (const auto& p : s.pages) {
    if (p.serial != s.pages.front().serial) {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "multiplexed or chained Ogg streams are not supported for labelling");
    }
  }
  if (!(s.pages.front().header_type & 0x02)) return damaged("the first page is not marked first");
  // Gather packets until the headers are complete; they must end on a page boundary.
  std::size_t wanted = 0;
  Bytes packet;
  for (std::size_t i = 0; i < s.pages.size(); ++i) {
    const auto& p = s.pages[i];
    std::size_t at = p.data_offset;
    for (std::size_t k = 0; k < p.lacing.size(); ++k) {
      if (wanted != 0 && s.headers.size() == wanted)
        return damaged("audio shares a page with the headers");
      packet.insert(packet.end(), file.begin() + static_cast<std::ptrdiff_t>(at),
                    file.begin() + static_cast<std::ptrdiff_t>(at + p.lacing[k]));
      at += p.lacing[k];
      if (p.lacing[k] == 255) continue;
      s.headers.push_back(std::move(packet));
      packet.clear();
      if (s.headers.size() == 1) {
        const std::string_view first = as_chars(s.headers[0]);
        if (first.starts_with("\x01vorbis")) {
          wanted = 3;
          s.comment_prefix = 7;
        } else if (first.starts_with("OpusHead")) {
          wanted = 2;
          s.opus = true;
          s.comment_prefix = 8;
        } else {
          return fail(ErrorCode::kUnsupportedMediaType,
                      "only Ogg Vorbis and Ogg Opus are supported for labelling");
        }
      }
    }
    if (wanted != 0 && s.headers.size() == wanted && packet.empty()) {
      s.header_pages = i + 1;
      break;
    }
  }
  if (s.header_pages == 0) return damaged("the header packets are incomplete (truncated)");
  if (s.header_pages == s.pages.size()) return damaged("no audio after the headers");
  const std::string_view comment = as_chars(s.headers[1]);
  if (comment.size() < s.comment_prefix ||
      comment.substr(0, s.comment_prefix) !=
          (s.opus ? std::string_view("OpusTags") : std::string_view("\x03vorbis"))) {
    return damaged("the second packet is not a comment header");
  }
  // The last page must close the stream; otherwise the file was cut after a page.
  if (!(s.pages.back().header_type & 0x04)) return damaged("no end-of-stream page (truncated)");
  return s;
}

Result<media::VorbisComment> comment_of(const OggStream& s) {
  return media::parse_vorbis_comment(ByteView(s.headers[1]).subspan(s.comment_prefix));
}
}  // namespace

bool OggLabelHandler::recognises(ByteView head) const {
  return head.size() >= 4 && as_chars(head.first(4)) == "OggS";
}

Result<std::vector<std::string>> OggLabelHandler::read_labels(ByteView file) const {
  auto s = walk_stream(file);
  if (!s) return tl::unexpected(s.error());
  auto comment = comment_of(*s);
  if (!comment) return tl::unexpected(comment.error());
  std::vector<std::string> labels;
  for (const std::string& c : comment->comments) {
    if (media::comment_has_key(c, kKey)) labels.push_back(c.substr(kKey.size() + 1));
  }
  return labels;
}

Result<Bytes> OggLabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                           const LabelStyle&) const {
  auto s = walk_stream(file);
  if (!s) return tl::unexpected(s.error());
  auto comment = comment_of(*s);
  if (!comment) return tl::unexpected(comment.error());
  std::erase_if(comment->comments,
                [](const std::string& c) { return media::comment_has_key(c, kKey); });
  comment->comments.push_back(std::string(kKey) + "=" + std::string(aigc_json));
  const ByteView old_comment = s->headers[1];
  Bytes packet(old_comment.begin(),
               old_comment.begin() + static_cast<std::ptrdiff_t>(s->comment_prefix));
  const Bytes body = media::serialize_vorbis_comment(*comment);
  packet.insert(packet.end(), body.begin(), body.end());
  // What followed the comments: Vorbis's framing bit, Opus's optional padding.
  packet.insert(
      packet.end(),
      old_comment.begin() + static_cast<std::ptrdiff_t>(s->comment_prefix + comment->size),
      old_comment.end());

  const std::uint32_t serial = s->pages.front().serial;
  // Page 0 holds the identification header alone; the rest of the headers are re-paged.
  if (s->pages.front().lacing.empty() || s->pages.front().data_size != s->headers[0].size()) {
    return damaged("the first page holds more than the identification header");
  }
  std::vector<Bytes> packets = {packet};
  if (!s->opus) packets.push_back(s->headers[2]);
  const std::vector<Bytes> header_pages = media::page_packets(packets, serial, 1, 0);
  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(s->pages.front().size));
  for (const Bytes& p : header_pages) out.insert(out.end(), p.begin(), p.end());
  auto sequence = static_cast<std::uint32_t>(1 + header_pages.size());
  for (std::size_t i = s->header_pages; i < s->pages.size(); ++i) {
    const auto& p = s->pages[i];
    const Bytes page = media::make_ogg_page(p.header_type, p.granule, serial, sequence++, p.lacing,
                                            file.subspan(p.data_offset, p.data_size));
    out.insert(out.end(), page.begin(), page.end());
  }
  return out;
}

Result<Sha256Digest> OggLabelHandler::content_digest(ByteView file) const {
  auto s = walk_stream(file);
  if (!s) return tl::unexpected(s.error());
  Sha256Hasher hasher;
  hasher.update(s->headers[0]);
  if (!s->opus) hasher.update(s->headers[2]);
  for (std::size_t i = s->header_pages; i < s->pages.size(); ++i) {
    const auto& p = s->pages[i];
    Bytes fields;
    for (int b = 0; b < 8; ++b) fields.push_back(static_cast<std::uint8_t>(p.granule >> (8 * b)));
    fields.push_back(p.header_type);
    fields.insert(fields.end(), p.lacing.begin(), p.lacing.end());
    hasher.update(fields);
    hasher.update(file.subspan(p.data_offset, p.data_size));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
