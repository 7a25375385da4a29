#include "metadata/xmp_packet.hpp"

#include <gtest/gtest.h>

namespace synthgate::metadata {
namespace {

constexpr std::string_view kJson = R"({"Label":"1","ContentProducer":"p","ProduceID":"i"})";

TEST(XmpPacket, ReadsAttributeAndElementFormsUnderAnyPrefix) {
  const std::string attribute =
      R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">)"
      R"(<rdf:Description rdf:about="" xmlns:aigc="http://www.tc260.org.cn/ns/AIGC/1.0/" )"
      R"(aigc:AIGC="{&quot;Label&quot;:&quot;1&quot;}"/></rdf:RDF></x:xmpmeta>)";
  auto a = read_xmp_aigc(attribute);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0], R"({"Label":"1"})");

  const std::string element =
      R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description )"
      R"(xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"><TC260:AIGC>{"Label":"2"}</TC260:AIGC>)"
      R"(</rdf:Description></rdf:RDF>)";
  auto e = read_xmp_aigc(element);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0], R"({"Label":"2"})");
}

TEST(XmpPacket, IgnoresTheSameNameInAnotherNamespace) {
  const std::string other =
      R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description )"
      R"(xmlns:TC260="http://example.com/not-tc260/" TC260:AIGC="x"/></rdf:RDF>)";
  auto values = read_xmp_aigc(other);
  ASSERT_TRUE(values);
  EXPECT_TRUE(values->empty());
}

TEST(XmpPacket, RefusesMalformedXml) {
  auto bad = read_xmp_aigc("<x:xmpmeta><rdf:RDF>");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(XmpPacket, NewPacketCarriesTheLabelAndTheSourceType) {
  auto packet = write_xmp_aigc({}, kJson, kTrainedAlgorithmicMedia);
  ASSERT_TRUE(packet) << packet.error().message;
  EXPECT_TRUE(packet->starts_with("<?xpacket begin="));
  EXPECT_TRUE(packet->ends_with("<?xpacket end=\"w\"?>"));
  auto values = read_xmp_aigc(*packet);
  ASSERT_TRUE(values);
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0], kJson);
  EXPECT_NE(packet->find(std::string(kTrainedAlgorithmicMedia)), std::string::npos);
}

TEST(XmpPacket, UpdateKeepsOtherPropertiesAndLeavesOneLabel) {
  const std::string existing =
      R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">)"
      R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">)"
      R"(<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" )"
      R"(xmlns:t="http://www.tc260.org.cn/ns/AIGC/1.0/" t:AIGC="old-attribute">)"
      R"(<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:title>)"
      R"(<t:AIGC>old-element</t:AIGC></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>)";
  auto packet = write_xmp_aigc(existing, kJson, kTrainedAlgorithmicMedia);
  ASSERT_TRUE(packet) << packet.error().message;
  auto values = read_xmp_aigc(*packet);
  ASSERT_TRUE(values);
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0], kJson);
  EXPECT_NE(packet->find("Sunset"), std::string::npos);
  EXPECT_NE(packet->find("dc:title"), std::string::npos);
  // Writing again changes nothing: still one label, and the packet does not grow (the
  // description emptied of the old label is dropped, not left behind).
  auto again = write_xmp_aigc(*packet, kJson, kTrainedAlgorithmicMedia);
  ASSERT_TRUE(again);
  EXPECT_EQ(read_xmp_aigc(*again)->size(), 1u);
  EXPECT_EQ(*again, *packet);
  EXPECT_NE(again->find("Sunset"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::metadata
