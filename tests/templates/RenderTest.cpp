// Rendering the shipped templates: every kind in every locale and format
// names the officer, the reference and the reply date in the locale's own
// form, carries the alternative-formats line in three languages, and marks
// language and direction; fallbacks are recorded.
#include "duly/engine/Correspondence.h"
#include "duly/engine/CharterFile.h"
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace duly::engine;

namespace {

const Renderer& renderer() {
    static const Renderer r(DULY_SOURCE_HOME);
    return r;
}

const std::string kFsi = "\xe2\x81\xa8";
const std::string kPdi = "\xe2\x81\xa9";

struct Expected {
    std::string name, officer, reference, en, ur, yue;
};

const Expected kKinds[] = {
    {"acknowledgement", "Jane Smith", "PHG-2026-00042", "23 November 2026", "23 نومبر، 2026", "2026年11月23日"},
    {"holding-reply", "Jane Smith", "PHG-2026-00042", "4 December 2026", "4 دسمبر، 2026", "2026年12月4日"},
    {"complaint-stage-1-acknowledgement", "Jane Smith", "PHG-2026-00051", "23 November 2026", "23 نومبر، 2026",
     "2026年11月23日"},
    {"complaint-stage-1-extension", "Jane Smith", "PHG-2026-00051", "7 December 2026", "7 دسمبر، 2026", "2026年12月7日"},
    {"complaint-stage-2-acknowledgement", "Peter Okafor", "PHG-2026-00057", "23 November 2026", "23 نومبر، 2026",
     "2026年11月23日"},
    {"complaint-stage-2-extension", "Peter Okafor", "PHG-2026-00057", "7 December 2026", "7 دسمبر، 2026",
     "2026年12月7日"},
    {"reply", "Jane Smith", "PHG-2026-00042", "2 December 2026", "2 دسمبر، 2026", "2026年12月2日"},
    // The letter's own date: a refusal promises no later one.
    {"complaint-refusal-to-escalate", "Peter Okafor", "PHG-2026-00051", "23 November 2026", "23 نومبر، 2026",
     "2026年11月23日"},
};

const std::string kAltEn = "Would you like this in another language or format";
const std::string kAltUr = "کیا آپ یہ کسی دوسری زبان یا شکل میں چاہتے ہیں";
const std::string kAltYue = "如需要本文件的其他語文或格式版本";

TEST(Render, EveryCustomerKindInEveryLocaleAndFormat) {
    for (const auto& k : kKinds) {
        for (const std::string locale : {"en-GB", "ur", "yue-Hant"}) {
            for (const std::string format : {"standard", "large-print"}) {
                SCOPED_TRACE(k.name + " " + locale + " " + format);
                Document doc = renderer().render(k.name, locale, format, sampleContext(k.name));
                EXPECT_EQ(doc.lang, locale);
                EXPECT_TRUE(doc.fallbacks.empty());
                EXPECT_EQ(doc.profile.name, format);
                std::string text = writeText(doc);
                std::string html = writeHtml(doc);
                const std::string& date = locale == "en-GB" ? k.en : locale == "ur" ? k.ur : k.yue;
                bool rtl = locale == "ur";
                auto iso = [&](const std::string& v) { return rtl ? kFsi + v + kPdi : v; };
                auto bdi = [&](const std::string& v) { return rtl ? "<bdi>" + v + "</bdi>" : v; };
                EXPECT_NE(text.find(iso(k.officer)), std::string::npos);
                EXPECT_NE(text.find(iso(k.reference)), std::string::npos);
                EXPECT_NE(text.find(iso(date)), std::string::npos) << text;
                EXPECT_NE(html.find(bdi(k.officer)), std::string::npos);
                EXPECT_NE(html.find(bdi(k.reference)), std::string::npos);
                EXPECT_NE(html.find(bdi(date)), std::string::npos);
                // The officer's position and how to reach us.
                EXPECT_NE(text.find(k.officer == "Peter Okafor" ? "Complaints Manager" : "Officer"), std::string::npos);
                EXPECT_NE(text.find("01772 450600"), std::string::npos);
                // The alternative-formats line in all three languages, each
                // marked with its own language and direction.
                EXPECT_NE(text.find(kAltEn), std::string::npos);
                EXPECT_NE(text.find(kAltUr), std::string::npos);
                EXPECT_NE(text.find(kAltYue), std::string::npos);
                EXPECT_NE(html.find("<p lang=\"ur\" dir=\"rtl\">" + kAltUr), std::string::npos);
                EXPECT_NE(html.find("<p lang=\"yue-Hant\" dir=\"ltr\">" + kAltYue), std::string::npos);
                EXPECT_NE(html.find("<p lang=\"en-GB\" dir=\"ltr\">" + kAltEn), std::string::npos);
                EXPECT_NE(html.find("<html lang=\"" + locale + "\" dir=\"" + (rtl ? "rtl" : "ltr") + "\">"),
                          std::string::npos);
                EXPECT_EQ(doc.dir, rtl ? Direction::Rtl : Direction::Ltr);
                EXPECT_NE(html.find(format == "large-print" ? "font-size: 18pt; line-height: 1.5"
                                                            : "font-size: 11pt; line-height: 1.3"),
                          std::string::npos);
                EXPECT_FALSE(doc.subject.empty());
                EXPECT_EQ(doc.subject.find('\n'), std::string::npos);
                // No run in an Urdu document is Latin text of its own: every
                // Latin value is isolated.
                if (rtl)
                    for (const auto& b : doc.blocks)
                        for (const auto& l : b.lines)
                            for (const auto& r : l.runs)
                                if (!r.isolate && l.lang == "ur") {
                                    EXPECT_EQ(r.text.find("PHG"), std::string::npos) << r.text;
                                }
            }
        }
    }
}

TEST(Render, AcknowledgementWordingFollowsTheChannel) {
    const std::pair<std::string, std::string> cases[] = {
        {"letter", "Thank you for your letter"},
        {"email", "Thank you for your email"},
        {"web", "Thank you for your message from our website"},
        {"phone_message", "Thank you for your phone message"},
    };
    for (const auto& [key, heading] : cases) {
        Value ctx = sampleContext("acknowledgement");
        ctx.set("case.channel_key", key);
        Document doc = renderer().render("acknowledgement", "en-GB", "standard", ctx);
        ASSERT_GE(doc.blocks.size(), 5u);
        auto it = std::find_if(doc.blocks.begin(), doc.blocks.end(), [](const Block& b) { return b.kind == BlockKind::Heading; });
        ASSERT_NE(it, doc.blocks.end());
        EXPECT_EQ(it->lines.at(0).plainText(), heading);
    }
}

TEST(Render, SelectArgumentsAreNeverIsolated) {
    // In an Urdu letter the channel must still pick the right words.
    const std::pair<std::string, std::string> cases[] = {
        {"letter", "آپ کے خط کا شکریہ"},
        {"email", "آپ کی ای میل کا شکریہ"},
        {"web", "ویب سائٹ سے آپ کے پیغام کا شکریہ"},
        {"phone_message", "آپ کے فون پیغام کا شکریہ"},
    };
    for (const auto& [key, heading] : cases) {
        Value ctx = sampleContext("acknowledgement");
        ctx.set("case.channel_key", key);
        Document doc = renderer().render("acknowledgement", "ur", "standard", ctx);
        auto it = std::find_if(doc.blocks.begin(), doc.blocks.end(), [](const Block& b) { return b.kind == BlockKind::Heading; });
        ASSERT_NE(it, doc.blocks.end());
        EXPECT_EQ(it->lines.at(0).plainText(), heading);
    }
    std::string text = writeText(renderer().render("acknowledgement", "yue-Hant", "standard", sampleContext("acknowledgement")));
    EXPECT_NE(text.find("多謝您的來信"), std::string::npos);
}

TEST(Render, DatesAreShownInLondonTime) {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST); in winter
    // London is on UTC.
    const std::pair<std::int64_t, std::string> cases[] = {
        {1782862200, "1 July 2026"},        // 2026-06-30T23:30:00Z
        {1798759800, "31 December 2026"},   // 2026-12-31T23:30:00Z
    };
    for (const auto& [seconds, expected] : cases) {
        Value ctx = sampleContext("acknowledgement");
        ctx.set("case.respond_by", Instant{std::chrono::seconds{seconds}});
        std::string text = writeText(renderer().render("acknowledgement", "en-GB", "standard", ctx));
        EXPECT_NE(text.find("We will send you a full reply by " + expected + "."), std::string::npos) << expected;
    }
}

