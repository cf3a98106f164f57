// Correspondence: the route rule, postal addresses, acknowledgement
// templates, locale and format; and the letter order a postal item waits
// as, written and read back (including an officer's words with line breaks
// and backslashes, and the forms queued by older versions).
#include "duly/engine/Correspondence.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

Instant at(long long seconds) { return Instant{std::chrono::seconds{seconds}}; }

Customer reader(std::string email, PreferredChannel preferred = PreferredChannel::Email) {
    Customer c;
    c.reference = "C1";
    c.name = "Mrs Akhtar";
    c.email = std::move(email);
    c.preferredChannel = preferred;
    return c;
}

}  // namespace

TEST(Correspondence, ByPostWhenTheCaseCameByLetterTheCustomerPrefersPostOrHasNoEmail) {
    Case email;
    email.channel = Channel::Email;
    Case letter;
    letter.channel = Channel::Letter;
    EXPECT_FALSE(goesByPost(email, reader("a@example.org")));
    EXPECT_TRUE(goesByPost(letter, reader("a@example.org")));
    EXPECT_TRUE(goesByPost(email, reader("a@example.org", PreferredChannel::Post)));
    EXPECT_TRUE(goesByPost(email, reader("")));
}

TEST(Correspondence, APostalAddressNeedsAFirstLineAndAPostcode) {
    Customer c = reader("");
    EXPECT_FALSE(hasPostalAddress(c));
    c.addressLine1 = "12 Church Road";
    EXPECT_FALSE(hasPostalAddress(c));
    c.postcode = "PR25 3AB";
    EXPECT_TRUE(hasPostalAddress(c));
}

TEST(Correspondence, TemplatesLocalesAndFormats) {
    EXPECT_EQ(acknowledgementTemplate(Kind::Enquiry), "acknowledgement");
    EXPECT_EQ(acknowledgementTemplate(Kind::ComplaintStage1), "complaint-stage-1-acknowledgement");
    EXPECT_EQ(acknowledgementTemplate(Kind::ComplaintStage2), "complaint-stage-2-acknowledgement");
    Customer c = reader("a@example.org");
    c.language = "";
    EXPECT_EQ(localeFor(c), "en-GB");
    c.language = "ur";
    EXPECT_EQ(localeFor(c), "ur");
    EXPECT_EQ(formatFor(c), "standard");
    c.formats = {"audio", "large-print"};
    EXPECT_EQ(formatFor(c), "large-print");
}

TEST(LetterOrder, FactsSurviveTheOutboxWordForWord) {
    LetterOrder order;
    order.templateName = "complaint-stage-1-extension";
    order.details.date = at(1'795'000'000);
    order.details.replyBody = "Line one\nLine two with a \\ backslash\r\nand: a colon";
    order.details.followUpBy = at(1'795'500'000);
    order.details.holding = HoldingReplyDetails{"We are waiting for a surveyor\nto visit", at(1'796'000'000)};
    order.details.extension = ExtensionDetails{"The contractor", at(1'797'000'000), 10, "0300 111 3000", "www.example.org"};
    const std::string bytes = order.serialize();
    EXPECT_EQ(bytes.rfind("duly-letter 1\ntemplate: complaint-stage-1-extension\n", 0), 0u);
    auto back = LetterOrder::parse(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->templateName, order.templateName);
    EXPECT_EQ(back->details.date, order.details.date);
    EXPECT_EQ(back->details.replyBody, order.details.replyBody);
    EXPECT_EQ(back->details.followUpBy, order.details.followUpBy);
    ASSERT_TRUE(back->details.holding);
    EXPECT_EQ(back->details.holding->reason, "We are waiting for a surveyor\nto visit");
    EXPECT_EQ(back->details.holding->newDate, at(1'796'000'000));
    ASSERT_TRUE(back->details.extension);
    EXPECT_EQ(back->details.extension->reason, "The contractor");
    EXPECT_EQ(back->details.extension->workingDays, 10);
    EXPECT_EQ(back->details.extension->newDate, at(1'797'000'000));
    EXPECT_EQ(back->details.extension->ombudsmanPhone, "0300 111 3000");
}

TEST(LetterOrder, OlderFormsAndBytesThatAreNoOrder) {
    auto bare = LetterOrder::parse("holding-reply");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->templateName, "holding-reply");
    EXPECT_FALSE(bare->details.holding);
    auto reply = LetterOrder::parse("reply\nDear Mrs Akhtar,\nThe gate is fixed.");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->templateName, "reply");
    EXPECT_EQ(reply->details.replyBody, "Dear Mrs Akhtar,\nThe gate is fixed.");
    EXPECT_FALSE(LetterOrder::parse("%PDF-1.7\n..."));
    EXPECT_FALSE(LetterOrder::parse("duly-letter 1\ntemplate: no-such-template\n"));
    EXPECT_FALSE(LetterOrder::parse("duly-letter 1\ntemplate: reply\ndate: yesterday\n"));
    EXPECT_FALSE(LetterOrder::parse("duly-letter 1\ntemplate: reply\nno colon here\n"));
    // A key from a newer Duly is passed over.
    auto newer = LetterOrder::parse("duly-letter 1\ntemplate: reply\nreply: Hello\nfuture-key: x\n");
    ASSERT_TRUE(newer);
    EXPECT_EQ(newer->details.replyBody, "Hello");
}
