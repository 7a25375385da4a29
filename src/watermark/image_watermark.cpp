#include "watermark/image_watermark.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "watermark/lattice_sync.hpp"
#include "watermark/payload_codec.hpp"
#include "watermark/perceptual_mask.hpp"
#include "watermark/tile_pattern.hpp"

namespace synthgate::watermark {

namespace {

// The cell (one chip of the tile) is about 1/180 of the short side, so the tile spans about
// a sixth of it: large enough to survive JPEG and halving, small enough that a crop keeps
// many whole tiles. A reader guesses the same size from the size it is given.
int cell_size(int width, int height) {
  return std::max(2, static_cast<int>(std::lround(std::min(width, height) / 180.0)));
}

// Reading happens on a copy whose short side is about 360 pixels, where a cell is about two
// pixels: the cost of reading no longer grows with the image.
double reading_scale(int width, int height) {
  return std::min(1.0, 360.0 / std::min(width, height));
}

constexpr int kFoldSide = 2 * kTileCells;  // the folded tile, two samples per cell

// The largest boost of the mask whose (unscaled) MSE stays within this multiple of the budget.
constexpr double kBoostOverBudget = 1.4;
// Below this share of changed pixels the image is refused as too flat to carry the mark.
constexpr double kMinCarryingShare = 0.02;

// Ordered dithering: the position of a pixel in a 4 x 4 Bayer matrix, whose thresholds
// (index + 0.5) / 16 spread evenly over every 2 x 2 and 4 x 4 block.
constexpr std::size_t kDitherCells = 16;
std::size_t dither_index(int x, int y) {
  static constexpr std::array<std::uint8_t, 16> kBayer = {0, 8,  2, 10, 12, 4, 14, 6,
                                                          3, 11, 1, 9,  15, 7, 13, 5};
  return kBayer[static_cast<std::size_t>(((y & 3) << 2) | (x & 3))];
}

Status check_pixels(const cv::Mat& pixels) {
  if (pixels.empty() || pixels.depth() != CV_8U ||
      (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)) {
    return fail(ErrorCode::kInvalidArgument, "watermark needs 8-bit grey, BGR or BGRA pixels");
  }
  return {};
}

cv::Mat to_gray(const cv::Mat& pixels) {
  if (pixels.channels() == 1) return pixels;
  cv::Mat gray;
  cv::cvtColor(pixels, gray, pixels.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

std::string size_text(const cv::Mat& m) {
  return std::to_string(m.cols) + "x" + std::to_string(m.rows);
}

cv::Mat reading_copy(const cv::Mat& gray) {
  const double scale = reading_scale(gray.cols, gray.rows);
  if (scale >= 1.0) return gray;
  cv::Mat small;
  cv::resize(gray, small,
             cv::Size(std::max(1, static_cast<int>(std::lround(gray.cols * scale))),
                      std::max(1, static_cast<int>(std::lround(gray.rows * scale)))),
             0, 0, cv::INTER_AREA);
  return small;
}

Result<cv::Mat> embed(const cv::Mat& pixels, std::uint64_t payload, const SecretBytes& key,
                      const EmbedOptions& options) {
  // The mark is scaled down until the whole image meets the PSNR.
  const double max_mse = 255.0 * 255.0 / std::pow(10.0, options.min_psnr_db / 10.0);
  // Texture is judged at the scale of the mark's cells (the reading scale): that is the
  // detail that hides it, and an upscaled photo still has it where its pixels have none.
  const cv::Mat gray = to_gray(pixels);
  // Textured areas take more than the base gain while the PSNR budget allows (smooth photos
  // leave most of it unused); the floor for smooth areas and zero on flat ones stay. A boost
  // may overshoot the budget somewhat: the fit below scales the whole mark back into it,
  // which spends the budget where the boost is bound by the cap on strong edges.
  const cv::Mat small = reading_copy(gray);
  cv::Mat small_strength;
  for (const float boost : {6.0F, 4.5F, 3.0F, 2.0F, 1.5F, 1.0F}) {
    MaskParameters params;
    params.gain *= boost;
    small_strength = perceptual_mask(small, params);
    cv::Mat levels_small;
    small_strength.convertTo(levels_small, CV_8U);
    if (cv::norm(levels_small, cv::NORM_L2SQR) <
        kBoostOverBudget * max_mse * static_cast<double>(levels_small.total())) {
      break;
    }
  }

  // Strength in sixteenths of a level (up to 16 levels), upscaled as 8 bits: one small
  // full-size buffer. Whole levels are taken by ordered dithering (a 4 x 4 Bayer matrix), so
  // a cell's mean change follows the strength smoothly instead of jumping from one whole level
  // to the next; a histogram over strength and dither position then gives the image's MSE
  // exactly for any scaling of the mark.
  constexpr double kSteps = 16.0;
  cv::Mat scaled;
  small_strength.convertTo(scaled, CV_8U, kSteps);
  cv::Mat sixteenths;
  cv::resize(scaled, sixteenths, gray.size(), 0, 0, cv::INTER_LINEAR);
  std::array<std::array<std::uint64_t, kDitherCells>, 256> histogram{};
  for (int y = 0; y < sixteenths.rows; ++y) {
    const std::uint8_t* m = sixteenths.ptr<std::uint8_t>(y);
    for (int x = 0; x < sixteenths.cols; ++x) ++histogram[m[x]][dither_index(x, y)];
  }
  const auto total = static_cast<double>(sixteenths.total());
  std::array<std::array<int, kDitherCells>, 256> levels{};
  const auto levels_at = [&](double share) {
    double squares = 0.0;
    for (std::size_t i = 0; i < levels.size(); ++i) {
      for (std::size_t d = 0; d < kDitherCells; ++d) {
        const double threshold = (static_cast<double>(d) + 0.5) / kDitherCells;
        const int level =
            static_cast<int>(std::floor(static_cast<double>(i) * share / kSteps + threshold));
        levels[i][d] = level;
        squares += static_cast<double>(histogram[i][d]) * level * level;
      }
    }
    return squares / total;
  };
  // The luma change is the same in every colour channel, so this is the image's MSE: the
  // largest share of the strength that keeps the PSNR asked for (40.5 dB for images), by
  // construction.
  if (levels_at(1.0) > max_mse) {
    double low = 0.0;
    double high = 1.0;
    for (int step = 0; step < 24; ++step) {
      const double middle = 0.5 * (low + high);
      (levels_at(middle) <= max_mse ? low : high) = middle;
    }
    levels_at(low);
  }
  double carrying = 0.0;
  for (std::size_t i = 0; i < histogram.size(); ++i) {
    for (std::size_t d = 0; d < kDitherCells; ++d) {
      if (levels[i][d] > 0) carrying += static_cast<double>(histogram[i][d]);
    }
  }
  if (carrying < kMinCarryingShare * total) {
    return fail(ErrorCode::kInvalidArgument,
                "image too flat to carry the watermark: too few textured areas to hide it");
  }

  const auto chips = tile_chips(derive_tile_pattern(key), encode_payload(payload, key));
  const int cell = cell_size(pixels.cols, pixels.rows);
  std::vector<int> column_cell(static_cast<std::size_t>(pixels.cols));
  for (int x = 0; x < pixels.cols; ++x) {
    column_cell[static_cast<std::size_t>(x)] = (x / cell) % kTileCells;
  }
  cv::Mat out = pixels.clone();
  const int channels = pixels.channels();
  const int colour_channels = std::min(channels, 3);  // alpha is left alone
  for (int y = 0; y < out.rows; ++y) {
    const std::int8_t* chip_row = chips.data() + ((y / cell) % kTileCells) * kTileCells;
    const std::uint8_t* m = sixteenths.ptr<std::uint8_t>(y);
    std::uint8_t* p = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < out.cols; ++x) {
      const int level = levels[m[x]][dither_index(x, y)];
      if (level == 0) continue;
      const int delta = level * chip_row[column_cell[static_cast<std::size_t>(x)]];
      std::uint8_t* px = p + x * channels;
      for (int c = 0; c < colour_channels; ++c) {
        px[c] = cv::saturate_cast<std::uint8_t>(px[c] + delta);
      }
    }
  }
  return out;
}

// The residual the mark lives in: the image minus its local mean, divided by the local
// texture. The mark was embedded in proportion to texture, and texture is also where the
// image itself is loudest, so equalising gives every region the weight its signal-to-noise
// ratio deserves instead of letting busy regions drown the quiet ones.
cv::Mat residual_of(const cv::Mat& work) {
  cv::Mat smooth;
  cv::blur(work, smooth, cv::Size(3, 3));
  cv::Mat residual = work - smooth;
  cv::Mat texture;
  cv::blur(cv::abs(residual), texture, cv::Size(9, 9));
  residual /= texture + 1.0;
  cv::min(residual, 2.5, residual);
  cv::max(residual, -2.5, residual);
  return residual;
}

// Sums the residual into one tile, mapping the lattice onto kFoldSide x kFoldSide.
// `row_step` 2 folds every other row: half the cost, for comparing nearby lattices.
cv::Mat fold(const cv::Mat& residual, const Lattice& lattice, int row_step = 1) {
  const double det = lattice.x_axis.x * lattice.y_axis.y - lattice.y_axis.x * lattice.x_axis.y;
  cv::Mat mean = cv::Mat::zeros(kFoldSide, kFoldSide, CV_32F);
  if (std::abs(det) < 1e-6) return mean;
  const double k = kFoldSide / det;
  // Tile coordinates in fixed point (16 fraction bits): the walk along a row is two integer
  // additions a pixel, and its rounding drifts by far less than a fold sample over a row.
  constexpr double kOne = 65536.0;
  const auto fixed = [](double v) { return static_cast<std::int64_t>(std::llround(v * kOne)); };
  const double ux = k * lattice.y_axis.y;
  const double uy = -k * lattice.y_axis.x;
  const double vx = -k * lattice.x_axis.y;
  const double vy = k * lattice.x_axis.x;
  const std::int64_t step_u = fixed(ux);
  const std::int64_t step_v = fixed(vx);
  std::array<float, kFoldSide * kFoldSide> sums{};
  std::array<float, kFoldSide * kFoldSide> counts{};
  for (int y = 0; y < residual.rows; y += row_step) {
    const float* r = residual.ptr<float>(y);
    // Pixel centres, so that the fold grid lines up with the cells a rescale left behind.
    std::int64_t u = fixed(uy * (y + 0.5) + ux * 0.5);
    std::int64_t v = fixed(vy * (y + 0.5) + vx * 0.5);
    for (int x = 0; x < residual.cols; ++x, u += step_u, v += step_v) {
      // Arithmetic shift: floor also for negative coordinates.
      const auto iu = static_cast<std::size_t>((u >> 16) & (kFoldSide - 1));
      const auto iv = static_cast<std::size_t>((v >> 16) & (kFoldSide - 1));
      sums[iv * kFoldSide + iu] += r[x];
      counts[iv * kFoldSide + iu] += 1.0F;
    }
  }
  for (std::size_t i = 0; i < sums.size(); ++i) {
    mean.at<float>(static_cast<int>(i / kFoldSide), static_cast<int>(i % kFoldSide)) =
        sums[i] / std::max(counts[i], 1.0F);
  }
  // The matched filter of a chip seen through the residual filter is that same filter:
  // apply it once more, cyclically, so each cell's sum weighs its neighbours' leakage too.
  cv::Mat wrapped;
  cv::copyMakeBorder(mean, wrapped, 1, 1, 1, 1, cv::BORDER_WRAP);
  cv::Mat smooth;
  cv::blur(wrapped, smooth, cv::Size(3, 3));
  return mean - smooth(cv::Rect(1, 1, kFoldSide, kFoldSide));
}

cv::Mat sync_template(const TilePattern& pattern) {
  cv::Mat t = cv::Mat::zeros(kFoldSide, kFoldSide, CV_32F);
  for (int cy = 0; cy < kTileCells; ++cy) {
    for (int cx = 0; cx < kTileCells; ++cx) {
      const TileCell& cell = pattern.cells[static_cast<std::size_t>(cy * kTileCells + cx)];
      if (cell.coded_bit >= 0) continue;
      for (int b = 0; b < 2; ++b) {
        for (int a = 0; a < 2; ++a) t.at<float>(2 * cy + b, 2 * cx + a) = cell.sign;
      }
    }
  }
  return t;
}

// Where the synchronisation cells sit in a folded tile: the two strongest cyclic offsets of
// their correlation, and how far the strongest stands above the rest (standard deviations).
struct SyncPeaks {
  std::array<cv::Point, 2> offsets{};
  double height = 0.0;
};

SyncPeaks sync_peaks(const cv::Mat& folded, const cv::Mat& template_spectrum) {
  cv::Mat spectrum;
  cv::dft(folded, spectrum);
  cv::Mat product;
  cv::mulSpectrums(spectrum, template_spectrum, product, 0, true);
  cv::Mat correlation;
  cv::idft(product, correlation, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  SyncPeaks peaks;
  std::array<float, 2> value{-1e30F, -1e30F};
  for (int y = 0; y < kFoldSide; ++y) {
    for (int x = 0; x < kFoldSide; ++x) {
      const float c = correlation.at<float>(y, x);
      if (c > value[0]) {
        value[1] = value[0];
        peaks.offsets[1] = peaks.offsets[0];
        value[0] = c;
        peaks.offsets[0] = {x, y};
      } else if (c > value[1]) {
        value[1] = c;
        peaks.offsets[1] = {x, y};
      }
    }
  }
  cv::Scalar mean;
  cv::Scalar deviation;
  cv::meanStdDev(correlation, mean, deviation);
  if (deviation[0] > 0.0) peaks.height = (value[0] - mean[0]) / deviation[0];
  return peaks;
}

DecodedPayload decode_at(const cv::Mat& folded, cv::Point offset, const TilePattern& pattern,
                         const SecretBytes& key) {
  std::vector<float> soft(kCodedBits, 0.0F);
  for (int cy = 0; cy < kTileCells; ++cy) {
    for (int cx = 0; cx < kTileCells; ++cx) {
      const TileCell& cell = pattern.cells[static_cast<std::size_t>(cy * kTileCells + cx)];
      if (cell.coded_bit < 0) continue;
      float sum = 0.0F;
      for (int b = 0; b < 2; ++b) {
        for (int a = 0; a < 2; ++a) {
          sum += folded.at<float>((2 * cy + b + offset.y) & (kFoldSide - 1),
                                  (2 * cx + a + offset.x) & (kFoldSide - 1));
        }
      }
      soft[static_cast<std::size_t>(cell.coded_bit)] += static_cast<float>(cell.sign) * sum;
    }
  }
  return decode_payload(soft, key);
}

// The reading-scale residual of 8-bit pixels.
cv::Mat residual_of_pixels(const cv::Mat& pixels) {
  const cv::Mat small = reading_copy(to_gray(pixels));
  cv::Mat work;
  small.convertTo(work, CV_32F);
  return residual_of(work);
}

// Lattice hypotheses per read: the autocorrelation's candidates (a few per axis) and the
// period an unscaled picture of this size would have. Each is folded and judged by its
// synchronisation peak, which costs no decode; only the best kDecodedLattices are decoded.
constexpr int kAxisCandidates = 3;
constexpr std::size_t kMaxHypotheses = 6;
constexpr std::size_t kDecodedLattices = 2;

struct Hypothesis {
  Lattice lattice;
  cv::Mat folded;
  SyncPeaks sync;
};

// The autocorrelation places a period to about half a percent, which over several tiles
// shifts the outer ones by a sizeable part of a cell. Each axis is lengthened or turned in
// ever smaller steps (0.6% to 0.15%) while that raises the synchronisation peak, judged on
// every other row: more folds, no decode.
constexpr int kRefineRowStep = 2;
void refine_by_sync(const cv::Mat& residual, const cv::Mat& template_spectrum, Hypothesis& best) {
  Hypothesis current{best.lattice, fold(residual, best.lattice, kRefineRowStep), {}};
  current.sync = sync_peaks(current.folded, template_spectrum);
  const Lattice start = best.lattice;
  for (const double step : {0.008, 0.004, 0.002, 0.001}) {
    // Length and direction of each axis: scaling, unequal scaling, rotation and shear.
    for (int parameter = 0; parameter < 4; ++parameter) {
      for (const double sign : {1.0, -1.0}) {
        Hypothesis trial{current.lattice, {}, {}};
        cv::Point2d& axis = parameter < 2 ? trial.lattice.x_axis : trial.lattice.y_axis;
        const cv::Point2d along = axis;
        const cv::Point2d across(-along.y, along.x);
        axis += (parameter % 2 == 0 ? along : across) * (sign * step);
        trial.folded = fold(residual, trial.lattice, kRefineRowStep);
        trial.sync = sync_peaks(trial.folded, template_spectrum);
        if (trial.sync.height > current.sync.height) {
          current = std::move(trial);
          break;
        }
      }
    }
  }
  if (current.lattice.x_axis == start.x_axis && current.lattice.y_axis == start.y_axis) return;
  Hypothesis refined{current.lattice, fold(residual, current.lattice), {}};
  refined.sync = sync_peaks(refined.folded, template_spectrum);
  if (refined.sync.height > best.sync.height) best = std::move(refined);
}

// The best kDecodedLattices hypotheses for a residual taken from pictures of `size`, most
// convincing first.
std::vector<Hypothesis> ranked_hypotheses(const cv::Mat& residual, cv::Size size,
                                          const cv::Mat& template_spectrum) {
  const double scale = static_cast<double>(residual.cols) / size.width;
  std::vector<Lattice> lattices = candidate_lattices(residual, 24.0, 160.0, kAxisCandidates);
  if (lattices.size() > kMaxHypotheses - 1) lattices.resize(kMaxHypotheses - 1);
  const double nominal = kTileCells * cell_size(size.width, size.height) * scale;
  lattices.push_back({{nominal, 0.0}, {0.0, nominal}});
  std::vector<Hypothesis> hypotheses;
  for (const Lattice& lattice : lattices) {
    cv::Mat folded = fold(residual, lattice);
    const SyncPeaks sync = sync_peaks(folded, template_spectrum);
    hypotheses.push_back({lattice, std::move(folded), sync});
  }
  const auto by_height = [](const Hypothesis& a, const Hypothesis& b) {
    return a.sync.height > b.sync.height;
  };
  std::stable_sort(hypotheses.begin(), hypotheses.end(), by_height);
  if (hypotheses.size() > kDecodedLattices) hypotheses.resize(kDecodedLattices);
  return hypotheses;
}

// A picture with a short side under 360 pixels is read at full size (larger ones are shrunk to
// 360). When it was marked larger and shrunk since, its few tiles may hide the period from the
// autocorrelation. For such pictures, when the candidates decode nothing, square lattices of
// 14% to 32% of the short side (every period a picture marked at 256 pixels or more, then
// shrunk and cropped, can have) are folded in 0.5% steps (every fourth row) and judged by
// their synchronisation peak: folds, not decodes. The best kScannedLattices, at least 2% apart,
// are refined and decoded. Below kScanFromSide (75% of the smallest marked side, 256) cells
// would be under 1.5 pixels: too small to read, so no scan.
constexpr int kScanFromSide = 192;
constexpr int kScanBelowSide = 360;
constexpr std::size_t kScannedLattices = 2;
constexpr double kScanFrom = 0.14;
constexpr double kScanTo = 0.32;
constexpr int kScanRowStep = 4;

std::vector<Hypothesis> scanned_hypotheses(const cv::Mat& residual,
                                           const cv::Mat& template_spectrum) {
  std::vector<Hypothesis> scanned;
  const int side = std::min(residual.cols, residual.rows);
  for (double period = kScanFrom * side; period <= kScanTo * side; period *= 1.005) {
    if (period < 24.0) continue;
    const Lattice square{{period, 0.0}, {0.0, period}};
    const cv::Mat folded = fold(residual, square, kScanRowStep);
    scanned.push_back({square, {}, sync_peaks(folded, template_spectrum)});
  }
  std::stable_sort(scanned.begin(), scanned.end(), [](const Hypothesis& a, const Hypothesis& b) {
    return a.sync.height > b.sync.height;
  });
  std::vector<Hypothesis> best;
  for (Hypothesis& h : scanned) {
    if (best.size() == kScannedLattices) break;
    const bool near_kept = std::any_of(best.begin(), best.end(), [&](const Hypothesis& b) {
      return std::abs(b.lattice.x_axis.x / h.lattice.x_axis.x - 1.0) < 0.02;
    });
    if (near_kept) continue;
    h.folded = fold(residual, h.lattice);
    h.sync = sync_peaks(h.folded, template_spectrum);
    best.push_back(std::move(h));
  }
  return best;
}

cv::Mat spectrum_of_sync(const TilePattern& pattern) {
  cv::Mat template_spectrum;
  cv::dft(sync_template(pattern), template_spectrum);
  return template_spectrum;
}

// Refines a hypothesis (only now: a marked image rarely needs the second) and decodes its
// folded tile at the two best synchronisation offsets.
std::optional<WatermarkReading> decode_folded(const cv::Mat& residual, Hypothesis& hypothesis,
                                              const cv::Mat& template_spectrum,
                                              const TilePattern& pattern, const SecretBytes& key) {
  refine_by_sync(residual, template_spectrum, hypothesis);
  for (const cv::Point offset : hypothesis.sync.offsets) {
    const DecodedPayload decoded = decode_at(hypothesis.folded, offset, pattern, key);
    if (decoded.valid) {
      return WatermarkReading{true, decoded.payload, decoded.confidence, decoded.bit_errors};
    }
  }
  return std::nullopt;
}

// Synchronises and decodes a residual (of one image or summed over several) taken from
// pictures of `size`: at most 4 decodes, 8 for pictures kScanFromSide to kScanBelowSide.
WatermarkReading read_residual(const cv::Mat& residual, cv::Size size, const SecretBytes& key) {
  const TilePattern pattern = derive_tile_pattern(key);
  const cv::Mat template_spectrum = spectrum_of_sync(pattern);
  for (Hypothesis& hypothesis : ranked_hypotheses(residual, size, template_spectrum)) {
    if (auto reading = decode_folded(residual, hypothesis, template_spectrum, pattern, key)) {
      return *reading;
    }
  }
  const int short_side = std::min(size.width, size.height);
  if (short_side >= kScanFromSide && short_side < kScanBelowSide) {
    for (Hypothesis& hypothesis : scanned_hypotheses(residual, template_spectrum)) {
      if (auto reading = decode_folded(residual, hypothesis, template_spectrum, pattern, key)) {
        return *reading;
      }
    }
  }
  return {};
}

WatermarkReading read(const cv::Mat& pixels, const SecretBytes& key) {
  return read_residual(residual_of_pixels(pixels), pixels.size(), key);
}

}  // namespace

Result<cv::Mat> embed_image_watermark(const cv::Mat& pixels, std::uint64_t payload,
                                      const SecretBytes& key, const EmbedOptions& options) {
  if (auto ok = check_pixels(pixels); !ok) return tl::unexpected(ok.error());
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "watermark key is empty");
  if (!(options.min_psnr_db >= 30.0 && options.min_psnr_db <= 60.0)) {
    return fail(ErrorCode::kInvalidArgument, "watermark PSNR target must be 30 to 60 dB");
  }
  if (std::min(pixels.cols, pixels.rows) < kMinEmbedSide) {
    return fail(ErrorCode::kInvalidArgument,
                "image too small to carry the watermark: " + size_text(pixels) +
                    ", each side needs at least " + std::to_string(kMinEmbedSide) + " pixels");
  }
  try {
    return embed(pixels, payload, key, options);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("watermark embedding failed: ") + e.what());
  }
}

Result<WatermarkReading> read_image_watermark(const cv::Mat& pixels, const SecretBytes& key) {
  if (auto ok = check_pixels(pixels); !ok) return tl::unexpected(ok.error());
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "watermark key is empty");
  // Too small to hold two tiles even at the smallest period: nothing to find.
  if (std::min(pixels.cols, pixels.rows) < 64) return WatermarkReading{};
  try {
    return read(pixels, key);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("watermark reading failed: ") + e.what());
  }
}