TEST(Render, UrduFallsBackAndRecordsIt) {
    Document doc = renderer().render("acknowledgement", "ur-PK", "standard", sampleContext("acknowledgement"));
    EXPECT_EQ(doc.lang, "ur");
    EXPECT_EQ(doc.requestedLang, "ur-PK");
    ASSERT_EQ(doc.fallbacks.size(), 1u);
    EXPECT_EQ(doc.fallbacks[0], (Fallback{"locale", "ur-PK", "ur", "no locale file for ur-PK"}));
}

TEST(Render, DigestInEveryLocaleAndFormatIsEnglish) {
    for (const std::string locale : {"en-GB", "ur", "yue-Hant"}) {
        for (const std::string format : {"standard", "large-print"}) {
            SCOPED_TRACE(locale + " " + format);
            Document doc = renderer().render("officer-digest", locale, format, sampleContext("officer-digest"));
            EXPECT_EQ(doc.lang, "en-GB");
            EXPECT_EQ(doc.dir, Direction::Ltr);
            EXPECT_EQ(doc.fallbacks.size(), locale == "en-GB" ? 0u : 1u);
            std::string html = writeHtml(doc);
            EXPECT_NE(html.find("<html lang=\"en-GB\" dir=\"ltr\">"), std::string::npos);
            EXPECT_NE(html.find("<li>PHG-2026-00042: Repair to the back door (Nasreen Khan). Reply by 23 November 2026.</li>"),
                      std::string::npos);
            EXPECT_NE(html.find("<li>PHG-2026-00045: Rent statement (Li Wai Man). Send the acknowledgement by 25 November 2026.</li>"),
                      std::string::npos);
        }
    }
}

