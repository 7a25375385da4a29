#pragma once

#include "core/encoding.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "pipeline/content_labeller.hpp"

namespace synthgate::pipeline {

// Whether a file goes through label_animation: every GIF (OpenCV reads none), and a WebP with
// more than one frame (OpenCV reads its first frame only).
bool is_animation(ByteView file);

// The visible label on every frame of an animated GIF or WebP: prepared once for the canvas,
// its style chosen on the first frame and kept (no flicker), drawn on each composed frame;
// frame count, timing, loop count and compression kept (media/animated_gif, animated_webp).
// WebP frames also get the watermark (each frame marked after its label, 8-bit BGRA); GIF gets
// none (the note says why). The metadata label is the caller's.
Result<Bytes> label_animation(const LabelPlan& plan, ByteView in, const ContentId& id,
                              const LabelKeys& keys, LabelOutcome& report);

}  // namespace synthgate::pipeline
