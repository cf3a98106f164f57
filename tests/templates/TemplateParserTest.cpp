// Template parser: what parses to what, and the exact error text (file,
// line, column, what was expected) for each kind of mistake.
#include "duly/engine/InputError.h"
#include "duly/engine/Template.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

PartialSource partials() {
    return [](std::string_view name, std::string& text, std::string& file) {
        if (name == "sig") {
            text = "@signature\n{{officer.name}}\n";
            file = "partials/sig.tmpl";
            return true;
        }
        if (name == "loop") {
            text = "{{> loop}}";
            file = "partials/loop.tmpl";
            return true;
        }
        return false;
    };
}

std::string errorOf(const std::string& text) {
    try {
        parseTemplate("t", text, "t.tmpl", partials());
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(TemplateParser, ErrorsNameFileLineAndColumn) {
    struct Case {
        std::string text, error;
    };
    const Case cases[] = {
        {"@paragraph\nHello {{customer.name}", "t.tmpl:2:7: tag is not closed on its line (expected \"}}\")"},
        {"@paragraf\n", "t.tmpl:1:2: unknown directive @paragraf (expected one of: locales, date, footer, heading, "
                        "letterhead, list, paragraph, paragraphs, recipient, reference, signature, subject; write @@ for a literal @)"},
        {"@paragraph\n{{#if case.reference}}\nx\n", "t.tmpl:2:1: {{#if}} is never closed (expected {{/if}})"},
        {"{{#each a}}{{/if}}", "t.tmpl:1:12: {{/if}} does not match {{#each}} opened at 1:1"},
        {"x {{/each}}", "t.tmpl:1:3: {{/each}} closes nothing"},
        {"  {{#loop x}}", "t.tmpl:1:6: unknown section {{#loop}} (expected if, unless or each)"},
        {"{{> nothere}}", "t.tmpl:1:1: no partial named \"nothere\" (expected templates/partials/nothere.tmpl)"},
        {"{{> loop}}", "partials/loop.tmpl:1:1: partials nested deeper than 8 (a partial including itself?)"},
        {"{{t}}", "t.tmpl:1:4: expected a message id after t, e.g. {{t ack.heading}}"},
        {"{{t a.b name}}", "t.tmpl:1:9: expected name=field or name=\"text\" after the message id"},
        {"{{a..b}}", "t.tmpl:1:3: expected a field such as case.reference, found \"a..b\""},
        {"{{a b}}", "t.tmpl:1:5: expected one field such as {{case.reference}}, or {{t message.id name=field}}"},
        {"{{}}", "t.tmpl:1:1: empty tag {{}} (expected a field, a message or a section)"},
        {"a }} b", "t.tmpl:1:3: \"}}\" without an opening \"{{\" (write {{\"}}\"}} for a literal)"},
        {"{{else}}", "t.tmpl:1:1: {{else}} outside {{#if}} or {{#unless}}, or a second {{else}}"},
        {"@paragraph extra\n", "t.tmpl:1:12: unexpected text after @paragraph (a block directive stands alone on its line)"},
        {"{{\"open}}", "t.tmpl:1:3: string is not closed (expected a closing \")"},
        {"@heading\n@locales en-GB\n", "t.tmpl:2:1: @locales must come before every block, outside sections and partials"},
    };
    for (const auto& c : cases) EXPECT_EQ(errorOf(c.text), c.error) << c.text;
}

TEST(TemplateParser, BuildsTheTree) {
    auto t = parseTemplate("t",
                           "@locales en-GB\n@paragraph\nHi {{customer.name}}!\n{{#if case.channel == \"letter\"}}L{{else}}E{{/if}}\n"
                           "{{#each xs as x}}{{x.a}}{{/each}}{{t m.id a=case.reference b=\"lit\" c=3 locale=ur}}{{> sig}}"
                           "{{\"{{\"}}@@\n@@x\n",
                           "t.tmpl", partials());
    ASSERT_EQ(t.locales, std::vector<std::string>{"en-GB"});
    const auto& n = t.nodes;
    ASSERT_GE(n.size(), 9u);
    EXPECT_EQ(n[0].type, TemplateNode::Type::Block);
    EXPECT_EQ(n[0].text, "paragraph");
    EXPECT_EQ(n[1].text, "Hi ");
    EXPECT_EQ(n[2].type, TemplateNode::Type::Field);
    EXPECT_EQ(n[2].path, (std::vector<std::string>{"customer", "name"}));
    EXPECT_EQ(n[3].text, "!");
    EXPECT_EQ(n[5].type, TemplateNode::Type::If);
    EXPECT_EQ(n[5].test, TemplateNode::Test::Equal);
    EXPECT_EQ(n[5].operand, "letter");
    EXPECT_EQ(n[5].children[0].text, "L");
    EXPECT_EQ(n[5].otherwise[0].text, "E");
    EXPECT_EQ(n[7].type, TemplateNode::Type::Each);
    EXPECT_EQ(n[7].alias, "x");
    EXPECT_EQ(n[8].type, TemplateNode::Type::Message);
    EXPECT_EQ(n[8].locale, "ur");
    ASSERT_EQ(n[8].args.size(), 3u);
    EXPECT_TRUE(n[8].args[1].isLiteral);
    EXPECT_TRUE(n[8].args[2].isNumber);
    EXPECT_EQ(t.messages.at("m.id"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(n[9].type, TemplateNode::Type::Block);  // from the partial
    EXPECT_EQ(n[9].file, "partials/sig.tmpl");
    // {{"{{"}} and a leading @@ are literal text; a later @@ is just text.
    std::string tail;
    for (std::size_t i = 10; i < n.size(); ++i)
        if (n[i].type == TemplateNode::Type::Text) tail += n[i].text;
    EXPECT_EQ(tail, "{{@@@x");
}

TEST(TemplateParser, AFieldMayBeMarkedAsOneThatMayBeEmpty) {
    auto t = parseTemplate("t", "@paragraph\n{{customer.email?}} {{t contact.direct phone=officer.phone? email=x}}\n", "t.tmpl",
                           partials());
    ASSERT_GE(t.nodes.size(), 2u);
    bool field = false, arg = false;
    for (const auto& n : t.nodes) {
        if (n.type == TemplateNode::Type::Field) field = n.optional && n.path == std::vector<std::string>{"customer", "email"};
        if (n.type == TemplateNode::Type::Message)
            for (const auto& a : n.args) if (a.name == "phone") arg = a.optional;
    }
    EXPECT_TRUE(field);
    EXPECT_TRUE(arg);
    // Only where a value is printed: not on a section.
    EXPECT_THROW(parseTemplate("t", "{{#if customer.email?}}x{{/if}}\n", "t.tmpl", partials()), InputError);
}

TEST(TemplateParser, LimitsAreEnforced) {
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "{{#if a}}";
    EXPECT_EQ(errorOf(deep), "t.tmpl:1:289: sections nested deeper than 32");
    EXPECT_EQ(errorOf("{{" + std::string(1100, 'a') + "}}"), "t.tmpl:1:1: tag longer than 1024 bytes");
}

}  // namespace