TEST(Render, DigestIsEnglishOnly) {
    Document doc = renderer().render("officer-digest", "yue-Hant", "standard", sampleContext("officer-digest"));
    EXPECT_EQ(doc.lang, "en-GB");
    ASSERT_EQ(doc.fallbacks.size(), 1u);
    EXPECT_EQ(doc.fallbacks[0].what, "template officer-digest");
    std::string text = writeText(doc);
    EXPECT_NE(text.find("Good morning Jane Smith"), std::string::npos);
    EXPECT_NE(text.find("You have 1 overdue case, 1 due today and 1 due in the next few days."), std::string::npos);
    EXPECT_NE(text.find("• PHG-2026-00031: Noise from the flat above (Tom Hughes). Reply by 19 November 2026."),
              std::string::npos);
    EXPECT_EQ(doc.subject, "Your cases for 23 November 2026");
}

TEST(Render, ExactEnglishAcknowledgementText) {
    Document doc = renderer().render("acknowledgement", "en-GB", "standard", sampleContext("acknowledgement"));
    EXPECT_EQ(doc.subject, "Thank you for your letter – reference PHG-2026-00042");
    std::string text = writeText(doc);
    EXPECT_NE(text.find("Dear Mrs Khan,\n\nWe received your letter on 9 November 2026. We will send you a full reply by "
                        "23 November 2026. If we can answer sooner, we will.\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Yours sincerely\nJane Smith\nCustomer Services Officer\nProgress Housing Group\n"),
              std::string::npos);
}

TEST(Render, ExtensionUsesPluralRules) {
    Value ctx = sampleContext("complaint-stage-1-extension");
    ctx.set("extension.days", 1);
    std::string en = writeText(renderer().render("complaint-stage-1-extension", "en-GB", "standard", ctx));
    EXPECT_NE(en.find("This is 1 more working day."), std::string::npos);
    std::string ur = writeText(renderer().render("complaint-stage-1-extension", "ur", "standard", ctx));
    EXPECT_NE(ur.find("یہ 1 مزید کام کا دن ہے۔"), std::string::npos);
    ctx.set("extension.days", 10);
    en = writeText(renderer().render("complaint-stage-1-extension", "en-GB", "standard", ctx));
    EXPECT_NE(en.find("This is 10 more working days."), std::string::npos);
}

