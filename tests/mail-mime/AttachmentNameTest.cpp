// AttachmentName: what a sender's file name becomes.
#include "duly/mail/AttachmentName.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

TEST(AttachmentName, Sanitised) {
    struct Case {
        std::string in, type, out;
    };
    const std::vector<Case> cases = {
        {"scan.pdf", "application/pdf", "scan.pdf"},
        {"../../etc/passwd", "image/tiff", "passwd"},
        {"C:\\Users\\tom\\Desktop\\photo.jpg", "image/jpeg", "photo.jpg"},
        {".htaccess", "text/plain", "htaccess"},
        {"...", "application/pdf", "attachment.pdf"},
        {"", "image/jpeg", "attachment.jpg"},
        {"", "application/x-unknown", "attachment.bin"},
        {".pdf", "application/pdf", "pdf"},
        {"what?*<>|\":.pdf", "application/pdf", "what_______.pdf"},
        {"tab\there\r\n.pdf", "application/pdf", "tabhere.pdf"},
        {"invoice\xE2\x80\xAE" "fdp.exe", "application/octet-stream", "invoicefdp.exe"},  // U+202E removed
        {"CON.txt", "text/plain", "_CON.txt"},
        {"com1", "text/plain", "_com1"},
        {"lpt9.tar.gz", "application/gzip", "_lpt9.tar.gz"},
        {"console.txt", "text/plain", "console.txt"},
        {"trailing. . ", "text/plain", "trailing"},
        {"  many   spaces  .pdf", "application/pdf", "many spaces.pdf"},
        {"r\xC3\xA9sum\xC3\xA9.pdf", "application/pdf", "résumé.pdf"},
        {"bad\xFFutf8.pdf", "application/pdf", "badutf8.pdf"},
        {"\xE6\x8E\x83\xE6\x8F\x8F.jpg", "image/jpeg", "掃描.jpg"},
    };
    for (const auto& c : cases) EXPECT_EQ(sanitiseAttachmentName(c.in, c.type), c.out) << c.in;
}

TEST(AttachmentName, LengthBoundedKeepingTheExtension) {
    const std::string longName = std::string(300, 'a') + ".pdf";
    const std::string out = sanitiseAttachmentName(longName, "application/pdf");
    EXPECT_EQ(out.size(), kMaxAttachmentNameBytes);
    EXPECT_TRUE(out.ends_with("a.pdf"));
    // Multi-byte characters are never cut in half.
    std::string han;
    for (int i = 0; i < 100; ++i) han += "\xE6\x8E\x83";
    const std::string cut = sanitiseAttachmentName(han + ".jpg", "image/jpeg");
    EXPECT_LE(cut.size(), kMaxAttachmentNameBytes);
    EXPECT_EQ(cut.size(), 116u + 4u - (116u % 3u));
    EXPECT_TRUE(cut.ends_with("\xE6\x8E\x83.jpg"));
}

}  // namespace
