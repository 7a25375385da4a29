#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A frame of an ID3v2.3 or v2.4 tag.
struct Id3Frame {
  std::string id;               // "TXXX", "TIT2", ...
  std::size_t offset = 0;       // of the frame header, from the start of the file
  std::size_t data_offset = 0;  // after the 10-byte frame header
  std::size_t data_size = 0;
  std::uint16_t flags = 0;
};

// The ID3v2 tag at the start of an MP3 file.
struct Id3Tag {
  int major = 4;  // 3 or 4
  std::uint8_t flags = 0;
  std::size_t size = 0;  // header + body (+ footer): where the audio starts
  std::vector<Id3Frame> frames;
};

// The tag at the start of `file`, or nullopt when the file does not start with "ID3".
// Refuses a tag that runs past the end, ID3v2.2, and whole-tag unsynchronisation.
Result<std::optional<Id3Tag>> parse_id3v2(ByteView file);

// A TXXX frame's description and value (text encodings 0-3; UTF-16 decoded to UTF-8).
struct UserText {
  std::string description;
  std::string value;
};
Result<UserText> parse_user_text(ByteView frame_data);

// An ID3v2.4 frame (syncsafe size) with `data`.
Bytes make_id3v24_frame(std::string_view id, std::uint16_t flags, ByteView data);
// An ID3v2.4 tag header for `body_size` bytes of frames.
Bytes make_id3v24_header(std::size_t body_size);

// Walks MPEG audio frames (layers I-III, MPEG 1/2/2.5) from the start of `audio` to its end
// (a 128-byte ID3v1 tag may follow). Returns the number of frames; refuses bytes that are not
// a frame and a last frame cut off (truncated).
Result<std::size_t> walk_mpeg_audio(ByteView audio);

// Whether `head` starts with an MPEG audio frame header.
bool is_mpeg_audio_frame(ByteView head);

}  // namespace synthgate::media
