#pragma once

#include <string>

#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/text_moderator.hpp"
#include "pipeline/pipeline_records.hpp"

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

}  // namespace synthgate::pipeline
