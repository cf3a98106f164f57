// HtmlText: HTML mail bodies → readable text.
#include "duly/mail/HtmlText.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

TEST(HtmlText, BlocksEntitiesAndDroppedElements) {
    struct Case {
        std::string in, out;
    };
    const std::vector<Case> cases = {
        {"<p>One</p><p>Two</p>", "One\n\nTwo"},
        {"<div>One</div><div>Two</div>", "One\nTwo"},
        {"a<br>b<BR/>c", "a\nb\nc"},
        {"<ul><li>first</li><li>second</li></ul>", "- first\n- second"},
        {"<table><tr><td>Rent</td><td>&pound;95.00</td></tr><tr><td>Due</td><td>Monday</td></tr></table>",
         "Rent\t£95.00\nDue\tMonday"},
        {"<head><title>t</title><style>p{x:1}</style></head><body>Hi</body>", "Hi"},
        {"<script type=\"text/javascript\">if (a < b) {}</script>Safe", "Safe"},
        {"<SCRIPT>x</SCRIPT >Safe", "Safe"},
        {"<!-- hidden <p>no</p> -->shown", "shown"},
        {"<p>  lots   of\n\n white\tspace </p>", "lots of white space"},
        {"<pre>  kept\n    as is</pre>", "  kept\n    as is"},
        {"Fish &amp; chips &lt;3 &#163;4 &#x20AC;5 &bogus; &nbsp;x", "Fish & chips <3 £4 €5 &bogus;  x"},
        {"<a href=\"x>y\">link</a> text", "link text"},
        {"a < b and c > d", "a < b and c > d"},
        {"&#0; &#xD800; &#99999999999;", "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
        {"<p dir=\"rtl\">السلام علیکم</p>", "السلام علیکم"},
        {"<h1>Title</h1>text", "Title\n\ntext"},
        {"<blockquote>quoted</blockquote>after", "quoted\n\nafter"},
        {"unclosed <b", "unclosed"},
        {"<br><br><br><br><br><br>x", "x"},
        {"a<br><br><br><br><br><br>x", "a\n\n\nx"},
    };
    for (const auto& c : cases) EXPECT_EQ(htmlToText(c.in), c.out) << c.in;
}

TEST(HtmlText, LargeHostileInputIsLinear) {
    std::string many;
    for (int i = 0; i < 200000; ++i) many += "<br>";
    for (int i = 0; i < 200000; ++i) many += "<p>";
    EXPECT_EQ(htmlToText(many), "");
    EXPECT_EQ(htmlToText(std::string(100000, '<')), std::string(100000, '<'));
    EXPECT_EQ(htmlToText("<script>" + std::string(100000, '<')), "");
}

}  // namespace
