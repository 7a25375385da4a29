#include "moderation/pdq_hash.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

namespace synthgate::moderation {
namespace {

// One box filter of `window` samples along a line of `length` samples `stride` apart, with
// the reference's shrinking windows at both ends (pdq/cpp/downscaling/downscaling.cpp).
void box_1d(const float* in, float* out, int length, int stride, int window) {
  const int half = (window + 2) / 2;
  const int phase1 = half - 1;
  const int phase2 = window - half + 1;
  const int phase3 = length - window;
  const int phase4 = half - 1;
  int li = 0, ri = 0, oi = 0, count = 0;
  float sum = 0.0F;
  for (int i = 0; i < phase1; ++i) {
    sum += in[ri];
    ++count;
    ri += stride;
  }
  for (int i = 0; i < phase2; ++i) {
    sum += in[ri];
    ++count;
    out[oi] = sum / static_cast<float>(count);
    ri += stride;
    oi += stride;
  }
  for (int i = 0; i < phase3; ++i) {
    sum += in[ri];
    sum -= in[li];
    out[oi] = sum / static_cast<float>(count);
    li += stride;
    ri += stride;
    oi += stride;
  }
  for (int i = 0; i < phase4; ++i) {
    sum -= in[li];
    --count;
    out[oi] = sum / static_cast<float>(count);
    li += stride;
    oi += stride;
  }
}

int window_size(int old_dimension, int new_dimension) {
  return (old_dimension + 2 * new_dimension - 1) / (2 * new_dimension);
}

struct DctMatrix {
  std::array<std::array<float, 64>, 16> d{};
  DctMatrix() {
    const float scale = static_cast<float>(std::sqrt(2.0 / 64.0));
    for (int i = 0; i < 16; ++i) {
      for (int j = 0; j < 64; ++j) {
        d[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
            scale *
            static_cast<float>(std::cos((std::numbers::pi / 2 / 64.0) * (i + 1) * (2 * j + 1)));
      }
    }
  }
};

}  // namespace

std::string PdqHash::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int w = 15; w >= 0; --w) {
    const auto word = words[static_cast<std::size_t>(w)];
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kDigits[(word >> shift) & 0xF]);
  }
  return out;
}

Result<PdqHash> PdqHash::from_hex(std::string_view hex) {
  if (hex.size() != 64) return fail(ErrorCode::kInvalidArgument, "a PDQ hash is 64 hex digits");
  PdqHash h;
  for (std::size_t i = 0; i < 64; ++i) {
    const char c = hex[i];
    int v = 0;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return fail(ErrorCode::kInvalidArgument, "a PDQ hash is 64 hex digits");
    }
    auto& word = h.words[15 - i / 4];
    word = static_cast<std::uint16_t>(word | (v << (4 * (3 - static_cast<int>(i % 4)))));
  }
  return h;
}

namespace {

using Coefficients = std::array<std::array<float, 16>, 16>;  // [vertical][horizontal] frequency

struct PdqDct {
  Coefficients c{};
  int quality = 0;
};

PdqDct dct_from_luma(const float* luma, int width, int height) {
  const auto n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::vector<float> a(luma, luma + n);
  std::vector<float> b(n);
  const int along_rows = window_size(width, 64);
  const int along_cols = window_size(height, 64);
  for (int pass = 0; pass < 2; ++pass) {
    for (int y = 0; y < height; ++y) {
      const auto offset = static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
      box_1d(a.data() + offset, b.data() + offset, width, 1, along_rows);
    }
    for (int x = 0; x < width; ++x) {
      box_1d(b.data() + x, a.data() + x, height, width, along_cols);
    }
  }
  std::array<std::array<float, 64>, 64> small{};
  for (int i = 0; i < 64; ++i) {
    const int row = static_cast<int>(((i + 0.5) * height) / 64);
    for (int j = 0; j < 64; ++j) {
      const int col = static_cast<int>(((j + 0.5) * width) / 64);
      small[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
          a[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
            static_cast<std::size_t>(col)];
    }
  }
  // Quality: quantised gradients summed over the 64x64 image, /90, at most 100.
  int gradient = 0;
  for (std::size_t i = 0; i < 64; ++i) {
    for (std::size_t j = 0; j < 64; ++j) {
      if (i < 63) {
        gradient += std::abs(static_cast<int>(((small[i][j] - small[i + 1][j]) * 100) / 255));
      }
      if (j < 63) {
        gradient += std::abs(static_cast<int>(((small[i][j] - small[i][j + 1]) * 100) / 255));
      }
    }
  }
  PdqDct out;
  out.quality = std::min(gradient / 90, 100);

  static const DctMatrix dct;
  std::array<std::array<float, 64>, 16> t{};
  for (std::size_t i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < 64; ++j) {
      float sum = 0.0F;
      for (std::size_t k = 0; k < 64; ++k) sum += dct.d[i][k] * small[k][j];
      t[i][j] = sum;
    }
  }
  for (std::size_t i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < 16; ++j) {
      float sum = 0.0F;
      for (std::size_t k = 0; k < 64; ++k) sum += t[i][k] * dct.d[j][k];
      out.c[i][j] = sum;
    }
  }
  return out;
}

