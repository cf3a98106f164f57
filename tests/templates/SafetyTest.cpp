// Values are data: a customer name holding template syntax, HTML and CR/LF
// comes out literal in text, escaped in HTML, and flattened in headers.
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

const Renderer& renderer() {
    static const Renderer r(DULY_SOURCE_HOME);
    return r;
}

const std::string kEvil = "{{officer.email}} <b>Khan</b> {reference}\r\nBcc: thief@evil.example";

TEST(Safety, CustomerValuesAreNeverTemplateSyntax) {
    Value ctx = sampleContext("acknowledgement");
    ctx.set("customer.name", kEvil);
    ctx.set("customer.salutation", kEvil);
    for (const std::string locale : {"en-GB", "ur"}) {
        Document doc = renderer().render("acknowledgement", locale, "standard", ctx);
        std::string text = writeText(doc);
        EXPECT_NE(text.find("{{officer.email}} <b>Khan</b> {reference}"), std::string::npos) << text;
        // The line break inside the value stays a line break in the body
        // (harmless there) and never becomes a header.
        EXPECT_NE(text.find("Bcc: thief@evil.example"), std::string::npos);
        std::string html = writeHtml(doc);
        EXPECT_EQ(html.find("<b>Khan"), std::string::npos);
        EXPECT_NE(html.find("{{officer.email}} &lt;b&gt;Khan&lt;/b&gt; {reference}"), std::string::npos);
        EXPECT_EQ(html.find("jane.smith@progress.example <b>"), std::string::npos);
    }
}

TEST(Safety, SubjectAndHeaderAccessorRefuseLineBreaks) {
    Value ctx = sampleContext("acknowledgement");
    ctx.set("case.reference", "PHG-1\r\nBcc: thief@evil.example");
    Document doc = renderer().render("acknowledgement", "en-GB", "standard", ctx);
    EXPECT_EQ(doc.subject, "Thank you for your letter – reference PHG-1 Bcc: thief@evil.example");
    EXPECT_EQ(headerSafe(kEvil), "{{officer.email}} <b>Khan</b> {reference} Bcc: thief@evil.example");
}

TEST(Safety, HeaderSafeTable) {
    const std::pair<std::string, std::string> cases[] = {
        {"plain", "plain"},
        {"a\r\nb", "a b"},
        {"a\nb\rc", "a b c"},
        {"tab\there", "tab here"},
        {"line\xe2\x80\xa8sep", "line sep"},   // U+2028
        {"next\xc2\x85line", "next line"},     // U+0085
        {"bad\xff byte", "bad\xef\xbf\xbd byte"},
        {"overlong\xc0\xaf", "overlong\xef\xbf\xbd\xef\xbf\xbd"},
        {"Nasreen Khan", "Nasreen Khan"},
        {"نسرین خان", "نسرین خان"},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(headerSafe(in), out) << in;
    EXPECT_EQ(headerSafe(std::string_view("a\0b", 3)), "a b");
}

TEST(Safety, BidiControlsInValuesAreRemoved) {
    Value ctx = sampleContext("acknowledgement");
    ctx.set("customer.name", "Nasreen\xe2\x80\xae Khan\xe2\x81\xa9");  // U+202E, U+2069
    Document doc = renderer().render("acknowledgement", "ur", "standard", ctx);
    std::string text = writeText(doc);
    EXPECT_NE(text.find("\xe2\x81\xa8Nasreen Khan\xe2\x81\xa9"), std::string::npos);
    EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos);
}

TEST(Safety, HtmlEscaping) {
    EXPECT_EQ(escapeHtml("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

TEST(TemplateValue, PathsAndTruth) {
    Value v = Value::map();
    v.set("a.b.c", "x");
    v.set("a.n", 0);
    v.set("a.list", Value::list());
    ASSERT_NE(v.find("a.b.c"), nullptr);
    EXPECT_EQ(*v.find("a.b.c")->asString(), "x");
    EXPECT_EQ(v.find("a.b.d"), nullptr);
    EXPECT_EQ(v.find("a.b.c.d"), nullptr);
    EXPECT_FALSE(v.find("a.n")->truthy());
    EXPECT_FALSE(v.find("a.list")->truthy());
    EXPECT_TRUE(v.find("a.b")->truthy());
    EXPECT_EQ(Value(Instant{std::chrono::seconds{1795366800}}).text(), "2026-11-22T17:00:00Z");
}

}  // namespace
