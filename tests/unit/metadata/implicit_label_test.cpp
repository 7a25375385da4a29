#include "metadata/implicit_label.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/file_io.hpp"
#include "metadata/format_handler.hpp"

namespace synthgate::metadata {
namespace {

namespace fs = std::filesystem;

// Natural images from the shared conformance data (shared/testdata beside the checkout).
Bytes shared_image(const std::string& relative) {
  const char* root = std::getenv("SYNTHGATE_SHARED_TESTDATA");
  if (root == nullptr) {
    ADD_FAILURE() << "SYNTHGATE_SHARED_TESTDATA is not set (run under CTest)";
    return {};
  }
  auto bytes = read_file(fs::path(root) / "pdq/images" / relative);
  if (!bytes) ADD_FAILURE() << bytes.error().message << " (is shared/ beside the checkout?)";
  return bytes.value_or(Bytes{});
}

AigcRecord producer() {
  AigcRecord r;
  r.label = "1";
  r.content_producer = "001191440300708461136T1XGW3";
  r.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  return r;
}

AigcRecord platform() {
  AigcRecord r;
  r.label = "1";
  r.content_propagator = "001191440300708461136T2PLAT";
  r.propagate_id = "share-42";
  return r;
}

struct Sample {
  const char* format;
  const char* path;
};

class ImplicitLabelTest : public ::testing::TestWithParam<Sample> {
 protected:
  Bytes image() { return shared_image(GetParam().path); }
};

TEST_P(ImplicitLabelTest, WritesOneLabelThatReadsBack) {
  const Bytes in = image();
  ASSERT_FALSE(in.empty());
  auto before = read_label(in);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->format, GetParam().format);
  EXPECT_EQ(before->count, 0u);

  auto out = write_label(in, producer());
  ASSERT_TRUE(out) << out.error().message;
  auto after = read_label(*out);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->count, 1u);
  EXPECT_EQ(*after->record, producer());

  // Everything but the label is kept byte for byte.
  const FormatHandler* handler = *handler_for(in);
  EXPECT_EQ(*handler->content_digest(in), *handler->content_digest(*out));
}

TEST_P(ImplicitLabelTest, ProducerThenPlatformLeavesOneLabelWithBothParts) {
  auto produced = write_label(image(), producer());
  ASSERT_TRUE(produced);
  auto propagated = write_propagation(*produced, platform());
  ASSERT_TRUE(propagated) << propagated.error().message;
  auto reading = read_label(*propagated);
  ASSERT_TRUE(reading);
  EXPECT_EQ(reading->count, 1u);
  EXPECT_EQ(reading->record->content_producer, producer().content_producer);
  EXPECT_EQ(reading->record->produce_id, producer().produce_id);
  EXPECT_EQ(reading->record->content_propagator, platform().content_propagator);
  EXPECT_EQ(reading->record->propagate_id, platform().propagate_id);
  // Writing the same label again does not add a second one.
  auto again = write_label(*propagated, *reading->record);
  EXPECT_EQ(read_label(*again)->count, 1u);
}

TEST_P(ImplicitLabelTest, SignatureIsIntactAfterAPlatformWriteAndAlteredAfterAnEdit) {
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  const Bytes in = image();
  AigcRecord record = producer();
  auto signature = producer_signature(in, record, key);
  ASSERT_TRUE(signature);
  record.reserved_code1 = *signature;
  auto signed_file = write_label(in, record);
  ASSERT_TRUE(signed_file);
  EXPECT_EQ(*verify_label(*signed_file, key.public_key()), Integrity::kIntact);

  auto propagated = write_propagation(*signed_file, platform());
  EXPECT_EQ(*verify_label(*propagated, key.public_key()), Integrity::kIntact);

  const auto other = Ed25519SigningKey::generate(random);
  EXPECT_EQ(*verify_label(*signed_file, other.public_key()), Integrity::kAltered);

  AigcRecord forged = *read_label(*signed_file)->record;
  forged.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y2";
  EXPECT_EQ(*verify_label(*write_label(*signed_file, forged), key.public_key()),
            Integrity::kAltered);

  Bytes edited = *signed_file;
  edited[edited.size() - 100] ^= 0x01;  // inside the image data, before the end marker
  auto edited_result = verify_label(edited, key.public_key());
  if (edited_result) {
    EXPECT_EQ(*edited_result, Integrity::kAltered);
  }  // else: PNG refuses the file outright (bad CRC), which is also a detection

  EXPECT_EQ(*verify_label(*write_label(in, producer()), key.public_key()), Integrity::kUnsigned);
}

TEST_P(ImplicitLabelTest, TruncatedAndCorruptedFilesAreRefused) {
  const Bytes in = image();
  for (std::size_t keep : {in.size() / 2, in.size() - 40, std::size_t{12}}) {
    const Bytes truncated(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(keep));
    auto read = read_label(truncated);
    ASSERT_FALSE(read) << "kept " << keep;
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(read.error().message.find("damaged"), std::string::npos) << read.error().message;
    EXPECT_FALSE(write_label(truncated, producer()));
  }
  Bytes corrupted = in;
  corrupted[20] ^= 0xff;  // inside the first segment's or chunk's header
  EXPECT_FALSE(write_label(corrupted, producer()));
}

INSTANTIATE_TEST_SUITE_P(Formats, ImplicitLabelTest,
                         ::testing::Values(Sample{"jpeg", "bridge-mods/aaa-orig.jpg"},
                                           Sample{"jpeg", "misc-images/small.jpg"},
                                           Sample{"png", "reg-test-input/pen-and-coaster.png"},
                                           Sample{"png", "pytx-resources/LA.png"}),
                         [](const ::testing::TestParamInfo<Sample>& sample) {
                           return std::string(sample.param.format) + std::to_string(sample.index);
                         });

TEST(ImplicitLabel, RefusesUnsupportedTypesAndInvalidRecords) {
  const Bytes text = {'h', 'e', 'l', 'l', 'o'};
  auto read = read_label(text);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kUnsupportedMediaType);

  AigcRecord bad = producer();
  bad.label = "9";
  auto written = write_label(shared_image("bridge-mods/aaa-orig.jpg"), bad);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("Label"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::metadata
