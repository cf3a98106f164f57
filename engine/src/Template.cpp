// Template: the parser for templates/*.tmpl and the library that loads them.
// Syntax in Template.h and docs/templates.md. Errors name file:line:column.
#include "duly/engine/Template.h"

#include "duly/engine/InputError.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace duly::engine {
namespace {

constexpr std::size_t kMaxFileBytes = 256 * 1024;
constexpr std::size_t kMaxTagBytes = 1024;
constexpr std::size_t kMaxNesting = 32;
constexpr int kMaxPartialDepth = 8;

const std::set<std::string, std::less<>> kBlockNames = {
    "letterhead", "recipient", "date",      "reference", "heading", "paragraph",
    "paragraphs", "list",      "signature", "footer",    "subject"};

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

bool validPath(std::string_view p) {
    if (p == ".") return true;
    if (p.empty() || p.front() == '.' || p.back() == '.' || p.find("..") != std::string_view::npos) return false;
    return std::all_of(p.begin(), p.end(), isWordChar);
}

bool validArgName(std::string_view n) {
    if (n.empty() || (n[0] >= '0' && n[0] <= '9')) return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool validName(std::string_view n) {
    return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

std::vector<std::string> splitPath(std::string_view p) {
    std::vector<std::string> out;
    if (p == ".") return {"."};
    std::size_t start = 0;
    while (true) {
        auto dot = p.find('.', start);
        out.emplace_back(p.substr(start, dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return out;
}


struct Token {
    enum class Kind { Word, String, Eq, EqEq, NotEq } kind;
    std::string text;
    int column;  // within the line
    bool optional = false;  // a Word written with a trailing "?": may be empty
};

class Parser {
public:
    Parser(std::string_view text, std::string file, const PartialSource& partials, int depth, Template& tpl)
        : _text(text), _file(std::move(file)), _partials(partials), _depth(depth), _tpl(tpl) {}

    void parse(std::vector<TemplateNode>& root) {
        _root = &root;
        if (_text.size() > kMaxFileBytes)
            fail(1, 1, "file is larger than " + std::to_string(kMaxFileBytes) + " bytes");
        bool lineStart = true;
        while (_pos < _text.size()) {
            char c = _text[_pos];
            if (lineStart && c == '@') {
                if (_pos + 1 < _text.size() && _text[_pos + 1] == '@') {
                    addText("@");
                    advance(2);
                    lineStart = false;
                    continue;
                }
                directive();
                continue;  // directive() consumed its line and newline
            }
            lineStart = false;
            if (c == '{' && _text.compare(_pos, 2, "{{") == 0) {
                tag();
            } else if (c == '\n') {
                TemplateNode n = node(TemplateNode::Type::Newline);
                target().push_back(std::move(n));
                ++_pos;
                ++_line;
                _col = 1;
                lineStart = true;
            } else {
                std::size_t end = _pos;
                while (end < _text.size() && _text[end] != '\n' && _text.compare(end, 2, "{{") != 0) ++end;
                std::string_view chunk = _text.substr(_pos, end - _pos);
                if (!chunk.empty() && chunk.back() == '\r' && (end == _text.size() || _text[end] == '\n'))
                    chunk.remove_suffix(1);
                if (chunk.find("}}") != std::string_view::npos)
                    fail(_line, _col + columns(_text.substr(_pos, chunk.find("}}"))),
                         "\"}}\" without an opening \"{{\" (write {{\"}}\"}} for a literal)");
                addText(chunk);
                advance(end - _pos);
            }
        }
        if (!_stack.empty()) {
            const auto& o = _stack.back();
            fail(o.line, o.column, "{{#" + o.tag + "}} is never closed (expected {{/" + o.tag + "}})");
        }
    }

private:
    struct Open {
        TemplateNode* node;
        std::string tag;
        int line, column;
        bool inElse;
    };

    [[noreturn]] void fail(int line, int column, const std::string& what) const {
        throw InputError(_file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
    }

    static int columns(std::string_view s) {
        int n = 0;
        for (char c : s)
            if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
        return n;
    }

    void advance(std::size_t bytes) {
        _col += columns(_text.substr(_pos, bytes));
        _pos += bytes;
    }

    TemplateNode node(TemplateNode::Type type) const {
        TemplateNode n;
        n.type = type;
        n.file = _file;
        n.line = _line;
        n.column = _col;
        return n;
    }

    std::vector<TemplateNode>& target() {
        if (_stack.empty()) return *_root;
        auto& o = _stack.back();
        return o.inElse ? o.node->otherwise : o.node->children;
    }

    void addText(std::string_view text) {
        if (text.empty()) return;
        auto& t = target();
        if (!t.empty() && t.back().type == TemplateNode::Type::Text) {
            t.back().text += text;
            return;
        }
        TemplateNode n = node(TemplateNode::Type::Text);
        n.text = std::string(text);
        t.push_back(std::move(n));
    }

    void directive() {
        std::size_t end = _text.find('\n', _pos);
        if (end == std::string_view::npos) end = _text.size();
        std::string_view lineText = _text.substr(_pos + 1, end - _pos - 1);
        if (!lineText.empty() && lineText.back() == '\r') lineText.remove_suffix(1);
        std::size_t w = 0;
        while (w < lineText.size() && (isWordChar(lineText[w]) && lineText[w] != '.')) ++w;
        std::string word(lineText.substr(0, w));
        std::string_view rest = lineText.substr(w);
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
        if (word == "locales") {
            if (_depth > 0 || !_stack.empty() || _sawBlock)
                fail(_line, 1, "@locales must come before every block, outside sections and partials");
            std::istringstream in{std::string(rest)};
            std::string tag;
            while (in >> tag) _tpl.locales.push_back(tag);
            if (_tpl.locales.empty()) fail(_line, 9, "@locales needs at least one locale tag, e.g. @locales en-GB");
        } else if (kBlockNames.count(word)) {
            if (!rest.empty())
                fail(_line, 2 + columns(lineText.substr(0, static_cast<std::size_t>(rest.data() - lineText.data()))),
                     "unexpected text after @" + word + " (a block directive stands alone on its line)");
            TemplateNode n = node(TemplateNode::Type::Block);
            n.text = word;
            n.operand = _file + ":" + std::to_string(_line);  // the Block's source
            target().push_back(std::move(n));
            _sawBlock = true;
        } else {
            std::string names;
            for (const auto& b : kBlockNames) names += (names.empty() ? "" : ", ") + b;
            fail(_line, 2, "unknown directive @" + word + " (expected one of: locales, " + names +
                               "; write @@ for a literal @)");
        }
        _pos = end < _text.size() ? end + 1 : end;
        ++_line;
        _col = 1;
    }

    std::vector<Token> lex(std::string_view content, int baseColumn) {
        std::vector<Token> out;
        std::size_t i = 0;
        while (i < content.size()) {
            char c = content[i];
            int col = baseColumn + columns(content.substr(0, i));
            if (c == ' ' || c == '\t') {
                ++i;
            } else if (c == '"') {
                std::string s;
                ++i;
                bool closed = false;
                while (i < content.size()) {
                    if (content[i] == '\\' && i + 1 < content.size()) {
                        s += content[i + 1];
                        i += 2;
                    } else if (content[i] == '"') {
                        closed = true;
                        ++i;
                        break;
                    } else {
                        s += content[i++];
                    }
                }
                if (!closed) fail(_line, col, "string is not closed (expected a closing \")");
                out.push_back({Token::Kind::String, s, col});
            } else if (c == '=' && i + 1 < content.size() && content[i + 1] == '=') {
                out.push_back({Token::Kind::EqEq, "==", col});
                i += 2;
            } else if (c == '!' && i + 1 < content.size() && content[i + 1] == '=') {
                out.push_back({Token::Kind::NotEq, "!=", col});
                i += 2;
            } else if (c == '=') {
                out.push_back({Token::Kind::Eq, "=", col});
                ++i;
            } else if (isWordChar(c)) {
                std::size_t j = i;
                while (j < content.size() && isWordChar(content[j])) ++j;
                out.push_back({Token::Kind::Word, std::string(content.substr(i, j - i)), col});
                if (j < content.size() && content[j] == '?') {
                    out.back().optional = true;
                    ++j;
                }
                i = j;
            } else {
                fail(_line, col, std::string("unexpected character '") + c + "' in tag");
            }
        }
        return out;
    }

    std::vector<std::string> pathAt(const Token& t, bool optionalAllowed = false) {
        if (t.kind != Token::Kind::Word || !validPath(t.text))
            fail(_line, t.column, "expected a field such as case.reference, found \"" + t.text + "\"");
        if (t.optional && !optionalAllowed)
            fail(_line, t.column, "\"?\" (may be empty) is for a field printed or passed to a message, not here");
        return splitPath(t.text);
    }

    void push(TemplateNode n, const std::string& tagName, int column) {
        if (_stack.size() >= kMaxNesting)
            fail(_line, column, "sections nested deeper than " + std::to_string(kMaxNesting));
        auto& t = target();
        t.push_back(std::move(n));
        _stack.push_back({&t.back(), tagName, _line, column, false});
    }

    void tag() {
        int tagLine = _line, tagCol = _col;
        std::size_t close = _text.find("}}", _pos + 2);
        std::size_t nl = _text.find('\n', _pos);
        if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close))
            fail(tagLine, tagCol, "tag is not closed on its line (expected \"}}\")");
        if (close - _pos > kMaxTagBytes) fail(tagLine, tagCol, "tag longer than " + std::to_string(kMaxTagBytes) + " bytes");
        std::string_view content = _text.substr(_pos + 2, close - _pos - 2);
        int contentCol = tagCol + 2;
        advance(close + 2 - _pos);
        std::size_t lead = 0;
        while (lead < content.size() && content[lead] == ' ') ++lead;
        content.remove_prefix(lead);
        contentCol += static_cast<int>(lead);
        if (content.empty()) fail(tagLine, tagCol, "empty tag {{}} (expected a field, a message or a section)");
        char first = content[0];
        if (first == '!') return;  // comment
        if (first == '#' || first == '/' || first == '>') {
            auto toks = lex(content.substr(1), contentCol + 1);
            if (toks.empty() || toks[0].kind != Token::Kind::Word)
                fail(tagLine, contentCol + 1, std::string("expected a name after \"") + first + "\"");
            const std::string& kw = toks[0].text;
            if (first == '>') {
                if (toks.size() != 1 || !validName(kw))
                    fail(tagLine, contentCol, "expected {{> partial-name}} with a lower-case name");
                includePartial(kw, tagLine, tagCol);
                return;
            }
            if (first == '/') {
                if (_stack.empty()) fail(tagLine, tagCol, "{{/" + kw + "}} closes nothing");
                if (_stack.back().tag != kw)
                    fail(tagLine, tagCol, "{{/" + kw + "}} does not match {{#" + _stack.back().tag + "}} opened at " +
                                              std::to_string(_stack.back().line) + ":" +
                                              std::to_string(_stack.back().column));
                if (toks.size() != 1) fail(tagLine, toks[1].column, "unexpected text after {{/" + kw + "}}");
                _stack.pop_back();
                return;
            }
            if (kw == "if" || kw == "unless") {
                if (toks.size() < 2) fail(tagLine, contentCol, "{{#" + kw + "}} needs a field, e.g. {{#" + kw + " holding.reason}}");
                TemplateNode n = node(TemplateNode::Type::If);
                n.line = tagLine;
                n.column = tagCol;
                n.negate = kw == "unless";
                n.path = pathAt(toks[1]);
                if (toks.size() == 4 && kw == "if" &&
                    (toks[2].kind == Token::Kind::EqEq || toks[2].kind == Token::Kind::NotEq) &&
                    toks[3].kind == Token::Kind::String) {
                    n.test = toks[2].kind == Token::Kind::EqEq ? TemplateNode::Test::Equal : TemplateNode::Test::NotEqual;
                    n.operand = toks[3].text;
                } else if (toks.size() != 2) {
                    fail(tagLine, toks[2].column,
                         "expected {{#if field}} or {{#if field == \"text\"}} (or !=)");
                }
                push(std::move(n), kw, tagCol);
                return;
            }
            if (kw == "each") {
                TemplateNode n = node(TemplateNode::Type::Each);
                n.line = tagLine;
                n.column = tagCol;
                if (toks.size() < 2) fail(tagLine, contentCol, "{{#each}} needs a list, e.g. {{#each digest.overdue as c}}");
                n.path = pathAt(toks[1]);
                n.alias = "item";
                if (toks.size() == 4 && toks[2].kind == Token::Kind::Word && toks[2].text == "as" &&
                    toks[3].kind == Token::Kind::Word && validArgName(toks[3].text)) {
                    n.alias = toks[3].text;
                } else if (toks.size() != 2) {
                    fail(tagLine, toks[2].column, "expected {{#each list}} or {{#each list as name}}");
                }
                push(std::move(n), kw, tagCol);
                return;
            }
            fail(tagLine, contentCol + 1, "unknown section {{#" + kw + "}} (expected if, unless or each)");
        }
        auto toks = lex(content, contentCol);
        if (toks.size() == 1 && toks[0].kind == Token::Kind::String) {
            addText(toks[0].text);
            return;
        }
        if (toks.size() == 1 && toks[0].kind == Token::Kind::Word && toks[0].text == "else") {
            if (_stack.empty() || _stack.back().tag == "each" || _stack.back().inElse)
                fail(tagLine, tagCol, "{{else}} outside {{#if}} or {{#unless}}, or a second {{else}}");
            _stack.back().inElse = true;
            return;
        }
        if (toks[0].kind == Token::Kind::Word && toks[0].text == "t") {
            message(toks, tagLine, tagCol);
            return;
        }
        if (toks.size() != 1)
            fail(tagLine, toks.size() > 1 ? toks[1].column : contentCol,
                 "expected one field such as {{case.reference}}, or {{t message.id name=field}}");
        TemplateNode n = node(TemplateNode::Type::Field);
        n.line = tagLine;
        n.column = tagCol;
        n.path = pathAt(toks[0], true);
        n.optional = toks[0].optional;
        target().push_back(std::move(n));
    }

    void message(const std::vector<Token>& toks, int tagLine, int tagCol) {
        if (toks.size() < 2 || toks[1].kind != Token::Kind::Word || !validPath(toks[1].text) || toks[1].text == ".")
            fail(tagLine, toks.size() > 1 ? toks[1].column : tagCol + 3,
                 "expected a message id after t, e.g. {{t ack.heading}}");
        TemplateNode n = node(TemplateNode::Type::Message);
        n.line = tagLine;
        n.column = tagCol;
        n.messageId = toks[1].text;
        std::set<std::string> seen;
        for (std::size_t i = 2; i < toks.size(); i += 3) {
            if (i + 2 >= toks.size() || toks[i].kind != Token::Kind::Word || toks[i + 1].kind != Token::Kind::Eq ||
                (toks[i + 2].kind != Token::Kind::Word && toks[i + 2].kind != Token::Kind::String))
                fail(tagLine, toks[i].column, "expected name=field or name=\"text\" after the message id");
            const std::string& name = toks[i].text;
            if (name == "locale") {
                n.locale = toks[i + 2].text;
                continue;
            }
            if (!validArgName(name))
                fail(tagLine, toks[i].column, "argument name \"" + name + "\" must be letters, digits and _");
            if (!seen.insert(name).second) fail(tagLine, toks[i].column, "argument " + name + " given twice");
            TemplateArg a;
            a.name = name;
            const auto& v = toks[i + 2];
            if (v.kind == Token::Kind::String) {
                a.isLiteral = true;
                a.literal = v.text;
            } else if (!v.text.empty() && std::all_of(v.text.begin(), v.text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                if (v.text.size() > 15) fail(tagLine, v.column, "number too large");
                a.isLiteral = a.isNumber = true;
                a.literal = v.text;
            } else {
                a.path = pathAt(v, true);
                a.optional = v.optional;
            }
            n.args.push_back(std::move(a));
        }
        auto& names = _tpl.messages[n.messageId];
        for (const auto& a : n.args)
            if (std::find(names.begin(), names.end(), a.name) == names.end()) names.push_back(a.name);
        std::sort(names.begin(), names.end());
        target().push_back(std::move(n));
    }

    void includePartial(const std::string& name, int tagLine, int tagCol) {
        if (_depth + 1 > kMaxPartialDepth)
            fail(tagLine, tagCol, "partials nested deeper than " + std::to_string(kMaxPartialDepth) + " (a partial including itself?)");
        std::string text, file;
        if (!_partials || !_partials(name, text, file))
            fail(tagLine, tagCol, "no partial named \"" + name + "\" (expected templates/partials/" + name + ".tmpl)");
        Parser sub(text, file, _partials, _depth + 1, _tpl);
        sub.parse(target());
    }

    std::string_view _text;
    std::string _file;
    const PartialSource& _partials;
    int _depth;
    Template& _tpl;
    std::vector<TemplateNode>* _root = nullptr;
    std::vector<Open> _stack;
    std::size_t _pos = 0;
    int _line = 1;
    int _col = 1;
    bool _sawBlock = false;
};

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot be read");
    std::string text;
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxFileBytes)
            throw InputError(path.string() + ": larger than " + std::to_string(kMaxFileBytes) + " bytes");
    }
    return text;
}

}  // namespace

Template parseTemplate(std::string_view name, std::string_view text, const std::string& file,
                       const PartialSource& partials) {
    Template tpl;
    tpl.name = std::string(name);
    tpl.file = file;
    Parser p(text, file, partials, 0, tpl);
    p.parse(tpl.nodes);
    return tpl;
}

Template loadTemplateFile(const std::filesystem::path& file, const std::filesystem::path& partialsDir,
                          const std::filesystem::path& displayRoot) {
    auto display = [&](const std::filesystem::path& p) {
        if (displayRoot.empty()) return p.string();
        auto r = p.lexically_relative(displayRoot);
        return r.empty() || r.string().starts_with("..") ? p.string() : r.string();
    };
    std::string text = readFile(file);
    PartialSource partials = [&](std::string_view name, std::string& out, std::string& outFile) {
        auto p = partialsDir / (std::string(name) + ".tmpl");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(p, ec)) return false;
        out = readFile(p);
        outFile = display(p);
        return true;
    };
    return parseTemplate(file.stem().string(), text, display(file), partials);
}

TemplateLibrary TemplateLibrary::load(const std::filesystem::path& dir) {
    TemplateLibrary lib;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) throw InputError(dir.string() + ": template folder not found");
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".tmpl" || !entry.is_regular_file()) continue;
        std::string name = entry.path().stem().string();
        try {
            lib._templates[name] = std::make_shared<const Template>(loadTemplateFile(entry.path(), dir / "partials", dir.parent_path()));
            lib._errors[name] = "";
        } catch (const InputError& e) {
            lib._errors[name] = e.what();
        }
    }
    return lib;
}

const Template& TemplateLibrary::get(std::string_view name) const {
    if (auto it = _templates.find(name); it != _templates.end()) return *it->second;
    if (auto it = _errors.find(name); it != _errors.end()) throw InputError(it->second);
    std::string names;
    for (const auto& [n, _] : _errors) names += (names.empty() ? "" : ", ") + n;
    throw InputError("no template named \"" + std::string(name) + "\" (templates: " + names + ")");
}

std::vector<std::string> TemplateLibrary::names() const {
    std::vector<std::string> out;
    for (const auto& [n, _] : _errors) out.push_back(n);
    return out;
}

const std::vector<std::string>& documentKinds() {
    static const std::vector<std::string> kinds = {
        "acknowledgement",    "holding-reply",     "complaint-stage-1-acknowledgement",
        "complaint-stage-1-extension", "complaint-stage-2-acknowledgement", "complaint-stage-2-extension",
        "reply",              "pause-notice",      "resume-notice",     "missed-calls",
        "complaint-refusal-to-escalate", "officer-digest"};
    return kinds;
}

}  // namespace duly::engine
