// SampleData: a made-up case, customer, officer and organisation for
// `duly render --sample`, `duly templates lint` and the tests. Fixed
// values (no clock), so output can be compared byte for byte.
#pragma once

#include "duly/engine/RenderContext.h"

#include <string_view>

namespace duly::engine {

struct Sample {
    Case kase;
    Customer customer;
    Officer officer;
    Organisation organisation;
    LetterDetails details;
    Digest digest;
};

// The sample for a template name: the case kind and details fit it
// (complaint stage, holding reply or extension, reply body).
Sample sampleFor(std::string_view templateName);

// The alert.* fields an officer's warning, escalation or pause reminder is
// given (what is due and when, who has the case, who is told).
void addSampleAlert(Value& context);

// The context `duly render --sample` uses for `templateName`. With
// `organisation` (`--sample --charter NAME`), the sample case is that
// landlord's, with its scheme's ombudsman.
Value sampleContext(std::string_view templateName, const Organisation* organisation = nullptr);

}  // namespace duly::engine
