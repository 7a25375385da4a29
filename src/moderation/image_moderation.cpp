#include "moderation/image_moderation.hpp"

#include <algorithm>
#include <map>

#include "media/decoded_image.hpp"

namespace synthgate::moderation {

Result<PdqResult> pdq_of_image(ByteView bytes) {
  auto image = media::decode_rgb_image(bytes);
  if (!image) return tl::unexpected(image.error());
  return pdq_from_rgb(image->rgb.data(), image->width, image->height);
}

Result<ImageCheck> check_image(ByteView bytes, const HashBlocklist& blocklist) {
  auto image = media::decode_rgb_image(bytes);
  if (!image) return tl::unexpected(image.error());
  const auto all = pdq_dihedral_from_rgb(image->rgb.data(), image->width, image->height);
  ImageCheck check{{all.hashes[0], all.quality}, {}, "pass"};
  // One match per entry: the transform that comes closest.
  std::map<std::uint32_t, ImageMatch> best;
  for (std::size_t d = 0; d < all.hashes.size(); ++d) {
    for (const auto& m : blocklist.search(all.hashes[d])) {
      auto [it, inserted] =
          best.try_emplace(m.index, ImageMatch{m.index, m.distance, static_cast<Dihedral>(d)});
      if (!inserted && m.distance < it->second.distance) {
        it->second = ImageMatch{m.index, m.distance, static_cast<Dihedral>(d)};
      }
    }
  }
  for (const auto& [index, m] : best) check.matches.push_back(m);
  std::stable_sort(
      check.matches.begin(), check.matches.end(),
      [](const ImageMatch& a, const ImageMatch& b) { return a.distance < b.distance; });
  if (!check.matches.empty()) check.decision = all.quality >= 50 ? "block" : "review";
  return check;
}

}  // namespace synthgate::moderation
