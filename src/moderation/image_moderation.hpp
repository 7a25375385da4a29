#pragma once

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/pdq_hash.hpp"

namespace synthgate::moderation {

// A blocklist entry near the image, or near one of its rotations or mirror images.
struct ImageMatch {
  std::uint32_t index = 0;  // into the blocklist's entries
  int distance = 0;
  // What turns this image into the listed one (a copy turned 90° anticlockwise: rotate_270).
  Dihedral transform = Dihedral::kOriginal;
};

// What an image check found: its PDQ hash and the blocklist entries near it (closest first).
struct ImageCheck {
  PdqResult pdq;
  std::vector<ImageMatch> matches;
  // block: a match at distance <= 31 on a hash of quality >= 50; review: a match on a hash
  // too flat to trust (quality <= 49); pass otherwise.
  std::string_view decision;
};

// Decodes the image (type read from its bytes) and looks up its eight dihedral hashes in the
// blocklist, so a rotated or mirrored copy is found too.
Result<ImageCheck> check_image(ByteView bytes, const HashBlocklist& blocklist);
Result<PdqResult> pdq_of_image(ByteView bytes);

}  // namespace synthgate::moderation
