#include "metadata/mp4_label.hpp"

#include <functional>
#include <optional>

#include "media/isobmff_boxes.hpp"

namespace synthgate::metadata {

namespace {

using media::IsoBox;

constexpr std::string_view kKey = "AIGC";
constexpr std::uint64_t kMaxMoov = std::uint64_t{256} << 20;

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged MP4: " + why);
}

ByteView payload_of(ByteView data, const IsoBox& box) {
  return data.subspan(static_cast<std::size_t>(box.payload_offset()),
                      static_cast<std::size_t>(box.payload_size()));
}

ByteView bytes_of(ByteView data, const IsoBox& box) {
  return data.subspan(static_cast<std::size_t>(box.offset), static_cast<std::size_t>(box.size));
}

void append(Bytes& out, ByteView b) {
  out.insert(out.end(), b.begin(), b.end());
}

// Where a chunk offset points once moov is rebuilt, or nullopt for one past the end of the
// file (damaged).
using OffsetMap = std::function<std::optional<std::uint64_t>(std::uint64_t)>;

// The file's moov, and where it is.
struct Layout {
  std::vector<IsoBox> top;
  std::size_t moov_index = 0;
  Bytes moov;  // the whole box
};

Result<Layout> read_layout(const media::ByteSource& file) {
  auto top = media::walk_top_level_boxes(file);
  if (!top) return tl::unexpected(top.error());
  Layout layout;
  layout.top = std::move(*top);
  if (layout.top.empty() || layout.top.front().type != "ftyp") return damaged("no ftyp box first");
  std::optional<std::size_t> moov;
  for (std::size_t i = 0; i < layout.top.size(); ++i) {
    const std::string& type = layout.top[i].type;
    if (type == "moof") {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "fragmented MP4 (moof boxes) is not supported for labelling");
    }
    if (type != "moov") continue;
    if (moov) return damaged("more than one moov box");
    moov = i;
  }
  if (!moov) return damaged("no moov box");
  layout.moov_index = *moov;
  const IsoBox& box = layout.top[*moov];
  if (box.size > kMaxMoov) return damaged("moov box larger than 256 MiB");
  auto bytes = file.read_at(box.offset, static_cast<std::size_t>(box.size));
  if (!bytes) return tl::unexpected(bytes.error());
  layout.moov = std::move(*bytes);
  // Validate the whole tree that we read or rebuild.
  auto children = media::walk_boxes(
      payload_of(layout.moov, IsoBox{"moov", 0, box.size, box.header_size, false}));
  if (!children) return tl::unexpected(children.error());
  return layout;
}

IsoBox moov_box(const Layout& layout) {
  IsoBox box = layout.top[layout.moov_index];
  box.offset = 0;
  return box;
}

// A box as it is, except that a size of 0 ("to the end") becomes its real size: inside a
// rebuilt container the end moves.
Result<Bytes> verbatim(ByteView data, const IsoBox& box) {
  if (box.to_end) return media::make_box(box.type, payload_of(data, box));
  const ByteView whole = bytes_of(data, box);
  return Bytes(whole.begin(), whole.end());
}

// --- chunk offsets -------------------------------------------------------------------------

Result<Bytes> rebuild_offsets(ByteView box_bytes, const IsoBox& box, const OffsetMap& map);

Result<Bytes> rebuild_container(ByteView box_bytes, const IsoBox& box, const OffsetMap& map) {
  const ByteView payload = payload_of(box_bytes, box);
  auto children = media::walk_boxes(payload);
  if (!children) return tl::unexpected(children.error());
  Bytes inner;
  for (const IsoBox& child : *children) {
    auto rebuilt = rebuild_offsets(payload, child, map);
    if (!rebuilt) return tl::unexpected(rebuilt.error());
    append(inner, *rebuilt);
  }
  return media::make_box(box.type, inner);
}

