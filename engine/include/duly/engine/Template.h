// Template: one document kind's layout, parsed from templates/NAME.tmpl into
// a tree the Renderer walks. The syntax (docs/templates.md) is meant for
// communications staff:
//   @paragraph               a line starting with @ begins a block (heading,
//                            paragraph, paragraphs, list, letterhead,
//                            recipient, date, reference, signature, footer,
//                            subject); "@@" at a line start is a literal "@"
//   @locales en-GB           (first directive only) the locales it exists in
//   {{case.reference}}       a field from the context; rendering stops with
//                            an error when it is empty, unless written
//                            {{customer.email?}} (may be empty); the same
//                            for a message argument: phone=officer.phone?
//   {{t ack.heading channel=case.channel_key}}   a message from locales/,
//                            with its arguments; locale=TAG picks a locale
//   {{#if path}} {{else}} {{/if}}, {{#if path == "letter"}}, {{#unless path}}
//   {{#each path as item}} … {{item.name}} … {{/each}}
//   {{> letterhead}}         the partial templates/partials/letterhead.tmpl
//   {{! a comment }}         {{"{{"}} prints a literal "{{"
// Parsing is bounded (file size, tag length, nesting and partial depth) and
// every error is an InputError "FILE:LINE:COLUMN: what, expected what".
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace duly::engine {

struct TemplateArg {
    std::string name;                  // ICU argument name
    std::vector<std::string> path;     // value from the context, or
    std::string literal;               // a quoted literal / number
    bool isLiteral = false;
    bool isNumber = false;
    bool optional = false;             // written path?: may be empty
};

struct TemplateNode {
    enum class Type { Text, Field, Message, Block, If, Each, Newline };
    Type type = Type::Text;
    std::string text;                  // Text: the text; Block: kind name
    std::vector<std::string> path;     // Field, If, Each
    bool optional = false;             // Field written {{path?}}: may be empty
    std::string messageId;             // Message
    std::string locale;                // Message: locale=TAG, or empty
    std::vector<TemplateArg> args;     // Message
    enum class Test { Truthy, Equal, NotEqual } test = Test::Truthy;  // If
    bool negate = false;               // If: {{#unless}}
    std::string operand;               // If: the literal compared with; Block: "file:line"
    std::string alias;                 // Each: the item's name
    std::vector<TemplateNode> children;
    std::vector<TemplateNode> otherwise;  // If: the {{else}} part
    std::string file;                  // where it was written
    int line = 0;
    int column = 0;
};

struct Template {
    std::string name;                  // "acknowledgement"
    std::filesystem::path file;        // templates/acknowledgement.tmpl
    std::vector<std::string> locales;  // from @locales; empty: every locale
    std::vector<TemplateNode> nodes;
    // Every message id the template (with its partials) uses, with the
    // argument names passed to it, for `templates check`.
    std::map<std::string, std::vector<std::string>> messages;
};

// Finds a partial's text and the file name to report: returns false when
// there is no such partial.
using PartialSource = std::function<bool(std::string_view name, std::string& text, std::string& file)>;

// Parses `text` read from `file` (the name used in error messages). Throws
// InputError "file:line:column: message" on a syntax error, an unknown
// directive or tag, an unclosed section, a missing partial, or a limit.
Template parseTemplate(std::string_view name, std::string_view text, const std::string& file,
                       const PartialSource& partials);

// The templates of a home folder: templates/*.tmpl, with partials in
// templates/partials/. Every template is parsed when the library is loaded;
// one that does not parse is kept as its error so the others still work.
class TemplateLibrary {
public:
    // Throws InputError when `dir` does not exist.
    static TemplateLibrary load(const std::filesystem::path& dir);

    // The parsed template; throws InputError naming the template and the
    // known names when it does not exist, or its parse error.
    const Template& get(std::string_view name) const;

    // Every template name and its parse error ("" when it parsed).
    const std::map<std::string, std::string, std::less<>>& errors() const { return _errors; }
    std::vector<std::string> names() const;

private:
    std::map<std::string, std::shared_ptr<const Template>, std::less<>> _templates;
    std::map<std::string, std::string, std::less<>> _errors;
};

// Loads one template file (and its partials from `partialsDir`). Error
// messages and block sources name files relative to `displayRoot` when it
// is given ("templates/reply.tmpl:3:1"), else as given.
Template loadTemplateFile(const std::filesystem::path& file, const std::filesystem::path& partialsDir,
                          const std::filesystem::path& displayRoot = {});

// The template names of issue 3, in the order `duly render --help` lists them.
const std::vector<std::string>& documentKinds();

}  // namespace duly::engine
