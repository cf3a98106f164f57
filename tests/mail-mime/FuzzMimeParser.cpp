// The libFuzzer target for MimeParser (and everything it calls: header
// values, charsets, HTML to text, attachment names, the loop rules): any
// input must parse without a crash, a sanitizer report or a timeout, give
// the same result whole and in pieces, and keep its promises (valid UTF-8
// text, safe attachment names). Built only with clang; see CMakeLists.txt
// for the runs.
#include "MimeDescription.h"

#include "duly/mail/AttachmentName.h"
#include "duly/mail/MimeParser.h"

#include <unicode/utf8.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

bool validUtf8(const std::string& s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(s.size());
    std::int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    duly::mail::MimeLimits limits;
    limits.maxParts = 200;  // keeps each run short; the limits themselves are tested elsewhere
    const auto whole = duly::mail::parseMime(raw, limits);
    duly::mail::MimeParser pieces(limits);
    const std::size_t step = size % 7 + 1;
    for (std::size_t i = 0; i < size; i += step) pieces.feed(raw.substr(i, step));
    const auto split = pieces.finish();
    if (duly::mail::test::describe(whole) != duly::mail::test::describe(split)) std::abort();
    if (!validUtf8(whole.message.text) || !validUtf8(whole.message.subject)) std::abort();
    for (const auto& a : whole.message.attachments) {
        if (a.fileName.empty() || a.fileName.size() > duly::mail::kMaxAttachmentNameBytes) std::abort();
        if (a.fileName.find_first_of("/\\") != std::string::npos || a.fileName.front() == '.') std::abort();
        if (!validUtf8(a.fileName)) std::abort();
    }
    return 0;
}