PdqHash hash_from_coefficients(const Coefficients& c) {
  std::array<float, 256> flat{};
  for (std::size_t i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < 16; ++j) flat[i * 16 + j] = c[i][j];
  }
  // The reference's Torben median of 256 values is the 128th smallest.
  auto sorted = flat;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  const float median = sorted[127];
  PdqHash hash;
  for (std::size_t k = 0; k < 256; ++k) {
    if (flat[k] > median) {
      hash.words[k / 16] = static_cast<std::uint16_t>(hash.words[k / 16] | (1U << (k % 16)));
    }
  }
  return hash;
}

// Coefficient (i, j) is frequency (i + 1, j + 1) of the full DCT: mirroring an axis negates
// its odd frequencies, i.e. even i (or j); a quarter turn is a transpose and one mirror.
Coefficients transformed(const Coefficients& a, Dihedral d) {
  Coefficients b{};
  for (std::size_t i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < 16; ++j) {
      const float v = a[i][j];
      const bool i_even = i % 2 == 0;
      const bool j_even = j % 2 == 0;
      switch (d) {
        case Dihedral::kOriginal:
          b[i][j] = v;
          break;
        case Dihedral::kRotate90:
          b[j][i] = j_even ? -v : v;
          break;
        case Dihedral::kRotate180:
          b[i][j] = i_even != j_even ? -v : v;
          break;
        case Dihedral::kRotate270:
          b[j][i] = i_even ? -v : v;
          break;
        case Dihedral::kFlipX:
          b[i][j] = i_even ? -v : v;
          break;
        case Dihedral::kFlipY:
          b[i][j] = j_even ? -v : v;
          break;
        case Dihedral::kFlipPlus1:
          b[j][i] = v;
          break;
        case Dihedral::kFlipMinus1:
          b[j][i] = i_even != j_even ? -v : v;
          break;
      }
    }
  }
  return b;
}

std::vector<float> luma_of(const std::uint8_t* rgb, int width, int height) {
  const auto n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::vector<float> luma(n);
  for (std::size_t i = 0; i < n; ++i) {
    luma[i] = 0.299F * static_cast<float>(rgb[3 * i]) +
              0.587F * static_cast<float>(rgb[3 * i + 1]) +
              0.114F * static_cast<float>(rgb[3 * i + 2]);
  }
  return luma;
}

}  // namespace

std::string_view dihedral_name(Dihedral d) {
  switch (d) {
    case Dihedral::kOriginal:
      return "original";
    case Dihedral::kRotate90:
      return "rotate_90";
    case Dihedral::kRotate180:
      return "rotate_180";
    case Dihedral::kRotate270:
      return "rotate_270";
    case Dihedral::kFlipX:
      return "flip_x";
    case Dihedral::kFlipY:
      return "flip_y";
    case Dihedral::kFlipPlus1:
      return "flip_plus_1";
    case Dihedral::kFlipMinus1:
      return "flip_minus_1";
  }
  return "original";
}

PdqResult pdq_from_luma(const float* luma, int width, int height) {
  const auto dct = dct_from_luma(luma, width, height);
  return {hash_from_coefficients(dct.c), dct.quality};
}

PdqDihedralResult pdq_dihedral_from_rgb(const std::uint8_t* rgb, int width, int height) {
  const auto luma = luma_of(rgb, width, height);
  const auto dct = dct_from_luma(luma.data(), width, height);
  PdqDihedralResult out;
  out.quality = dct.quality;
  for (std::size_t d = 0; d < out.hashes.size(); ++d) {
    out.hashes[d] = hash_from_coefficients(transformed(dct.c, static_cast<Dihedral>(d)));
  }
  return out;
}

PdqResult pdq_from_rgb(const std::uint8_t* rgb, int width, int height) {
  const auto luma = luma_of(rgb, width, height);
  return pdq_from_luma(luma.data(), width, height);
}

}  // namespace synthgate::moderation
