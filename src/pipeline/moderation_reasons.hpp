#pragma once

#include <string>

#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/text_moderator.hpp"
#include "moderation/video_moderation.hpp"
#include "pipeline/pipeline_records.hpp"
#include "pipeline/text_classifier.hpp"

namespace synthgate::pipeline {

// What admission and output moderation say about a match, in one form: the code and action
// are the caller's; the message names `what` ("the prompt", "the output") and the detail
// carries the term, category, span and the normalisations that found it.
Reason text_match_reason(const moderation::TextMatch& match, std::string code, std::string action,
                         const std::string& what);

// A blocklist hit of an image check that did not pass: its decision as the action, the nearest
// entry's distance and label, and the image's PDQ hash.
Reason blocklist_reason(const moderation::ImageCheck& check,
                        const moderation::HashBlocklist& blocklist, std::string code,
                        const std::string& what);

// A video whose sampled frame is near a blocklist entry: the first such frame's time (seconds
// from the start), its distance, the entry's label and the frame's PDQ hash.
Reason video_blocklist_reason(const moderation::VideoCheck& check,
                              const moderation::HashBlocklist& blocklist, std::string code,
                              const std::string& what);

// The classifier's say on `what` at `stage` ("prompt" or "output"): a reason per match (codes
// <stage>_blocked / <stage>_review, or classifier_unavailable for a category failing closed),
// and a note when it could not answer but every category fails open.
void add_classifier_reasons(const ClassifierOutcome& outcome, const std::string& stage,
                            const std::string& what, std::vector<Reason>& reasons);

}  // namespace synthgate::pipeline