Status WatermarkEvidence::add(const cv::Mat& pixels) {
  if (auto ok = check_pixels(pixels); !ok) return ok;
  if (!residuals_.empty() && pixels.size() != size_) {
    return fail(ErrorCode::kInvalidArgument,
                "picture of " + size_text(pixels) + " among pictures of " +
                    std::to_string(size_.width) + "x" + std::to_string(size_.height));
  }
  // As read_image_watermark: too small to hold two tiles, nothing to gather.
  if (std::min(pixels.cols, pixels.rows) < 64) return {};
  try {
    const cv::Mat residual = residual_of_pixels(pixels);
    if (residuals_.empty()) {
      residual_sum_ = residual.clone();
      size_ = pixels.size();
    } else {
      residual_sum_ += residual;
    }
    cv::Mat kept;
    residual.convertTo(kept, CV_16F);
    residuals_.push_back(std::move(kept));
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("watermark reading failed: ") + e.what());
  }
  return {};
}

namespace {

// A picture counts in the registered sum when its synchronisation peak stands this many
// standard deviations above its correlation's mean: the largest of 4096 values of noise
// rarely passes 4.5.
constexpr double kRegisteredPeak = 5.0;

// Each picture folded at `lattice`, shifted so that its own synchronisation peak sits at the
// origin, weighted by the peak's height in standard deviations; empty when no peak stands out.
cv::Mat registered_sum(const std::vector<cv::Mat>& residuals, const Lattice& lattice,
                       const cv::Mat& template_spectrum) {
  cv::Mat sum;
  cv::Mat residual;
  for (const cv::Mat& kept : residuals) {
    kept.convertTo(residual, CV_32F);
    const cv::Mat folded = fold(residual, lattice);
    cv::Mat spectrum;
    cv::dft(folded, spectrum);
    cv::Mat product;
    cv::mulSpectrums(spectrum, template_spectrum, product, 0, true);
    cv::Mat correlation;
    cv::idft(product, correlation, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(correlation, mean, deviation);
    double peak = 0.0;
    cv::Point at;
    cv::minMaxLoc(correlation, nullptr, &peak, nullptr, &at);
    if (deviation[0] <= 0.0) continue;
    const double height = (peak - mean[0]) / deviation[0];
    if (height < kRegisteredPeak) continue;
    // Shift cyclically by the peak: the sync cells then start at the fold's origin.
    cv::Mat shifted(folded.size(), CV_32F);
    for (int y = 0; y < kFoldSide; ++y) {
      for (int x = 0; x < kFoldSide; ++x) {
        shifted.at<float>(y, x) =
            folded.at<float>((y + at.y) & (kFoldSide - 1), (x + at.x) & (kFoldSide - 1));
      }
    }
    if (sum.empty()) sum = cv::Mat::zeros(folded.size(), CV_32F);
    sum += shifted * height;
  }
  return sum;
}

}  // namespace

Result<WatermarkReading> WatermarkEvidence::read(const SecretBytes& key) const {
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "watermark key is empty");
  if (residuals_.empty()) return WatermarkReading{};
  try {
    const TilePattern pattern = derive_tile_pattern(key);
    const cv::Mat template_spectrum = spectrum_of_sync(pattern);
    std::vector<Hypothesis> hypotheses = ranked_hypotheses(residual_sum_, size_, template_spectrum);
    // The plain sum first, at most 4 decodes, as one image.
    for (Hypothesis& hypothesis : hypotheses) {
      if (auto reading =
              decode_folded(residual_sum_, hypothesis, template_spectrum, pattern, key)) {
        return *reading;
      }
    }
    if (residuals_.size() < 2) return WatermarkReading{};
    // Then the registered sum: one decode per lattice, at the origin it was shifted to.
    for (const Hypothesis& hypothesis : hypotheses) {
      const cv::Mat sum = registered_sum(residuals_, hypothesis.lattice, template_spectrum);
      if (sum.empty()) continue;
      const DecodedPayload decoded = decode_at(sum, {0, 0}, pattern, key);
      if (decoded.valid) {
        return WatermarkReading{true, decoded.payload, decoded.confidence, decoded.bit_errors};
      }
    }
    return WatermarkReading{};
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("watermark reading failed: ") + e.what());
  }
}

}  // namespace synthgate::watermark