Result<Bytes> rebuild_table(ByteView box_bytes, const IsoBox& box, const OffsetMap& map) {
  const ByteView payload = payload_of(box_bytes, box);
  const bool wide = box.type == "co64";
  const std::size_t entry = wide ? 8 : 4;
  if (payload.size() < 8) return damaged("short " + box.type + " box");
  const std::uint32_t count = media::read_be32(payload, 4);
  if ((payload.size() - 8) / entry < count) return damaged(box.type + " entries run past the box");
  Bytes inner(payload.begin(), payload.begin() + 8);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = 8 + i * entry;
    const std::uint64_t old = wide ? media::read_be64(payload, at) : media::read_be32(payload, at);
    const auto moved = map(old);
    if (!moved) return damaged("a chunk offset points past the end of the file");
    if (!wide && *moved > 0xffffffffULL) {
      return fail(ErrorCode::kResourceExhausted, "stco offset overflow");
    }
    if (wide) {
      media::append_be64(inner, *moved);
    } else {
      media::append_be32(inner, static_cast<std::uint32_t>(*moved));
    }
  }
  inner.insert(inner.end(), payload.begin() + static_cast<std::ptrdiff_t>(8 + count * entry),
               payload.end());
  return media::make_box(box.type, inner);
}

Result<Bytes> rebuild_offsets(ByteView box_bytes, const IsoBox& box, const OffsetMap& map) {
  if (box.type == "trak" || box.type == "mdia" || box.type == "minf" || box.type == "stbl") {
    return rebuild_container(box_bytes, box, map);
  }
  if (box.type == "stco" || box.type == "co64") return rebuild_table(box_bytes, box, map);
  return verbatim(box_bytes, box);
}

// --- the mdta meta box ---------------------------------------------------------------------

struct MdtaMeta {
  std::vector<std::string> keys;                       // 1-based in ilst
  std::vector<std::pair<std::uint32_t, Bytes>> items;  // key index, the item's payload
  std::vector<Bytes> other_children;                   // hdlr and the rest, verbatim
  Bytes full_box_header;                               // version and flags
};

// The handler type of a meta box's hdlr child, or "" when there is none.
std::string handler_type(ByteView meta_payload) {
  if (meta_payload.size() < 4) return "";
  auto children = media::walk_boxes(meta_payload.subspan(4));
  if (!children) return "";
  for (const IsoBox& c : *children) {
    if (c.type == "hdlr" && c.payload_size() >= 12) {
      return std::string(as_chars(payload_of(meta_payload.subspan(4), c).subspan(8, 4)));
    }
  }
  return "";
}

Result<MdtaMeta> parse_mdta(ByteView meta_payload) {
  if (meta_payload.size() < 4) return damaged("short meta box");
  MdtaMeta meta;
  meta.full_box_header.assign(meta_payload.begin(), meta_payload.begin() + 4);
  const ByteView body = meta_payload.subspan(4);
  auto children = media::walk_boxes(body);
  if (!children) return tl::unexpected(children.error());
  for (const IsoBox& c : *children) {
    const ByteView p = payload_of(body, c);
    if (c.type == "keys") {
      if (p.size() < 8) return damaged("short keys box");
      const std::uint32_t count = media::read_be32(p, 4);
      std::size_t pos = 8;
      for (std::uint32_t i = 0; i < count; ++i) {
        if (p.size() - pos < 8) return damaged("keys entries run past the box");
        const std::uint32_t size = media::read_be32(p, pos);
        if (size < 8 || size > p.size() - pos) return damaged("bad keys entry");
        meta.keys.emplace_back(as_chars(p.subspan(pos + 8, size - 8)));
        pos += size;
      }
    } else if (c.type == "ilst") {
      auto items = media::walk_boxes(p);
      if (!items) return tl::unexpected(items.error());
      for (const IsoBox& item : *items) {
        const ByteView whole = bytes_of(p, item);
        const ByteView inner = payload_of(p, item);
        meta.items.emplace_back(media::read_be32(whole, 4), Bytes(inner.begin(), inner.end()));
      }
    } else {
      auto kept = verbatim(body, c);
      if (!kept) return tl::unexpected(kept.error());
      meta.other_children.push_back(std::move(*kept));
    }
  }
  return meta;
}

