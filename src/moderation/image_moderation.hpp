#pragma once

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/pdq_hash.hpp"

namespace synthgate::moderation {

// What an image check found: its PDQ hash and the blocklist entries near it.
struct ImageCheck {
  PdqResult pdq;
  std::vector<BlocklistMatch> matches;
  // block: a match at distance <= 31 on a hash of quality >= 50; review: a match on a hash
  // too flat to trust (quality <= 49); pass otherwise.
  std::string_view decision;
};

// Decodes the image (type read from its bytes) and looks it up in the blocklist.
Result<ImageCheck> check_image(ByteView bytes, const HashBlocklist& blocklist);
Result<PdqResult> pdq_of_image(ByteView bytes);

}  // namespace synthgate::moderation
