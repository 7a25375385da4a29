#pragma once

#include <cstdint>
#include <string>

#include "core/encoding.hpp"
#include "core/ids.hpp"

namespace synthgate::pipeline {

// The watermark carries 64 bits of the content id: the last eight bytes of its UUIDv7, which
// hold its random part (the first eight are mostly the creation time). Detection reads them
// back and the records find the content by them.
inline std::uint64_t watermark_payload_of(const ContentId& id) {
  std::uint64_t value = 0;
  for (std::size_t i = 8; i < 16; ++i) value = (value << 8) | id.uuid.bytes[i];
  return value;
}

// 16 lowercase hex digits, most significant first.
inline std::string payload_hex(std::uint64_t payload) {
  Bytes bytes;
  for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<std::uint8_t>(payload >> (8 * i)));
  return hex_encode(bytes);
}

}  // namespace synthgate::pipeline