TEST(Render, ReplyKeepsTheOfficersParagraphs) {
    Document doc = renderer().render("reply", "en-GB", "standard", sampleContext("reply"));
    std::vector<std::string> paragraphs;
    for (const auto& b : doc.blocks)
        if (b.kind == BlockKind::Paragraph) paragraphs.push_back(b.lines.at(0).plainText());
    ASSERT_GE(paragraphs.size(), 3u);
    EXPECT_EQ(paragraphs[1],
              "Our repairs team will fit a new back door on Tuesday 1 December. They will arrive between 8am and 12 noon.");
    EXPECT_EQ(paragraphs[2], "Please make sure someone is at home to let them in.");
}

TEST(Render, BilingualFollowsTheTranslationWithEnglish) {
    RenderOptions o;
    o.bilingual = true;
    Document doc = renderer().render("acknowledgement", "ur", "standard", sampleContext("acknowledgement"), o);
    EXPECT_TRUE(doc.bilingual);
    std::string text = writeText(doc);
    auto urdu = text.find("ہم آپ کو");
    auto english = text.find("We will send you a full reply by 23 November 2026.");
    ASSERT_NE(urdu, std::string::npos);
    ASSERT_NE(english, std::string::npos);
    EXPECT_LT(urdu, english);
    EXPECT_EQ(doc.blocks.back().kind, BlockKind::Footer);
    EXPECT_NE(writeHtml(doc).find("<p lang=\"en-GB\" dir=\"ltr\">We received your letter"), std::string::npos);
}

TEST(Render, DocumentJsonCarriesRunsAndProfile) {
    Document doc = renderer().render("acknowledgement", "ur", "large-print", sampleContext("acknowledgement"));
    std::string json = writeDocumentJson(doc);
    EXPECT_NE(json.find("\"lang\": \"ur\""), std::string::npos);
    EXPECT_NE(json.find("\"dir\": \"rtl\""), std::string::npos);
    EXPECT_NE(json.find("{\"text\": \"PHG-2026-00042\", \"lang\": \"und\", \"dir\": \"auto\", \"isolate\": true}"),
              std::string::npos);
    EXPECT_NE(json.find("\"profile\": {\"name\": \"large-print\", \"fontSizePt\": 18, \"minFontSizePt\": 16"),
              std::string::npos);
    EXPECT_NE(json.find("\"italics\": false, \"capitals\": false, \"boldHeadings\": true"), std::string::npos);
}

TEST(Render, UnknownTemplateFormatAndLocaleAreInputErrors) {
    Value ctx = sampleContext("acknowledgement");
    EXPECT_THROW(renderer().render("nope", "en-GB", "standard", ctx), InputError);
    EXPECT_THROW(renderer().render("acknowledgement", "en-GB", "huge", ctx), InputError);
    EXPECT_THROW(renderer().render("acknowledgement", "../etc", "standard", ctx), InputError);
}

TEST(RenderProfile, LargePrintRulesAreEnforced) {
    auto p = loadRenderProfile("large-print");
    EXPECT_EQ(p.fontSizePt, 18);
    EXPECT_GE(p.minFontSizePt, 16);
    EXPECT_GE(p.lineSpacing, 1.5);
    EXPECT_EQ(p.fontFamily, "sans");
    EXPECT_EQ(p.align, "left");
    EXPECT_FALSE(p.italics);
    EXPECT_FALSE(p.capitals);
    EXPECT_TRUE(p.boldHeadings);
}

}  // namespace

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

