// TransferEncoding: base64 and quoted-printable as written by real senders,
// including the malformed input clients tolerate.
#include "duly/mail/TransferEncoding.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

TEST(TransferEncoding, Base64) {
    struct Case {
        std::string in, out;
    };
    const std::vector<Case> cases = {
        {"aGVsbG8=", "hello"},
        {"aGVs\r\nbG8=\r\n", "hello"},
        {"aGVsbG8", "hello"},              // no padding
        {"aG!V*s bG8=", "hello"},         // stray characters skipped
        {"aGVsbG8=garbage", "hello"},      // after the padding nothing counts
        {"", ""},
        {"a", ""},
        {"-_8=", "\xFB\xFF"},              // the URL-safe alphabet
    };
    for (const auto& c : cases) EXPECT_EQ(decodeBase64(c.in), c.out) << c.in;
}

TEST(TransferEncoding, QuotedPrintable) {
    struct Case {
        std::string in, out;
    };
    const std::vector<Case> cases = {
        {"caf=C3=A9", "café"},
        {"caf=c3=a9", "café"},
        {"soft=\r\nbreak", "softbreak"},
        {"soft= \t\r\nbreak", "softbreak"},
        {"soft=\nbreak", "softbreak"},
        {"trailing   \r\nspace", "trailing\r\nspace"},
        {"a=ZZb", "a=ZZb"},           // not an escape: kept
        {"end=", "end"},
        {"end=4", "end=4"},
        {"1+1=3D2", "1+1=2"},
    };
    for (const auto& c : cases) EXPECT_EQ(decodeQuotedPrintable(c.in), c.out) << c.in;
    EXPECT_EQ(decodeQuotedPrintable("a_b=5F", true), "a b_");
}

}  // namespace

// A NUL in a header, raw or in an encoded word, becomes U+FFFD; the rest is kept.
TEST(TransferEncoding, HeaderNulBecomesAReplacementCharacter) {
    EXPECT_EQ(decodeHeaderText(std::string("Back\0door", 9)), "Back\xEF\xBF\xBD" "door");
    EXPECT_EQ(decodeHeaderText("=?utf-8?q?Back=00door?= now"), "Back\xEF\xBF\xBD" "door now");
    EXPECT_EQ(decodeHeaderText("=?utf-8?b?QQBC?="), "A\xEF\xBF\xBD" "B");
}