// The values of the `data` boxes of an item.
Result<std::vector<std::string>> item_values(ByteView item_payload) {
  auto boxes = media::walk_boxes(item_payload);
  if (!boxes) return tl::unexpected(boxes.error());
  std::vector<std::string> values;
  for (const IsoBox& b : *boxes) {
    if (b.type != "data") continue;
    const ByteView p = payload_of(item_payload, b);
    if (p.size() < 8) return damaged("short data box");
    values.emplace_back(as_chars(p.subspan(8)));
  }
  return values;
}

// Drops `key` and its items, and items that name no key (they would take the index of a key
// added later).
void remove_key(MdtaMeta& meta, std::string_view key) {
  std::erase_if(meta.items,
                [&](const auto& item) { return item.first == 0 || item.first > meta.keys.size(); });
  for (std::size_t k = meta.keys.size(); k-- > 0;) {
    if (meta.keys[k] != key) continue;
    const auto index = static_cast<std::uint32_t>(k + 1);
    std::erase_if(meta.items, [&](const auto& item) { return item.first == index; });
    for (auto& item : meta.items) {
      if (item.first > index) --item.first;
    }
    meta.keys.erase(meta.keys.begin() + static_cast<std::ptrdiff_t>(k));
  }
}

Bytes hdlr_mdta() {
  Bytes p(4 + 4, 0);  // version/flags, pre_defined
  append(p, as_bytes("mdta"));
  p.resize(p.size() + 12 + 1, 0);  // reserved, empty name
  return *media::make_box("hdlr", p);
}

Result<Bytes> serialize_mdta(const MdtaMeta& meta) {
  Bytes keys(4, 0);
  media::append_be32(keys, static_cast<std::uint32_t>(meta.keys.size()));
  for (const std::string& k : meta.keys) {
    media::append_be32(keys, static_cast<std::uint32_t>(k.size() + 8));
    append(keys, as_bytes("mdta"));
    append(keys, as_bytes(k));
  }
  Bytes ilst;
  for (const auto& [index, payload] : meta.items) {
    media::append_be32(ilst, static_cast<std::uint32_t>(payload.size() + 8));
    media::append_be32(ilst, index);
    append(ilst, payload);
  }
  Bytes body = meta.full_box_header;
  bool have_hdlr = false;
  for (const Bytes& c : meta.other_children)
    have_hdlr |= as_chars(ByteView(c).subspan(4, 4)) == "hdlr";
  if (!have_hdlr) append(body, hdlr_mdta());
  for (const Bytes& c : meta.other_children) append(body, c);
  auto keys_box = media::make_box("keys", keys);
  auto ilst_box = media::make_box("ilst", ilst);
  if (!keys_box || !ilst_box) return damaged("meta box too large");
  append(body, *keys_box);
  append(body, *ilst_box);
  return media::make_box("meta", body);
}

Bytes data_item(std::string_view value) {
  Bytes data;
  media::append_be32(data, 1);  // version 0, type 1: UTF-8
  media::append_be32(data, 0);  // locale
  append(data, as_bytes(value));
  return *media::make_box("data", data);
}

// All AIGC values in the mdta meta boxes of moov and moov/udta.
Result<std::vector<std::string>> labels_in(ByteView moov_payload) {
  std::vector<std::string> labels;
  std::function<Status(ByteView, bool)> scan = [&](ByteView payload, bool in_udta) -> Status {
    auto children = media::walk_boxes(payload);
    if (!children) return tl::unexpected(children.error());
    for (const IsoBox& c : *children) {
      const ByteView p = payload_of(payload, c);
      if (c.type == "udta" && !in_udta) {
        if (auto ok = scan(p, true); !ok) return ok;
      } else if (c.type == "meta" && handler_type(p) == "mdta") {
        auto meta = parse_mdta(p);
        if (!meta) return tl::unexpected(meta.error());
        for (const auto& [index, item] : meta->items) {
          if (index == 0 || index > meta->keys.size() || meta->keys[index - 1] != kKey) continue;
          auto values = item_values(item);
          if (!values) return tl::unexpected(values.error());
          labels.insert(labels.end(), values->begin(), values->end());
        }
      }
    }
    return {};
  };
  if (auto ok = scan(moov_payload, false); !ok) return tl::unexpected(ok.error());
  return labels;
}