TEST(Html, SemanticAndClearPrint) {
    for (const std::string name : {"acknowledgement", "officer-digest"}) {
        Document doc = renderer().render(name, "en-GB", "large-print", sampleContext(name));
        std::string html = writeHtml(doc);
        EXPECT_EQ(count(html, "<h1"), 1u) << name;
        EXPECT_EQ(count(html, "<main>"), 1u) << name;
        EXPECT_EQ(count(html, "</main>"), 1u) << name;
        EXPECT_EQ(html.find("<style"), std::string::npos);  // inline CSS only
        EXPECT_EQ(html.find("italic"), std::string::npos);
        EXPECT_EQ(html.find("uppercase"), std::string::npos);
        EXPECT_EQ(html.find("justify"), std::string::npos);
        EXPECT_NE(html.find("font-size: 18pt"), std::string::npos);
    }
    std::string html = writeHtml(renderer().render("acknowledgement", "en-GB", "standard", sampleContext("acknowledgement")));
    EXPECT_NE(html.find("</main>\n<footer"), std::string::npos);
    EXPECT_NE(html.find("<address style=\"font-style: normal; margin: 1em 0;\">Nasreen Khan<br>\n14 Moss Lane<br>\nLeyland<br>\nPR25 3AB</address>"),
              std::string::npos);
    EXPECT_NE(html.find("<title>Thank you for your letter – reference PHG-2026-00042</title>"), std::string::npos);
}

}  // namespace

// Nothing goes out with a gap in a sentence: an empty value stops the
// render, naming the template, the file and line, and the field.
TEST(Render, AnEmptyFieldStopsTheRenderNamingTemplateAndField) {
    for (const std::string locale : {"en-GB", "ur", "yue-Hant"}) {
        Value ctx = sampleContext("acknowledgement");
        ctx.set("organisation.phone", "");
        try {
            renderer().render("acknowledgement", locale, "standard", ctx);
            ADD_FAILURE() << locale << ": rendered with no phone number";
        } catch (const EmptyFieldError& e) {
            EXPECT_EQ(e.field(), "organisation.phone");
            const std::string what = e.what();
            EXPECT_NE(what.find("template acknowledgement"), std::string::npos) << what;
            EXPECT_NE(what.find("templates/partials/letterhead.tmpl:7:"), std::string::npos) << what;
        }
    }
    // A value that is nothing but controls is empty once they are removed:
    // a sender cannot get a letter out with a blank name by sending only
    // bidi marks.
    Value ctx = sampleContext("acknowledgement");
    ctx.set("customer.name", "\xe2\x81\xa7\xe2\x80\xae\xe2\x81\xa9");
    EXPECT_THROW(renderer().render("acknowledgement", "en-GB", "standard", ctx), EmptyFieldError);
    // A reply date the case does not have is a stop, not "by ."
    Value noDate = sampleContext("holding-reply");
    noDate.set("holding.old_date", "");
    EXPECT_THROW(renderer().render("holding-reply", "en-GB", "large-print", noDate), EmptyFieldError);
}

TEST(Render, ACaseWithNoOfficerIsSignedByTheTeamWithItsPhoneAndEmail) {
    const Sample s = sampleFor("acknowledgement");
    Organisation org = s.organisation;
    org.teamPhone = "01772 450699";
    const Value ctx = buildCaseContext(s.kase, s.customer, signatory(Officer{}, org), org, s.details);
    const std::string en = writeText(renderer().render("acknowledgement", "en-GB", "standard", ctx));
    EXPECT_NE(en.find("Our Customer Services team is dealing with your case. You can phone them on 01772 450699 or "
                      "email customer.services@progress.example."),
              std::string::npos)
        << en;
    EXPECT_NE(en.find("Yours sincerely\nThe Customer Services team\nProgress Housing Group\n"), std::string::npos) << en;
    EXPECT_EQ(en.find("our Customer Services,"), std::string::npos) << en;
    EXPECT_EQ(en.find("Direct line"), std::string::npos) << en;
    const std::string ur = writeText(renderer().render("acknowledgement", "ur", "standard", ctx));
    EXPECT_NE(ur.find("ٹیم کے پاس ہے"), std::string::npos) << ur;
    EXPECT_NE(ur.find("01772 450699"), std::string::npos) << ur;
    const std::string yue = writeText(renderer().render("acknowledgement", "yue-Hant", "large-print", ctx));
    EXPECT_NE(yue.find("團隊"), std::string::npos) << yue;
    EXPECT_NE(yue.find("01772 450699"), std::string::npos) << yue;
    // An officer without a phone number of their own is reached on the team's.
    Officer noPhone = s.officer;
    noPhone.phone.clear();
    const std::string own = writeText(renderer().render(
        "acknowledgement", "en-GB", "standard", buildCaseContext(s.kase, s.customer, signatory(noPhone, org), org, s.details)));
    EXPECT_NE(own.find("You can phone Jane Smith on 01772 450699 or email jane.smith@progress.example."), std::string::npos)
        << own;
    EXPECT_EQ(own.find("Direct line"), std::string::npos) << own;
}

