#include "metadata/matroska_label.hpp"

#include <zlib.h>

#include <algorithm>

#include "media/matroska_elements.hpp"

namespace synthgate::metadata {

namespace {
namespace id = media::ebml_id;
using media::EbmlElement;
constexpr std::string_view kName = "AIGC";

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged Matroska: " + why);
}

struct Layout {
  EbmlElement segment;
  std::vector<EbmlElement> top;  // the Segment's children
};

Result<Layout> walk_file(ByteView file) {
  auto top = media::walk_ebml(file);
  if (!top) return tl::unexpected(top.error());
  if (top->empty() || top->front().id != id::kHeader) return damaged("no EBML header");
  auto segment = std::find_if(top->begin(), top->end(),
                              [](const EbmlElement& e) { return e.id == id::kSegment; });
  if (segment == top->end()) return damaged("no Segment");
  Layout layout{*segment, {}};
  auto children = media::walk_ebml(file.subspan(segment->data_offset(), segment->data_size),
                                   segment->data_offset());
  if (!children) return tl::unexpected(children.error());
  layout.top = std::move(*children);
  return layout;
}

ByteView data_of(ByteView file, const EbmlElement& e) {
  return file.subspan(e.data_offset(), e.data_size);
}

struct SimpleTagRef {
  EbmlElement element;
  std::string name, value;
};

// The SimpleTags directly in the Tags element's Tag elements.
Result<std::vector<SimpleTagRef>> simple_tags(ByteView file, const EbmlElement& tags) {
  std::vector<SimpleTagRef> out;
  auto tag_list = media::walk_ebml(data_of(file, tags), tags.data_offset());
  if (!tag_list) return tl::unexpected(tag_list.error());
  for (const EbmlElement& tag : *tag_list) {
    if (tag.id != id::kTag) continue;
    auto children = media::walk_ebml(data_of(file, tag), tag.data_offset());
    if (!children) return tl::unexpected(children.error());
    for (const EbmlElement& simple : *children) {
      if (simple.id != id::kSimpleTag) continue;
      auto fields = media::walk_ebml(data_of(file, simple), simple.data_offset());
      if (!fields) return tl::unexpected(fields.error());
      SimpleTagRef ref{simple, {}, {}};
      for (const EbmlElement& f : *fields) {
        std::string text(as_chars(data_of(file, f)));
        while (!text.empty() && text.back() == '\0') text.pop_back();
        if (f.id == id::kTagName) ref.name = std::move(text);
        if (f.id == id::kTagString) ref.value = std::move(text);
      }
      out.push_back(std::move(ref));
    }
  }
  return out;
}

// Recomputes the CRC-32 element that opens `element`'s data, if it has one.
void fix_crc(Bytes& out, const EbmlElement& element) {
  auto children = media::walk_ebml(ByteView(out).subspan(element.data_offset(), element.data_size),
                                   element.data_offset());
  if (!children || children->empty() || children->front().id != id::kCrc32 ||
      children->front().data_size != 4) {
    return;
  }
  const EbmlElement& crc = children->front();
  const ByteView covered = ByteView(out).subspan(crc.end(), element.end() - crc.end());
  const auto value =
      static_cast<std::uint32_t>(::crc32(0, covered.data(), static_cast<uInt>(covered.size())));
  for (std::size_t i = 0; i < 4; ++i) {
    out[crc.data_offset() + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

Bytes tags_element(std::string_view json) {
  Bytes simple = media::ebml_element(id::kTagName, as_bytes(kName));
  const Bytes value = media::ebml_element(id::kTagString, as_bytes(json));
  simple.insert(simple.end(), value.begin(), value.end());
  Bytes tag = media::ebml_element(id::kTargets, {});
  const Bytes simple_tag = media::ebml_element(id::kSimpleTag, simple);
  tag.insert(tag.end(), simple_tag.begin(), simple_tag.end());
  return media::ebml_element(id::kTags, media::ebml_element(id::kTag, tag));
}
}  // namespace

bool MatroskaLabelHandler::recognises(ByteView head) const {
  return head.size() >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF &&
         head[3] == 0xA3;
}

Result<std::vector<std::string>> MatroskaLabelHandler::read_labels(ByteView file) const {
  auto layout = walk_file(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> labels;
  for (const EbmlElement& e : layout->top) {
    if (e.id != id::kTags) continue;
    auto tags = simple_tags(file, e);
    if (!tags) return tl::unexpected(tags.error());
    for (const auto& t : *tags) {
      if (t.name == kName) labels.push_back(t.value);
    }
  }
  return labels;
}

Result<Bytes> MatroskaLabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                                const LabelStyle&) const {
  auto layout = walk_file(file);
  if (!layout) return tl::unexpected(layout.error());
  const std::vector<EbmlElement>& top = layout->top;
  const std::size_t base = layout->segment.data_offset();
  auto seekhead = std::find_if(top.begin(), top.end(),
                               [](const EbmlElement& e) { return e.id == id::kSeekHead; });
  if (seekhead == top.end()) {
    return fail(ErrorCode::kUnsupportedMediaType, "Matroska without a SeekHead cannot be labelled");
  }
  // A Tags element that only holds AIGC labels and ends the Segment is an earlier label of
  // ours: it is dropped and its SeekHead entry reused.
  std::size_t end = layout->segment.end();
  if (top.back().id == id::kTags) {
    auto tags = simple_tags(file, top.back());
    if (!tags) return tl::unexpected(tags.error());
    if (!tags->empty() && std::all_of(tags->begin(), tags->end(),
                                      [](const SimpleTagRef& t) { return t.name == kName; })) {
      end = top.back().offset;
    }
  }
  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(end));

  // Earlier AIGC SimpleTags in other Tags elements become Void (nothing moves).
  for (const EbmlElement& e : top) {
    if (e.id != id::kTags || e.offset >= end) continue;
    auto tags = simple_tags(file, e);
    if (!tags) return tl::unexpected(tags.error());
    bool changed = false;
    for (const auto& t : *tags) {
      if (t.name != kName) continue;
      const std::size_t total = t.element.end() - t.element.offset;
      const Bytes filler = media::ebml_void(total);
      std::copy(filler.begin(), filler.end(),
                out.begin() + static_cast<std::ptrdiff_t>(t.element.offset));
      changed = true;
    }
    if (changed) fix_crc(out, e);
  }

  // The new Tags at the end, and its SeekHead entry in the SeekHead and the Void after it.
  const std::size_t tags_position = end - base;
  auto entries = media::walk_ebml(data_of(file, *seekhead), seekhead->data_offset());
  if (!entries) return tl::unexpected(entries.error());
  Bytes seek_data;
  bool has_crc = false;
  for (const EbmlElement& entry : *entries) {
    if (entry.id == id::kCrc32) {
      has_crc = true;
      continue;
    }
    if (entry.id == id::kVoid) continue;
    if (entry.id == id::kSeek) {
      auto fields = media::walk_ebml(data_of(file, entry), entry.data_offset());
      if (!fields) return tl::unexpected(fields.error());
      bool stale = false;
      for (const EbmlElement& f : *fields) {
        if (f.id == id::kSeekPosition && base + media::ebml_uint(data_of(file, f)) >= end)
          stale = true;
      }
      if (stale) continue;
    }
    const ByteView whole = file.subspan(entry.offset, entry.end() - entry.offset);
    seek_data.insert(seek_data.end(), whole.begin(), whole.end());
  }
  Bytes seek = media::ebml_element(id::kSeekId, media::ebml_id_bytes(id::kTags));
  const Bytes position = media::ebml_uint_element(id::kSeekPosition, tags_position);
  seek.insert(seek.end(), position.begin(), position.end());
  const Bytes seek_element = media::ebml_element(id::kSeek, seek);
  seek_data.insert(seek_data.end(), seek_element.begin(), seek_element.end());
  if (has_crc) {
    Bytes crc = {0xBF, 0x84, 0, 0, 0, 0};
    seek_data.insert(seek_data.begin(), crc.begin(), crc.end());
  }
  const Bytes new_seekhead = media::ebml_element(id::kSeekHead, seek_data);
  // Room: the SeekHead and a Void right after it.
  std::size_t room = seekhead->end() - seekhead->offset;
  auto next = seekhead + 1;
  if (next != top.end() && next->id == id::kVoid && next->offset < end)
    room += next->end() - next->offset;
  if (new_seekhead.size() > room || room - new_seekhead.size() == 1) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "no room in the Matroska SeekHead for the label's entry (remux it with ffmpeg)");
  }
  std::copy(new_seekhead.begin(), new_seekhead.end(),
            out.begin() + static_cast<std::ptrdiff_t>(seekhead->offset));
  if (room > new_seekhead.size()) {
    const Bytes filler = media::ebml_void(room - new_seekhead.size());
    std::copy(filler.begin(), filler.end(),
              out.begin() + static_cast<std::ptrdiff_t>(seekhead->offset + new_seekhead.size()));
  }
  if (has_crc) {
    fix_crc(out, EbmlElement{id::kSeekHead, seekhead->offset,
                             new_seekhead.size() - seek_data.size(), 0, seek_data.size()});
  }
  const Bytes tags = tags_element(aigc_json);
  out.insert(out.end(), tags.begin(), tags.end());
  // The Segment's size, in its own field width.
  auto size = media::ebml_size_bytes(out.size() - base, layout->segment.size_width);
  if (!size) return damaged("the Segment size field is too small for the label");
  std::copy(size->begin(), size->end(),
            out.begin() + static_cast<std::ptrdiff_t>(base - layout->segment.size_width));
  // Whatever followed the Segment (nothing, normally) is kept.
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(layout->segment.end()),
             file.end());
  return out;
}

Result<Sha256Digest> MatroskaLabelHandler::content_digest(ByteView file) const {
  auto layout = walk_file(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.first(layout->segment.offset));
  for (const EbmlElement& e : layout->top) {
    if (e.id == id::kSeekHead || e.id == id::kVoid || e.id == id::kTags) continue;
    hasher.update(file.subspan(e.offset, e.end() - e.offset));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