// moov's children with the AIGC key removed from every mdta meta and, when `label` is given,
// the label added to the mdta meta of udta (made if missing). With `drop_udta`, udta and
// moov-level meta are left out (the content digest).
Result<Bytes> rebuild_moov(ByteView moov, const IsoBox& box, std::optional<std::string_view> label,
                           const OffsetMap& map, bool drop_udta) {
  const ByteView payload = payload_of(moov, box);
  auto children = media::walk_boxes(payload);
  if (!children) return tl::unexpected(children.error());

  auto relabel = [&](ByteView meta_payload, bool add) -> Result<Bytes> {
    auto meta = parse_mdta(meta_payload);
    if (!meta) return tl::unexpected(meta.error());
    remove_key(*meta, kKey);
    if (add) {
      meta->keys.emplace_back(kKey);
      meta->items.emplace_back(static_cast<std::uint32_t>(meta->keys.size()), data_item(*label));
    }
    return serialize_mdta(*meta);
  };

  Bytes inner;
  bool placed = false;
  for (const IsoBox& c : *children) {
    const ByteView p = payload_of(payload, c);
    if (c.type == "udta") {
      if (drop_udta) continue;
      auto udta_children = media::walk_boxes(p);
      if (!udta_children) return tl::unexpected(udta_children.error());
      Bytes udta;
      for (const IsoBox& u : *udta_children) {
        const ByteView up = payload_of(p, u);
        if (u.type == "meta" && handler_type(up) == "mdta") {
          auto rebuilt = relabel(up, label && !placed);
          if (!rebuilt) return tl::unexpected(rebuilt.error());
          placed = placed || label.has_value();
          append(udta, *rebuilt);
        } else {
          auto kept = verbatim(p, u);
          if (!kept) return tl::unexpected(kept.error());
          append(udta, *kept);
        }
      }
      if (label && !placed) {
        auto rebuilt = relabel(Bytes(4, 0), true);
        if (!rebuilt) return tl::unexpected(rebuilt.error());
        append(udta, *rebuilt);
        placed = true;
      }
      auto udta_box = media::make_box("udta", udta);
      if (!udta_box) return tl::unexpected(udta_box.error());
      append(inner, *udta_box);
    } else if (c.type == "meta" && handler_type(p) == "mdta") {
      if (drop_udta) continue;
      auto rebuilt = relabel(p, false);
      if (!rebuilt) return tl::unexpected(rebuilt.error());
      append(inner, *rebuilt);
    } else {
      auto rebuilt = rebuild_offsets(payload, c, map);
      if (!rebuilt) return tl::unexpected(rebuilt.error());
      append(inner, *rebuilt);
    }
  }
  if (label && !placed) {
    auto meta = relabel(Bytes(4, 0), true);
    if (!meta) return tl::unexpected(meta.error());
    auto udta_box = media::make_box("udta", *meta);
    if (!udta_box) return tl::unexpected(udta_box.error());
    append(inner, *udta_box);
  }
  return media::make_box("moov", inner);
}

}  // namespace

bool Mp4LabelHandler::recognises(ByteView head) const {
  if (head.size() < 12 || as_chars(head.subspan(4, 4)) != "ftyp") return false;
  // Still images in the same box structure (HEIF, AVIF) are not this handler's.
  const std::string_view brand = as_chars(head.subspan(8, 4));
  return brand != "heic" && brand != "heix" && brand != "mif1" && brand != "msf1" &&
         brand != "avif" && brand != "avis";
}

Result<std::vector<std::string>> Mp4LabelHandler::read_labels(const media::ByteSource& file) const {
  auto layout = read_layout(file);
  if (!layout) return tl::unexpected(layout.error());
  return labels_in(payload_of(layout->moov, moov_box(*layout)));
}

