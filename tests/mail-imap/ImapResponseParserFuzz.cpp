// libFuzzer target for ImapResponseParser: the input's first byte chooses
// the size of the pieces the rest is fed in (so response boundaries fall
// anywhere), with small limits so the bounds are reached. A protocol error
// is the expected way to refuse input; a crash, leak, sanitizer report or
// any other exception is a bug. Built only with clang (tests/mail-imap).
#include "duly/mail/ImapResponseParser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = static_cast<std::size_t>(data[0] % 16) + 1;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    duly::mail::ImapLimits limits;
    limits.maxLine = 256;
    limits.maxLiteral = 1024;
    limits.maxLiterals = 8;
    limits.maxNesting = 8;
    duly::mail::ImapResponseParser parser(limits);
    try {
        for (std::size_t i = 0; i < input.size(); i += step) {
            parser.feed(input.substr(i, step));
            while (auto r = parser.next()) {
                if (r->kind == duly::mail::ImapResponse::Kind::Tagged && r->tag.empty()) __builtin_trap();
            }
        }
    } catch (const duly::mail::ImapProtocolError&) {
        return 0;
    }
    return 0;
}
