#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"

namespace synthgate::watermark {

struct WatermarkReading {
  bool found = false;  // true only when the keyed check matched
  std::uint64_t payload = 0;
  double confidence = 0.0;  // 0..1; 0 when not found
  int bit_errors = 0;       // coded-bit errors corrected; 0 when not found
};

// The smallest side an image needs to carry the mark (several whole tiles each way).
inline constexpr int kMinEmbedSide = 256;

struct EmbedOptions {
  // The mark is scaled down until the image's PSNR against the original is at least this.
  // Video frames ask for more: the encoder adds its own loss (VideoFrameMarker).
  double min_psnr_db = 40.5;
};

// Adds the keyed mark carrying `payload` to 8-bit grey, BGR or BGRA pixels (alpha kept).
// Refuses with kInvalidArgument an image that is too small or too flat to carry it.
Result<cv::Mat> embed_image_watermark(const cv::Mat& pixels, std::uint64_t payload,
                                      const SecretBytes& key, const EmbedOptions& options = {});

// Reads the mark blindly (no original needed) after scaling, cropping, small rotations and
// lossy coding. A wrong key, an unmarked image or a destroyed mark read as not found.
Result<WatermarkReading> read_image_watermark(const cv::Mat& pixels, const SecretBytes& key);

// Soft evidence of the mark gathered over several pictures of one size, such as the frames of
// a video, decoded once. Two sums are tried, each synchronised and decoded as one image is:
// - the pictures' residuals (where the mark lives) added as they are: the mark, at the same
//   place in every picture, grows with their number while moving content averages out;
// - each picture folded onto the tile at the common lattice and shifted to its own
//   synchronisation peak, the pictures whose peak stands out weighted by how far: a video
//   coder's motion compensation drags the mark along with the content in predicted frames,
//   and this puts the dragged copies back in register.
// At most six decodes per read, each trying kDecodeList (16) candidates against the 32-bit
// check: at most 96 x 2^-32 false reads.
class WatermarkEvidence {
 public:
  // Adds 8-bit grey, BGR or BGRA pixels; a picture of another size than the first is
  // refused with kInvalidArgument. Keeps a half-precision residual of each picture at the
  // reading scale (about 0.5 MB for a 640 x 360 one): the caller bounds how many.
  Status add(const cv::Mat& pixels);
  int pictures() const { return static_cast<int>(residuals_.size()); }
  // Not found when no picture was added.
  Result<WatermarkReading> read(const SecretBytes& key) const;

 private:
  cv::Mat residual_sum_;  // at the reading scale
  std::vector<cv::Mat> residuals_;
  cv::Size size_;  // of the pictures
};

}  // namespace synthgate::watermark