Status Mp4LabelHandler::write_label(const media::ByteSource& file, media::ByteSink& out,
                                    std::string_view aigc_json, const LabelStyle&) const {
  auto layout = read_layout(file);
  if (!layout) return tl::unexpected(layout.error());
  const IsoBox& old = layout->top[layout->moov_index];
  const std::uint64_t old_end = old.offset + old.size;
  // Offsets as if moov were absent, then shifted past wherever moov now sits.
  const std::uint64_t file_size = file.size();
  auto removed = [&](std::uint64_t offset) {
    return offset >= old_end ? offset - old.size : offset;
  };
  auto sized = rebuild_moov(
      layout->moov, moov_box(*layout), aigc_json,
      [](std::uint64_t o) { return std::optional<std::uint64_t>(o); }, false);
  if (!sized) return tl::unexpected(sized.error());
  const std::uint64_t new_size = sized->size();
  auto in_place = [&](std::uint64_t offset) -> std::optional<std::uint64_t> {
    if (offset > file_size) return std::nullopt;
    const std::uint64_t r = removed(offset);
    return r >= old.offset ? r + new_size : r;
  };
  auto at_end = [&](std::uint64_t offset) -> std::optional<std::uint64_t> {
    if (offset > file_size) return std::nullopt;
    return removed(offset);
  };
  bool move_to_end = false;
  auto moov = rebuild_moov(layout->moov, moov_box(*layout), aigc_json, in_place, false);
  if (!moov && moov.error().code == ErrorCode::kResourceExhausted) {
    if (layout->top.back().to_end && layout->moov_index + 1 != layout->top.size()) {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "MP4 whose last box has no size: moov cannot be moved after it");
    }
    move_to_end = true;
    moov = rebuild_moov(layout->moov, moov_box(*layout), aigc_json, at_end, false);
  }
  if (!moov) return tl::unexpected(moov.error());
  for (std::size_t i = 0; i < layout->top.size(); ++i) {
    const IsoBox& box = layout->top[i];
    if (i == layout->moov_index) {
      if (move_to_end) continue;
      if (auto ok = out.write(*moov); !ok) return ok;
    } else if (auto ok = media::copy_range(file, box.offset, box.size, out); !ok) {
      return ok;
    }
  }
  if (move_to_end) return out.write(*moov);
  return {};
}

Result<Sha256Digest> Mp4LabelHandler::content_digest(const media::ByteSource& file) const {
  auto layout = read_layout(file);
  if (!layout) return tl::unexpected(layout.error());
  const IsoBox& old = layout->top[layout->moov_index];
  const std::uint64_t old_end = old.offset + old.size;
  const std::uint64_t file_size = file.size();
  auto removed = [&](std::uint64_t offset) -> std::optional<std::uint64_t> {
    if (offset > file_size) return std::nullopt;
    return offset >= old_end ? offset - old.size : offset;
  };
  auto moov = rebuild_moov(layout->moov, moov_box(*layout), std::nullopt, removed, true);
  if (!moov) return tl::unexpected(moov.error());
  Sha256Hasher hasher;
  hasher.update(*moov);
  struct HashSink final : media::ByteSink {
    explicit HashSink(Sha256Hasher& h) : hasher(h) {}
    Status write(ByteView bytes) override {
      hasher.update(bytes);
      return {};
    }
    Sha256Hasher& hasher;
  } sink(hasher);
  for (std::size_t i = 0; i < layout->top.size(); ++i) {
    const IsoBox& box = layout->top[i];
    if (i == layout->moov_index || box.type == "free" || box.type == "skip") continue;
    if (auto ok = media::copy_range(file, box.offset, box.size, sink); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return hasher.finish();
}

Result<std::vector<std::string>> Mp4LabelHandler::read_labels(ByteView file) const {
  return read_labels(media::MemorySource(file));
}

Result<Bytes> Mp4LabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                           const LabelStyle& style) const {
  media::MemorySink sink;
  if (auto ok = write_label(media::MemorySource(file), sink, aigc_json, style); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::move(sink.bytes());
}

Result<Sha256Digest> Mp4LabelHandler::content_digest(ByteView file) const {
  return content_digest(media::MemorySource(file));
}

}  // namespace synthgate::metadata
