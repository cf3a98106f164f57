// MimeDescription: a parse result as text, one fact a line, for golden
// tests and for comparing a whole parse with a byte-at-a-time one.
#pragma once

#include "duly/mail/MimeParser.h"

#include <string>
#include <vector>

namespace duly::mail::test {

std::string describe(const MimeResult& result, const std::vector<std::string>& ownAddresses = {});

}  // namespace duly::mail::test
