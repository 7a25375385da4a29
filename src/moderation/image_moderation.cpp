#include "moderation/image_moderation.hpp"

#include "media/decoded_image.hpp"

namespace synthgate::moderation {

Result<PdqResult> pdq_of_image(ByteView bytes) {
  auto image = media::decode_rgb_image(bytes);
  if (!image) return tl::unexpected(image.error());
  return pdq_from_rgb(image->rgb.data(), image->width, image->height);
}

Result<ImageCheck> check_image(ByteView bytes, const HashBlocklist& blocklist) {
  auto pdq = pdq_of_image(bytes);
  if (!pdq) return tl::unexpected(pdq.error());
  ImageCheck check{*pdq, blocklist.search(pdq->hash), "pass"};
  if (!check.matches.empty()) check.decision = pdq->quality >= 50 ? "block" : "review";
  return check;
}

}  // namespace synthgate::moderation
