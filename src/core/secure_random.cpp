#include "core/secure_random.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace synthgate {

void SecureRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk =
        std::min<std::size_t>(out.size() - done, std::numeric_limits<int>::max());
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      std::fputs("synthgate: fatal: the system random generator failed\n", stderr);
      std::abort();
    }
    done += chunk;
  }
}

}  // namespace synthgate
