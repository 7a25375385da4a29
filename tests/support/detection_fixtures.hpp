#pragma once

// Real files for the detection tests, made with the libraries that write each label: a
// natural photo (shared/testdata), the watermark, the metadata label and the text label.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ed25519.hpp"
#include "core/encoding.hpp"
#include "core/secret_bytes.hpp"
#include "metadata/implicit_label.hpp"
#include "support/natural_photos.hpp"
#include "watermark/image_watermark.hpp"

namespace synthgate::testing {

inline constexpr std::uint64_t kTestPayload = 0x0123456789abcdefULL;
inline constexpr const char* kTestProducer = "001191440300708461136T1XGW3";

inline SecretBytes test_watermark_key(std::uint8_t fill = 7) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

inline Ed25519SigningKey test_metadata_key(std::uint8_t fill = 9) {
  return Ed25519SigningKey::from_seed(SecretBytes(std::vector<std::uint8_t>(32, fill))).value();
}

inline cv::Mat test_photo() {
  return load_natural_photo(SYNTHGATE_TESTDATA_DIR, "pdq/images/reg-test-input/pen-and-coaster.png",
                            {512, 512});
}

inline Bytes encode(const cv::Mat& pixels, const std::string& ext, int jpeg_quality = 95) {
  std::vector<std::uint8_t> out;
  const std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, jpeg_quality};
  if (!cv::imencode(ext, pixels, out, ext == ".jpg" ? params : std::vector<int>{})) {
    throw std::runtime_error("imencode " + ext + " failed");
  }
  return out;
}

inline Bytes watermarked_png(const SecretBytes& key) {
  return encode(watermark::embed_image_watermark(test_photo(), kTestPayload, key).value(), ".png");
}

// The producer's label, ReservedCode1 signed as `synthgate label` signs it.
inline Bytes producer_labelled(const Bytes& file, const Ed25519SigningKey& key,
                               const std::string& produce_id = "01JDETECTTEST0000000000000") {
  metadata::AigcRecord record;
  record.label = "1";
  record.content_producer = kTestProducer;
  record.produce_id = produce_id;
  record.reserved_code1 = metadata::producer_signature(file, record, key).value();
  return metadata::write_label(file, record).value();
}

inline void write_bytes(const std::filesystem::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  write_bytes(path, as_bytes(text));
}

}  // namespace synthgate::testing