// Issue 14: the ombudsman on a complaint letter is the charter's scheme's,
// from config/schemes, in every locale: the sample complaint as the Scottish
// and Welsh example landlords would write it.
TEST(Render, ComplaintLettersNameTheSchemesOmbudsman) {
    struct Scheme {
        const char* charter;
        const char* name;
        const char* phone;
        const char* website;
    };
    const Scheme schemes[] = {
        {"progress", "Housing Ombudsman", "0300 111 3000", "www.housing-ombudsman.org.uk"},
        {"example-scotland", "Scottish Public Services Ombudsman", "0800 377 7330", "www.spso.org.uk"},
        {"example-wales", "Public Services Ombudsman for Wales", "0300 790 0203", "www.ombudsman.wales"},
    };
    for (const auto& s : schemes) {
        const Charter charter = loadCharter(s.charter, DULY_SOURCE_HOME);
        const Organisation org = organisationOf(charter, charter.name, charter.contact);
        for (const std::string name : {"complaint-stage-1-extension", "complaint-stage-2-extension",
                                       "complaint-stage-2-acknowledgement", "complaint-refusal-to-escalate"}) {
            for (const std::string locale : {"en-GB", "ur", "yue-Hant"}) {
                SCOPED_TRACE(std::string(s.charter) + " " + name + " " + locale);
                const std::string text = writeText(renderer().render(name, locale, "standard", sampleContext(name, &org)));
                EXPECT_NE(text.find(s.name), std::string::npos) << text;
                if (name != "complaint-stage-2-acknowledgement") {
                    EXPECT_NE(text.find(s.phone), std::string::npos) << text;
                    EXPECT_NE(text.find(s.website), std::string::npos) << text;
                }
                // No other nation's ombudsman.
                for (const auto& other : schemes)
                    if (&other != &s) {
                        EXPECT_EQ(text.find(other.phone), std::string::npos) << other.phone;
                    }
                EXPECT_NE(text.find(charter.contact.name), std::string::npos);
            }
        }
    }
}

// Issue 14: a reply to a complaint says what comes next and names the
// scheme's ombudsman: at stage 1 how to go to stage 2, at stage 2 that it is
// final. A reply to an enquiry names no ombudsman.
TEST(Render, RepliesToComplaintsNameTheOmbudsman) {
    for (const std::string locale : {"en-GB", "ur", "yue-Hant"}) {
        SCOPED_TRACE(locale);
        Sample s = sampleFor("reply");
        auto text = [&](Kind kind) {
            s.kase.kind = kind;
            return writeText(renderer().render(
                "reply", locale, "standard", buildCaseContext(s.kase, s.customer, s.officer, s.organisation, s.details)));
        };
        const std::string enquiry = text(Kind::Enquiry), first = text(Kind::ComplaintStage1),
                          final = text(Kind::ComplaintStage2);
        EXPECT_EQ(enquiry.find("0300 111 3000"), std::string::npos);
        EXPECT_EQ(enquiry.find("Housing Ombudsman"), std::string::npos);
        for (const auto& t : {first, final}) {
            EXPECT_NE(t.find("Housing Ombudsman"), std::string::npos) << t;
            EXPECT_NE(t.find("0300 111 3000"), std::string::npos) << t;
            EXPECT_NE(t.find("www.housing-ombudsman.org.uk"), std::string::npos) << t;
        }
        if (locale == "en-GB") {
            EXPECT_NE(first.find("This is stage 2."), std::string::npos) << first;
            EXPECT_NE(final.find("This is our final reply to your complaint."), std::string::npos) << final;
            EXPECT_EQ(first.find("final reply"), std::string::npos);
        }
    }
}
