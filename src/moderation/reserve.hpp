#pragma once

#include <algorithm>
#include <cstddef>

namespace synthgate::moderation {

// Makes room for `extra` more elements without giving up geometric growth: a stream fed
// token by token would otherwise reallocate on every chunk.
template <typename Container>
void reserve_for_append(Container& c, std::size_t extra) {
  if (c.size() + extra > c.capacity()) c.reserve(std::max(c.size() + extra, 2 * c.capacity()));
}

}  // namespace synthgate::moderation
