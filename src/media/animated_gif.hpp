#pragma once

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "media/animation.hpp"

namespace synthgate::media {

// GIF87a or GIF89a, by its signature.
bool is_gif(ByteView bytes);

// Decodes every frame of a GIF (giflib's streaming reader), composing each on the logical
// screen as a browser shows it: disposal 2 clears to transparent, 3 restores the previous
// picture. Calls `visit` once per frame, in order; refuses broken files and anything beyond
// `limits` (kInvalidArgument).
Result<AnimationInfo> decode_gif_frames(ByteView file, const FrameVisitor& visit,
                                        const AnimationLimits& limits = {});

// Re-encodes a GIF with `edit` applied to each composed frame, keeping everything else: the
// logical screen, global colour table, every extension (loop count, comments, XMP) and, per
// frame, its delay, disposal, interlacing, colour table and the bytes of every pixel outside
// the edited rectangle. A frame's rectangle grows to cover the edit; edited pixels map to the
// frame's colour table (exact colour, else a free slot of the table, else the nearest colour),
// and pixels that must show what lies below use the transparent index (added when the frame
// had none). Outside the edits, the composed frames of the result equal the source's.
Result<EditedAnimation> edit_gif(ByteView file, const FrameEdit& edit,
                                 const AnimationLimits& limits = {});

}  // namespace synthgate::media
