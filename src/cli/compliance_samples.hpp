#pragma once

#include "core/config.hpp"
#include "governance/compliance_reports.hpp"

namespace synthgate::cli {

// The label samples the filing shows (Labeling Measures Art. 12), made by the same engines
// that label outputs: a labelled answer, a generated image with its visible label.
Result<governance::LabelSamples> make_label_samples(const Config& config);

}  // namespace synthgate::cli
