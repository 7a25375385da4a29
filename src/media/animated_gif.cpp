#include "media/animated_gif.hpp"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

#include "media/gif_stream.hpp"

namespace synthgate::media {

namespace {

constexpr int kTransparent = -1;  // a planned pixel that shows what lies below
constexpr int kNeedsColour = -2;  // a planned pixel still to be mapped to the table
// Squared RGB distance under which a table colour counts as a close match (about 6 levels a
// channel): label colours farther away than this get a free slot of the table when one is left.
constexpr int kCloseMatch = 3 * 6 * 6;

cv::Vec4b bgra_of(const GifColour& c) {
  return {c[2], c[1], c[0], 255};
}

// Draws a frame's opaque pixels on the canvas, as a decoder shows them. Indexes past the end of
// the table show black, as browsers do.
void draw(cv::Mat& canvas, const GifFrame& frame) {
  const cv::Rect clip = frame.rect & cv::Rect(0, 0, canvas.cols, canvas.rows);
  const int transparent = frame.transparent();
  for (int y = clip.y; y < clip.y + clip.height; ++y) {
    const std::uint8_t* row = frame.indexes.data() + static_cast<std::size_t>(y - frame.rect.y) *
                                                         static_cast<std::size_t>(frame.rect.width);
    auto* out = canvas.ptr<cv::Vec4b>(y);
    for (int x = clip.x; x < clip.x + clip.width; ++x) {
      const int index = row[x - frame.rect.x];
      if (index == transparent) continue;
      out[x] = index < static_cast<int>(frame.palette.size())
                   ? bgra_of(frame.palette[static_cast<std::size_t>(index)])
                   : cv::Vec4b(0, 0, 0, 255);
    }
  }
}

// The picture before a frame is drawn, for disposal 3 (restore previous).
cv::Mat saved_for(const cv::Mat& canvas, int disposal, cv::Rect rect) {
  if (disposal != DISPOSE_PREVIOUS) return {};
  return canvas(rect & cv::Rect(0, 0, canvas.cols, canvas.rows)).clone();
}

void dispose(cv::Mat& canvas, int disposal, cv::Rect rect, const cv::Mat& saved) {
  const cv::Rect clip = rect & cv::Rect(0, 0, canvas.cols, canvas.rows);
  if (disposal == DISPOSE_BACKGROUND) {
    canvas(clip).setTo(cv::Scalar::all(0));  // transparent, as browsers do
  } else if (disposal == DISPOSE_PREVIOUS && !saved.empty()) {
    saved.copyTo(canvas(clip));
  }
}

std::uint32_t packed(const cv::Vec4b& bgra) {
  return (std::uint32_t{bgra[2]} << 16) | (std::uint32_t{bgra[1]} << 8) | bgra[0];
}

GifColour colour_of(std::uint32_t rgb) {
  return {static_cast<std::uint8_t>(rgb >> 16), static_cast<std::uint8_t>(rgb >> 8),
          static_cast<std::uint8_t>(rgb)};
}

int distance2(const GifColour& a, const GifColour& b) {
  int d = 0;
  for (std::size_t c = 0; c < 3; ++c) d += (a[c] - b[c]) * (a[c] - b[c]);
  return d;
}

// A frame's colour table while edited pixels are mapped to it.
class TableFit {
 public:
  TableFit(GifPalette palette, int transparent, const std::vector<std::uint32_t>& kept_use)
      : palette_(std::move(palette)), transparent_(transparent) {
    for (int slot = 0; slot < 256; ++slot) {
      const bool existing = slot < static_cast<int>(palette_.size());
      if (slot == transparent_) continue;
      if (!existing || kept_use[static_cast<std::size_t>(slot)] == 0) free_.push_back(slot);
    }
    // Slots inside the table first: the table grows (and its codes widen) only when needed.
    std::stable_partition(free_.begin(), free_.end(),
                          [&](int s) { return s < static_cast<int>(palette_.size()); });
    std::reverse(free_.begin(), free_.end());  // taken from the back
    // Free slots inside the table hold colours no kept pixel uses: they may be given away, so
    // nothing is matched to them.
    unused_.assign(palette_.size(), false);
    for (const int s : free_) {
      if (s < static_cast<int>(palette_.size())) unused_[static_cast<std::size_t>(s)] = true;
    }
  }

  int transparent() const { return transparent_; }
  bool changed() const { return changed_; }
  const GifPalette& palette() const { return palette_; }

  bool reserve_transparent() {
    if (transparent_ >= 0) return true;
    if (free_.empty()) return false;
    transparent_ = take();
    return true;
  }

  // Gives `colour` a slot of its own when no table colour is close and a slot is free.
  void add_if_far(const GifColour& colour) {
    if (free_.empty() || nearest(colour).second <= kCloseMatch) return;
    const int slot = take();
    palette_[static_cast<std::size_t>(slot)] = colour;
    unused_[static_cast<std::size_t>(slot)] = false;
    cache_.clear();
    changed_ = true;
  }

