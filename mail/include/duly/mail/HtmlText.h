// HtmlText: an HTML mail body → readable plain text for officers and for
// Intake's reference and language checks. Block elements (p, div, br, li,
// tr, headings, blockquote…) become line breaks, list items "- ", table
// cells a tab; script, style, head and comments are dropped; character
// references (named, decimal, hex) are decoded; white space is collapsed
// except inside <pre>. Input is UTF-8; output is UTF-8. Not a validating
// parser: any byte sequence gives some text, in time linear in the input.
#pragma once

#include <string>
#include <string_view>

namespace duly::mail {

std::string htmlToText(std::string_view html);

}  // namespace duly::mail
