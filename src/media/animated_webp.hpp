#pragma once

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "media/animation.hpp"

namespace synthgate::media {

// VP8 keeps no record of the quality it was encoded at: re-encoded lossy frames get this
// quality, high enough that the generation loss stays below what the eye sees in an animation.
inline constexpr float kWebpLossyQuality = 90.0F;

// How many frames a WebP file holds (1 for a still image); an error when it is not WebP.
Result<int> webp_frame_count(ByteView file);

// Whether a still WebP is stored lossless (VP8L); false for lossy (VP8).
Result<bool> webp_is_lossless(ByteView file);

// Decodes every frame of a WebP (libwebp's WebPAnimDecoder: the whole canvas, blending and
// disposal applied) and calls `visit` once per frame, in order. Refuses broken files and
// anything beyond `limits` (kInvalidArgument).
Result<AnimationInfo> decode_webp_frames(ByteView file, const FrameVisitor& visit,
                                         const AnimationLimits& limits = {});

// Re-encodes a WebP with `edit` applied to each full-canvas frame (WebPAnimEncoder), keeping
// the canvas size, loop count, background colour, each frame's timing and its compression:
// lossless frames stay lossless (exact, transparent pixels included), lossy frames are encoded
// lossy at kWebpLossyQuality. ICC, EXIF and XMP chunks are copied. Consecutive frames that come
// out identical are merged into one longer frame by libwebp (the timing is kept).
Result<EditedAnimation> edit_webp(ByteView file, const FrameEdit& edit,
                                  const AnimationLimits& limits = {});

}  // namespace synthgate::media