  int index_of(std::uint32_t rgb) {
    if (auto it = cache_.find(rgb); it != cache_.end()) return it->second;
    const int index = nearest(colour_of(rgb)).first;
    cache_.emplace(rgb, index);
    return index;
  }

 private:
  int take() {
    const int slot = free_.back();
    free_.pop_back();
    if (slot >= static_cast<int>(palette_.size())) {
      palette_.resize(static_cast<std::size_t>(slot) + 1, GifColour{0, 0, 0});
      unused_.resize(palette_.size(), true);
    }
    changed_ = true;
    return slot;
  }

  std::pair<int, int> nearest(const GifColour& colour) const {
    int best = 0;
    int best_d = 1 << 30;
    for (int i = 0; i < static_cast<int>(palette_.size()); ++i) {
      if (i == transparent_ || unused_[static_cast<std::size_t>(i)]) continue;
      const int d = distance2(palette_[static_cast<std::size_t>(i)], colour);
      if (d < best_d) {
        best = i;
        best_d = d;
      }
    }
    return {best, best_d};
  }

  GifPalette palette_;
  int transparent_;
  std::vector<int> free_;
  std::vector<bool> unused_;  // slots whose colour no pixel uses (free, may be given away)
  std::unordered_map<std::uint32_t, int> cache_;
  bool changed_ = false;
};

// Where the written frame must show something other than what the output's canvas already
// shows, outside the source frame and the edit: the bounding box of those pixels.
cv::Rect stale_area(const cv::Mat& out, const cv::Mat& composed, cv::Rect frame, cv::Rect edit) {
  int x0 = out.cols;
  int y0 = out.rows;
  int x1 = -1;
  int y1 = -1;
  for (int y = 0; y < out.rows; ++y) {
    const auto* a = out.ptr<cv::Vec4b>(y);
    const auto* b = composed.ptr<cv::Vec4b>(y);
    for (int x = 0; x < out.cols; ++x) {
      if (a[x] == b[x]) continue;
      const cv::Point p(x, y);
      if (frame.contains(p) || edit.contains(p)) continue;
      x0 = std::min(x0, x);
      y0 = std::min(y0, y);
      x1 = std::max(x1, x);
      y1 = std::max(y1, y);
    }
  }
  if (x1 < 0) return {};
  return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

cv::Rect united(cv::Rect a, cv::Rect b) {
  if (b.empty()) return a;
  if (a.empty()) return b;
  return a | b;
}

// The frame to write so that the output shows `target` inside `edit` and `composed` elsewhere,
// given that it shows `out` before the frame.
GifFrame planned_frame(const GifFrame& source, const cv::Mat& out, const cv::Mat& composed,
                       const cv::Mat& target, cv::Rect edit) {
  const cv::Rect screen(0, 0, out.cols, out.rows);
  // A frame reaching past the screen (broken, but seen) is cut to it: what is off-screen is
  // never shown, and growing such a rectangle to the edit could make it huge.
  const bool on_screen = (source.rect & screen) == source.rect;
  cv::Rect area = united(united(on_screen ? source.rect : (source.rect & screen), edit),
                         stale_area(out, composed, source.rect, edit));
  if (area.empty()) area = source.rect;  // wholly off-screen and nothing to change: as it was
  const int t = source.transparent();
  std::vector<int> plan(static_cast<std::size_t>(area.area()));
  std::vector<std::uint32_t> wanted(plan.size(), 0);
  std::vector<std::uint32_t> kept_use(256, 0);
  std::unordered_map<std::uint32_t, std::uint32_t> demand;  // colour -> pixels wanting it
  bool needs_transparent = false;
  for (int y = area.y; y < area.y + area.height; ++y) {
    for (int x = area.x; x < area.x + area.width; ++x) {
      const std::size_t at = pixel_offset(x - area.x, y - area.y, area.width);
      const cv::Point p(x, y);
      const bool in_frame = source.rect.contains(p);
      const int original =
          in_frame
              ? source
                    .indexes[pixel_offset(x - source.rect.x, y - source.rect.y, source.rect.width)]
              : -1;
      if (!screen.contains(p)) {  // never shown: the source's bytes, as they were
        plan[at] = in_frame ? original : 0;
        if (in_frame) ++kept_use[static_cast<std::size_t>(original)];
        continue;
      }
      const cv::Vec4b& under = out.at<cv::Vec4b>(p);
      const cv::Vec4b& was = composed.at<cv::Vec4b>(p);
      const cv::Vec4b& desired = edit.contains(p) ? target.at<cv::Vec4b>(p) : was;
      if (in_frame && desired == was && (original != t || under == desired)) {
        plan[at] = original;
        ++kept_use[static_cast<std::size_t>(original)];
      } else if (under == desired || desired[3] == 0) {
        plan[at] = kTransparent;
        needs_transparent = true;
      } else {
        plan[at] = kNeedsColour;
        wanted[at] = packed(desired);
        // What must be restored outside the edit goes before the edit's own colours.
        demand[wanted[at]] += edit.contains(p) ? 1 : (1u << 24);
      }
    }
  }
  TableFit table(source.palette, t, kept_use);
  const bool transparent_ok = !needs_transparent || table.reserve_transparent();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_demand(demand.begin(), demand.end());
  std::sort(by_demand.begin(), by_demand.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const auto& [rgb, count] : by_demand) table.add_if_far(colour_of(rgb));

  GifFrame written;
  written.rect = area;
  written.interlaced = source.interlaced;
  written.indexes.resize(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    int index = plan[i];
    if (index == kTransparent && !transparent_ok) {
      // No slot left for transparency: the nearest colour of what lies below.
      const auto width = static_cast<std::size_t>(area.width);
      const cv::Point p(area.x + static_cast<int>(i % width), area.y + static_cast<int>(i / width));
      index = table.index_of(packed(out.at<cv::Vec4b>(p)));
    } else if (index == kTransparent) {
      index = table.transparent();
    } else if (index == kNeedsColour) {
      index = table.index_of(wanted[i]);
    }
    written.indexes[i] = static_cast<std::uint8_t>(index);
  }
  written.palette = table.palette();
  written.local_palette = source.local_palette || table.changed();
  written.extensions = source.extensions;
  written.control_position = source.control_position;
  written.control = source.control;
  if (table.transparent() >= 0 && !written.control) {
    written.control = GraphicsControlBlock{DISPOSAL_UNSPECIFIED, false, 0, NO_TRANSPARENT_COLOR};
    written.control_position = written.extensions.size();
  }
  if (written.control) written.control->TransparentColor = table.transparent();
  return written;
}

void count_frame(AnimationInfo& info, const GifFrame& frame) {
  ++info.frames;
  info.delays_ms.push_back(frame.control ? frame.control->DelayTime * 10 : 0);
  info.transparent = info.transparent || frame.transparent() >= 0;
}

}  // namespace

bool is_gif(ByteView bytes) {
  return bytes.size() >= 6 &&
         (as_chars(bytes.first(6)) == "GIF87a" || as_chars(bytes.first(6)) == "GIF89a");
}

Result<AnimationInfo> decode_gif_frames(ByteView file, const FrameVisitor& visit,
                                        const AnimationLimits& limits) {
  auto reader = GifReader::open(file, limits);
  if (!reader) return tl::unexpected(reader.error());
  GifReader& r = **reader;
  AnimationInfo info{r.width(), r.height(), 0, -1, {}, false, "palette"};
  cv::Mat canvas(r.height(), r.width(), CV_8UC4, cv::Scalar::all(0));
  for (;;) {
    auto frame = r.next();
    if (!frame) return tl::unexpected(frame.error());
    if (!*frame) break;
    const GifFrame& f = **frame;
    const cv::Mat saved = saved_for(canvas, f.disposal(), f.rect);
    draw(canvas, f);
    if (visit) {
      if (auto ok = visit(canvas, info.frames); !ok) return tl::unexpected(ok.error());
    }
    count_frame(info, f);
    dispose(canvas, f.disposal(), f.rect, saved);
  }
  info.loop_count = r.loop_count();
  return info;
}

Result<EditedAnimation> edit_gif(ByteView file, const FrameEdit& edit,
                                 const AnimationLimits& limits) {
  auto reader = GifReader::open(file, limits);
  if (!reader) return tl::unexpected(reader.error());
  GifReader& r = **reader;
  auto writer = GifWriter::open(r.gif());
  if (!writer) return tl::unexpected(writer.error());
  AnimationInfo info{r.width(), r.height(), 0, -1, {}, false, "palette"};
  const cv::Rect screen(0, 0, r.width(), r.height());
  // The source as shown, and the output as a reader of it will see it.
  cv::Mat source(r.height(), r.width(), CV_8UC4, cv::Scalar::all(0));
  cv::Mat out(r.height(), r.width(), CV_8UC4, cv::Scalar::all(0));
  for (;;) {
    auto next = r.next();
    if (!next) return tl::unexpected(next.error());
    if (!*next) break;
    const GifFrame& frame = **next;
    const cv::Mat source_saved = saved_for(source, frame.disposal(), frame.rect);
    draw(source, frame);
    cv::Mat target = source.clone();
    auto changed = edit(target, info.frames);
    if (!changed) return tl::unexpected(changed.error());
    const GifFrame written = planned_frame(frame, out, source, target, *changed & screen);
    if (auto ok = put_frame(*writer, written); !ok) return tl::unexpected(ok.error());
    const cv::Mat out_saved = saved_for(out, frame.disposal(), written.rect);
    draw(out, written);
    dispose(out, frame.disposal(), written.rect, out_saved);
    dispose(source, frame.disposal(), frame.rect, source_saved);
    count_frame(info, frame);
  }
  for (const auto& extension : r.trailing()) {
    if (auto ok = writer->put(extension); !ok) return tl::unexpected(ok.error());
  }
  info.loop_count = r.loop_count();
  auto bytes = writer->finish();
  if (!bytes) return tl::unexpected(bytes.error());
  return EditedAnimation{std::move(*bytes), std::move(info)};
}

}  // namespace synthgate::media
