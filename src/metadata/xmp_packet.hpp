#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::metadata {

inline constexpr std::string_view kTc260Namespace = "http://www.tc260.org.cn/ns/AIGC/1.0/";
inline constexpr std::string_view kIptcExtNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
inline constexpr std::string_view kTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
inline constexpr std::string_view kCompositeWithTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

// Every TC260:AIGC value in an XMP packet, in attribute form (TC260:AIGC="...") or element
// form (<TC260:AIGC>...</TC260:AIGC>), whatever prefix the packet binds to the TC260
// namespace. Refuses a packet that is not well-formed XML.
Result<std::vector<std::string>> read_xmp_aigc(std::string_view packet);

// A packet carrying exactly one TC260:AIGC property (`aigc_json`) and
// Iptc4xmpExt:DigitalSourceType = `digital_source_type`. An `existing` packet keeps every
// other property; an empty one starts a new packet.
Result<std::string> write_xmp_aigc(std::string_view existing, std::string_view aigc_json,
                                   std::string_view digital_source_type);

}  // namespace synthgate::metadata
