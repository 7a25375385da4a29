#include "metadata/wav_label.hpp"

#include <algorithm>

#include "media/riff_chunks.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kId = "AIGC";

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged WAV: " + why);
}

Result<media::RiffLayout> walk_wav(ByteView file) {
  auto layout = media::walk_riff(file);
  if (!layout)
    return tl::unexpected(Error{layout.error().code, "damaged WAV: " + layout.error().message});
  if (layout->form != "WAVE") return fail(ErrorCode::kInvalidArgument, "not a WAV file");
  const auto has = [&](std::string_view id) {
    return std::any_of(layout->chunks.begin(), layout->chunks.end(),
                       [&](const media::RiffChunk& c) { return c.id == id; });
  };
  if (!has("fmt ")) return damaged("no fmt chunk");
  if (!has("data")) return damaged("no data chunk");
  return layout;
}

bool is_info(ByteView file, const media::RiffChunk& c) {
  return c.id == "LIST" && c.data_size >= 4 && as_chars(file.subspan(c.data_offset, 4)) == "INFO";
}

Result<std::vector<media::RiffChunk>> info_entries(ByteView file, const media::RiffChunk& list) {
  return media::walk_riff_chunks(file.subspan(list.data_offset + 4, list.data_size - 4),
                                 list.data_offset + 4);
}

std::string text_of(ByteView file, const media::RiffChunk& c) {
  std::string_view text = as_chars(file.subspan(c.data_offset, c.data_size));
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  return std::string(text);
}

// The LIST/INFO chunk without its AIGC entries, plus `label` as an entry when given; empty
// when nothing is left.
Result<Bytes> rebuilt_info(ByteView file, const media::RiffChunk& list,
                           std::optional<std::string_view> label) {
  auto entries = info_entries(file, list);
  if (!entries) return tl::unexpected(entries.error());
  Bytes data(file.begin() + static_cast<std::ptrdiff_t>(list.data_offset),
             file.begin() + static_cast<std::ptrdiff_t>(list.data_offset + 4));
  for (const auto& e : *entries) {
    if (e.id == kId) continue;
    data.insert(data.end(), file.begin() + static_cast<std::ptrdiff_t>(e.offset),
                file.begin() + static_cast<std::ptrdiff_t>(e.offset + e.size));
  }
  if (label) {
    std::string value(*label);
    value.push_back('\0');
    const Bytes entry = media::make_riff_chunk(kId, as_bytes(value));
    data.insert(data.end(), entry.begin(), entry.end());
  }
  if (data.size() == 4) return Bytes{};
  return media::make_riff_chunk("LIST", data);
}
}  // namespace

bool WavLabelHandler::recognises(ByteView head) const {
  return head.size() >= 12 && as_chars(head.first(4)) == "RIFF" &&
         as_chars(head.subspan(8, 4)) == "WAVE";
}

Result<std::vector<std::string>> WavLabelHandler::read_labels(ByteView file) const {
  auto layout = walk_wav(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> labels;
  const auto add = [&](std::string value) {
    if (std::find(labels.begin(), labels.end(), value) == labels.end()) labels.push_back(value);
  };
  for (const auto& c : layout->chunks) {
    if (c.id == kId) add(text_of(file, c));
    if (!is_info(file, c)) continue;
    auto entries = info_entries(file, c);
    if (!entries) return tl::unexpected(entries.error());
    for (const auto& e : *entries) {
      if (e.id == kId) add(text_of(file, e));
    }
  }
  return labels;
}

Result<Bytes> WavLabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                           const LabelStyle&) const {
  auto layout = walk_wav(file);
  if (!layout) return tl::unexpected(layout.error());
  const bool has_info = std::any_of(layout->chunks.begin(), layout->chunks.end(),
                                    [&](const auto& c) { return is_info(file, c); });
  Bytes out(file.begin(), file.begin() + 12);
  bool placed = false;
  const auto put = [&](ByteView bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); };
  for (const auto& c : layout->chunks) {
    if (c.id == kId) continue;
    if (c.id == "data" && !placed) {
      put(media::make_riff_chunk(kId, as_bytes(aigc_json)));
      if (!has_info) {
        std::string value(aigc_json);
        value.push_back('\0');
        Bytes info(4);
        std::copy_n("INFO", 4, info.begin());
        const Bytes entry = media::make_riff_chunk(kId, as_bytes(value));
        info.insert(info.end(), entry.begin(), entry.end());
        put(media::make_riff_chunk("LIST", info));
      }
      placed = true;
    }
    if (is_info(file, c)) {
      auto list = rebuilt_info(file, c, has_info ? std::optional(aigc_json) : std::nullopt);
      if (!list) return tl::unexpected(list.error());
      put(*list);
      continue;
    }
    put(file.subspan(c.offset, c.size));
  }
  if (out.size() - 8 > 0xffffffffULL) return damaged("the labelled file would exceed 4 GiB");
  media::fix_riff_size(out);
  return out;
}

Result<Sha256Digest> WavLabelHandler::content_digest(ByteView file) const {
  auto layout = walk_wav(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.subspan(8, 4));
  for (const auto& c : layout->chunks) {
    if (c.id == kId) continue;
    if (is_info(file, c)) {
      auto list = rebuilt_info(file, c, std::nullopt);
      if (!list) return tl::unexpected(list.error());
      hasher.update(*list);
    } else {
      hasher.update(file.subspan(c.offset, c.size));
    }
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
