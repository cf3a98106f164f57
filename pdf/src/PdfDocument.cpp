// PdfDocument: PDF objects, cross-reference table and trailer; font subsets
// (hb-subset) embedded as Type 0 fonts; the content streams of the pages;
// the text layer's ToUnicode map; PNG images. Owns the pages and images
// handed to it. Fails with InputError when hb-subset cannot cut a font
// (naming the font file) or an image cannot be read.
#include "duly/pdf/PdfDocument.h"

#include "duly/engine/InputError.h"

#include <hb-subset.h>
#include <hb.h>
#include <openssl/evp.h>
#include <libdeflate.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace duly::pdf {

using engine::InputError;

namespace {

// Deflated in zlib's format (FlateDecode) by libdeflate: each letter's
// content stream is deflated anew, and zlib's compress2 at the same level
// took about a third of a letter's time. One compressor per level and thread.
std::string deflate(std::string_view data, int level = 6) {
    struct Compressors {
        libdeflate_compressor* byLevel[13] = {};
        ~Compressors() {
            for (auto* c : byLevel)
                if (c) libdeflate_free_compressor(c);
        }
    };
    thread_local Compressors compressors;
    libdeflate_compressor*& c = compressors.byLevel[std::clamp(level, 0, 12)];
    if (!c) c = libdeflate_alloc_compressor(std::clamp(level, 0, 12));
    if (!c) throw std::runtime_error("libdeflate could not make a compressor");
    std::string out(libdeflate_zlib_compress_bound(c, data.size()), '\0');
    const std::size_t n = libdeflate_zlib_compress(c, data.data(), data.size(), out.data(), out.size());
    if (n == 0) throw std::runtime_error("libdeflate could not compress a PDF stream");
    out.resize(n);
    return out;
}

// A print run's pages are deflated faster than a letter's own file: the
// print file goes to the printer and is not kept, and level 1 takes about
// a third of level 6's time for a file a little larger.
constexpr int kPrintRunLevel = 1;

// A number of hundredths as PDF writes it: at most 2 decimals, no exponent.
void cents(std::string& out, long long c) {
    if (c < 0) out += '-', c = -c;
    const long long whole = c / 100, frac = c % 100;
    char buf[24];
    int n = 0;
    long long w = whole;
    do buf[n++] = char('0' + w % 10), w /= 10;
    while (w);
    while (n) out += buf[--n];
    if (frac) {
        out += '.';
        out += char('0' + frac / 10);
        if (frac % 10) out += char('0' + frac % 10);
    }
}

// A number as PDF writes it: at most 2 decimals, no exponent.
void num(std::string& out, double v) { cents(out, std::llround(v * 100.0)); }

// Text positions within one BT … ET, written as moves (Td) from the last
// one rather than a whole matrix each (Tm): "1 0 0 1 468.95 779.15 Tm" is
// "99.1 -16.65 Td". Positions are kept in whole hundredths of a point, the
// precision they are written in, so the moves add up exactly to where a
// matrix would have put the text. (Horizontal scaling, Tz, does not apply
// to Td's operands.)
struct TextPen {
    long long x = 0, y = 0;  // BT starts the text line matrix at the origin
    void moveTo(std::string& out, double toX, double toY) {
        const long long cx = std::llround(toX * 100.0), cy = std::llround(toY * 100.0);
        cents(out, cx - x), out += ' ', cents(out, cy - y), out += " Td";
        x = cx, y = cy;
    }
};

constexpr char kHexDigits[] = "0123456789ABCDEF";

void appendHex4(std::string& out, unsigned v) {
    const char h[4] = {kHexDigits[(v >> 12) & 15], kHexDigits[(v >> 8) & 15], kHexDigits[(v >> 4) & 15], kHexDigits[v & 15]};
    out.append(h, 4);
}

std::string hex4(unsigned v) {
    std::string s;
    appendHex4(s, v);
    return s;
}

// A PDF text string: UTF-16BE with BOM, as hex.
std::string textString(const std::string& utf8) {
    std::string out = "<FEFF";
    std::size_t i = 0;
    while (i < utf8.size()) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        char32_t cp = 0xFFFD;
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + std::size_t(len) <= utf8.size()) {
            cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
            for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + std::size_t(k)]) & 0x3F);
        }
        i += std::size_t(len);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out += hex4(0xD800 + (cp >> 10)) + hex4(0xDC00 + (cp & 0x3FF));
        } else {
            out += hex4(unsigned(cp));
        }
    }
    return out + ">";
}

std::string utf16Hex(char32_t cp) {
    if (cp >= 0x10000) {
        cp -= 0x10000;
        return hex4(0xD800 + (cp >> 10)) + hex4(0xDC00 + (cp & 0x3FF));
    }
    return hex4(unsigned(cp));
}

std::string pdfName(const std::string& s) {
    std::string out = "/";
    for (char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '_')
            out += c;
        else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "#%02X", static_cast<unsigned char>(c));
            out += buf;
        }
    }
    return out;
}

class Objects {
public:
    int reserve() {
        _bodies.emplace_back();
        return int(_bodies.size());
    }
    void set(int id, std::string body) { _bodies[std::size_t(id - 1)] = std::move(body); }
    int add(std::string body) {
        int id = reserve();
        set(id, std::move(body));
        return id;
    }
    // Streams' bodies are put together in place: a letter's streams are
    // most of its bytes, and each copy of them showed in the profile.
    int deflated(const std::string& dict, std::string_view z) {
        std::string body;
        body.reserve(dict.size() + z.size() + 64);
        body.append("<<").append(dict).append(" /Filter /FlateDecode /Length ").append(std::to_string(z.size()));
        body.append(">>\nstream\n").append(z).append("\nendstream");
        return add(std::move(body));
    }
    int stream(const std::string& dict, std::string_view data, bool compress = true) {
        if (compress) return deflated(dict, deflate(data, 6));
        std::string body;
        body.reserve(dict.size() + data.size() + 64);
        body.append("<<").append(dict).append(" /Length ").append(std::to_string(data.size()));
        body.append(">>\nstream\n").append(data).append("\nendstream");
        return add(std::move(body));
    }
    std::string finish(int catalog, int info) const {
        std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
        std::size_t total = out.size() + 64 + 20 * _bodies.size();
        for (const auto& b : _bodies) total += b.size() + 32;
        out.reserve(total + 256);
        std::vector<std::size_t> offsets;
        for (std::size_t i = 0; i < _bodies.size(); ++i) {
            offsets.push_back(out.size());
            out.append(std::to_string(i + 1)).append(" 0 obj\n").append(_bodies[i]).append("\nendobj\n");
        }
        // A file identifier from the content, so equal letters are equal files.
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned mdLen = 0;
        EVP_Digest(out.data(), out.size(), md, &mdLen, EVP_sha256(), nullptr);
        std::string id = "<";
        for (unsigned i = 0; i < 16; ++i) {
            char b[3];
            std::snprintf(b, sizeof b, "%02X", md[i]);
            id += b;
        }
        id += ">";
        const std::size_t xref = out.size();
        out += "xref\n0 " + std::to_string(_bodies.size() + 1) + "\n0000000000 65535 f \n";
        char line[24];
        for (auto off : offsets) {
            std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
            out += line;
        }
        out += "trailer\n<< /Size " + std::to_string(_bodies.size() + 1) + " /Root " + std::to_string(catalog) +
               " 0 R /Info " + std::to_string(info) + " 0 R /ID [" + id + " " + id + "] >>\nstartxref\n" +
               std::to_string(xref) + "\n%%EOF\n";
        return out;
    }

private:
    std::vector<std::string> _bodies;
};

std::string toUnicodeCMap(const std::vector<std::pair<unsigned, std::u32string>>& map) {
    std::string s =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    for (std::size_t i = 0; i < map.size(); i += 100) {
        const std::size_t n = std::min<std::size_t>(100, map.size() - i);
        s += std::to_string(n) + " beginbfchar\n";
        for (std::size_t k = i; k < i + n; ++k) {
            s += "<" + hex4(map[k].first) + "> <";
            for (char32_t c : map[k].second) s += utf16Hex(c);
            s += ">\n";
        }
        s += "endbfchar\n";
    }
    s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return s;
}

// Six capital letters from the glyph set, as PDF names a subset.
std::string subsetTag(const std::set<std::uint32_t>& gids, int faceId) {
    std::uint64_t h = 1469598103934665603ull ^ std::uint64_t(faceId);
    for (auto g : gids) h = (h ^ g) * 1099511628211ull;
    std::string tag;
    for (int i = 0; i < 6; ++i) tag += char('A' + (h >> (i * 5)) % 26);
    return tag;
}

FontSubset subsetFont(const Face& face, const std::set<std::uint32_t>& gids, bool retainGids) {
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    if (!input) throw std::bad_alloc();
    hb_set_t* glyphs = hb_subset_input_glyph_set(input);
    hb_set_add(glyphs, 0);
    for (auto g : gids) hb_set_add(glyphs, g);
    hb_set_clear(hb_subset_input_unicode_set(input));
    hb_subset_input_set_flags(input, retainGids ? (HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_RETAIN_GIDS)
                                                : HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (hb_tag_t t : {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
                       HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('m', 'o', 'r', 'x'),
                       HB_TAG('k', 'e', 'r', 'n'), HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'),
                       HB_TAG('E', 'B', 'S', 'C'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('v', 'h', 'e', 'a'),
                       HB_TAG('v', 'm', 't', 'x'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
                       HB_TAG('V', 'D', 'M', 'X'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('M', 'A', 'T', 'H'),
                       HB_TAG('S', 'T', 'A', 'T'), HB_TAG('f', 'v', 'a', 'r'), HB_TAG('g', 'v', 'a', 'r'),
                       HB_TAG('a', 'v', 'a', 'r'), HB_TAG('H', 'V', 'A', 'R'), HB_TAG('p', 'o', 's', 't')})
        hb_set_add(drop, t);
    hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(FontSet::subsetSourceOf(face), input);
    hb_subset_input_destroy(input);
    if (!plan) throw InputError(face.file.path.string() + ": hb-subset cannot cut this font down");
    FontSubset s;
    const hb_map_t* map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (auto g : gids) {
        hb_codepoint_t n = hb_map_get(map, g);
        if (n != HB_MAP_VALUE_INVALID) s.newGid[g] = retainGids ? g : n;
    }
    s.newGid[0] = 0;
    hb_face_t* result = hb_subset_plan_execute_or_fail(plan);
    hb_subset_plan_destroy(plan);
    if (!result) throw InputError(face.file.path.string() + ": hb-subset cannot cut this font down");
    hb_blob_t* blob = hb_face_reference_blob(result);
    unsigned len = 0;
    const char* data = hb_blob_get_data(blob, &len);
    s.length = len;
    s.deflated = deflate(std::string_view(data, len), 6);
    hb_blob_destroy(blob);
    hb_face_destroy(result);
    return s;
}

double units(const Face& f, int v) { return v * 1000.0 / f.unitsPerEm; }

}  // namespace

int PdfDocument::addImage(Image image) {
    _images.push_back(std::move(image));
    return int(_images.size()) - 1;
}

int PdfDocument::addImage(const std::filesystem::path& file, const Image& image) {
    const auto [at, added] = _imageFiles.emplace(file, 0);
    if (added) at->second = addImage(image);
    return at->second;
}

void PdfDocument::note(const PageContent& page) {
    for (const auto& r : page.runs) {
        const Face* f = r.run.face->regular;
        auto& u = _used[f->id];
        if (u.resource.empty()) u.face = f, u.resource = "F" + std::to_string(_used.size() - 1);
        // Most glyphs were seen before: a bit per glyph id answers that
        // without a search of the set.
        for (const auto& g : r.run.glyphs) {
            if (g.gid >= u.seen.size()) u.seen.resize(std::max<std::size_t>(g.gid + 1, u.seen.size() * 2), false);
            if (u.seen[g.gid]) continue;
            u.seen[g.gid] = true;
            u.gids.insert(g.gid);
        }
    }
    for (const auto& w : page.words)
        for (const auto& word : w.words)
            for (char32_t c : word.text) _textCid.try_emplace(c, unsigned(_textCid.size() + 1));
    // The text layer's font file is the Latin face's subset (its glyphs are
    // never shown: render mode 3), so that face is always embedded with it.
    if (!_textCid.empty()) {
        const Face& latin = _fonts.face(FontScript::Latin, false);
        auto& u = _used[latin.id];
        if (u.resource.empty()) u.face = &latin, u.resource = "F" + std::to_string(_used.size() - 1);
    }
}

int PdfDocument::addElement(StructElement element) {
    _elements.push_back(std::move(element));
    return int(_elements.size()) - 1;
}

namespace {

// A literal string when `s` is plain ASCII (structure types' titles and
// language tags, so tools print them as they are), else textString's UTF-16.
std::string plainString(const std::string& s) {
    for (char c : s)
        if (c < 0x20 || c > 0x7E || c == '(' || c == ')' || c == '\\') return textString(s);
    return "(" + s + ")";
}

// The structure element of each marked-content id on a page: images with an
// element first, then words with one, in the order content() writes them.
std::vector<int> marksOf(const PageContent& page) {
    std::vector<int> out;
    for (const auto& im : page.images)
        if (im.element >= 0) out.push_back(im.element);
    for (const auto& w : page.words)
        if (w.element >= 0) out.push_back(w.element);
    return out;
}

}  // namespace

void PdfDocument::addPage(PageContent page) {
    note(page);
    if (_printRun) _written.push_back(deflate(content(page, nullptr), kPrintRunLevel));
    else _pages.push_back(std::move(page));
}

std::string PdfDocument::content(const PageContent& page,
                                 const std::map<int, const std::map<std::uint32_t, std::uint32_t>*>* remap) const {
    std::string c;
    c.reserve(8192);
    int mcid = 0;
    for (const auto& im : page.images) {
        if (_tagged) c += im.element >= 0 ? "/Figure << /MCID " + std::to_string(mcid++) + " >> BDC " : "/Artifact BMC ";
        c += "q ";
        num(c, im.width), c += " 0 0 ", num(c, im.height), c += ' ', num(c, im.x), c += ' ', num(c, im.y);
        c += " cm /Im" + std::to_string(im.image) + " Do Q";
        c += _tagged ? " EMC\n" : "\n";
    }
    if (_tagged) c += "/Artifact BMC\n";  // rules and the drawn glyphs: the text layer carries the words
    for (const auto& r : page.rules) {
        num(c, r.grey), c += " G ", num(c, r.width), c += " w ";
        if (r.box) {
            num(c, r.x0), c += ' ', num(c, r.y0), c += ' ', num(c, r.x1 - r.x0), c += ' ', num(c, r.y1 - r.y0);
            c += " re S\n";
        } else {
            num(c, r.x0), c += ' ', num(c, r.y0), c += " m ", num(c, r.x1), c += ' ', num(c, r.y1), c += " l S\n";
        }
    }
    // The visible glyphs: no text of their own (the text layer has it).
    c += "0 g 0 G /Span << /ActualText () >> BDC\nBT\n";
    int mode = 0;
    TextPen pen;
    const Used* font = nullptr;  // the font and size set last (Tf), kept across runs
    double fontSize = -1;
    for (const auto& pr : page.runs) {
        const Face& f = *pr.run.face;
        const Used& u = _used.at(f.regular->id);
        const std::map<std::uint32_t, std::uint32_t>* newGid = remap ? remap->at(f.regular->id) : nullptr;
        const double size = pr.run.size;
        const int wantMode = f.syntheticBold ? 2 : 0;
        if (wantMode != mode) {
            if (wantMode == 2) num(c, size * 0.035), c += " w ";
            c += std::to_string(wantMode) + " Tr ";
            mode = wantMode;
        }
        if (&u != font || size != fontSize) {
            c += "/" + u.resource + " ";
            num(c, size);
            c += " Tf\n";
            font = &u, fontSize = size;
        }
        // Glyphs that follow one another at their advance share one hex
        // string: a one-page letter's content is 25 KB before deflating, not 27.
        bool open = false, hex = false;
        double expectX = 0, curY = 1e30;
        for (const auto& g : pr.run.glyphs) {
            const double gx = pr.x + g.x, gy = pr.y + g.y;
            unsigned code = g.gid;
            if (newGid) {
                auto it = newGid->find(g.gid);
                code = it == newGid->end() ? 0 : it->second;
            }
            if (!open || std::fabs(gy - curY) > 0.001 || std::fabs(gx - expectX) > 100) {
                if (hex) c += '>', hex = false;
                if (open) c += "] TJ\n";
                pen.moveTo(c, gx, gy);
                c += " [";
                curY = gy;
                open = true;
            } else if (std::fabs(gx - expectX) > 0.005) {
                if (hex) c += '>', hex = false;
                num(c, (expectX - gx) * 1000.0 / size);
            }
            if (!hex) c += '<', hex = true;
            appendHex4(c, code);
            expectX = gx + f.advance(g.gid) * size / f.unitsPerEm;
        }
        if (hex) c += '>';
        if (open) c += "] TJ\n";
    }
    c += "ET\nEMC\n";
    if (_tagged) c += "EMC\n";
    // The text layer: each word's characters spread over its width.
    if (!page.words.empty()) {
        c += "BT 3 Tr\n";
        TextPen wordPen;
        for (const auto& pw : page.words) {
            if (_tagged && pw.element >= 0) {
                c += "/" + _elements[std::size_t(pw.element)].type + " << /MCID " + std::to_string(mcid++);
                if (!pw.lang.empty()) c += " /Lang " + textString(pw.lang);
                c += " >> BDC\n";
            } else if (_tagged) {
                c += "/Artifact BMC\n";
            } else if (!pw.lang.empty()) {
                c += "/Span << /Lang " + textString(pw.lang) + " >> BDC\n";
            }
            c += "/T ", num(c, pw.size), c += " Tf\n";
            for (const auto& w : pw.words) {
                const double natural = 0.5 * pw.size * double(w.text.size());
                num(c, 100.0 * (w.x1 - w.x0) / natural), c += " Tz ";
                wordPen.moveTo(c, pw.x + w.x0, pw.y);
                c += " <";
                for (char32_t ch : w.text) appendHex4(c, _textCid.at(ch));
                c += "> Tj\n";
            }
            if (_tagged || !pw.lang.empty()) c += "EMC\n";
        }
        c += "ET\n";
    }
    return c;
}

std::string PdfDocument::write(const DocumentInfo& info) const {
    Objects obj;
    const int catalog = obj.reserve();
    const int pagesRef = obj.reserve();

    // By face id: the subsets' own maps, not copies (kept alive by `subsets`).
    std::map<int, const std::map<std::uint32_t, std::uint32_t>*> remap;
    std::vector<std::shared_ptr<const FontSubset>> subsets;
    std::map<int, int> fontRefs;                                   // by face id
    int latinFileRef = 0;
    std::string latinTag;
    const Face& latin = _fonts.face(FontScript::Latin, false);
    for (const auto& [id, u] : _used) {
        const Face& f = *u.face;
        std::shared_ptr<const FontSubset> sub;
        if (_printRun) {
            sub = std::make_shared<const FontSubset>(subsetFont(f, u.gids, true));
        } else {
            const std::vector<std::uint32_t> gidList(u.gids.begin(), u.gids.end());
            sub = _fonts.subset(f, gidList, [&] { return subsetFont(f, u.gids, false); });
        }
        remap[id] = &sub->newGid;
        subsets.push_back(sub);
        const std::string name = subsetTag(u.gids, id) + "+" + f.postscriptName;
        const int fileRef = obj.deflated(" /Length1 " + std::to_string(sub->length), sub->deflated);
        if (id == latin.id) latinFileRef = fileRef, latinTag = subsetTag(u.gids, id);
        std::string d = "<< /Type /FontDescriptor /FontName " + pdfName(name) + " /Flags 4 /FontBBox [";
        num(d, units(f, f.bboxXMin)), d += ' ', num(d, units(f, f.bboxYMin)), d += ' ';
        num(d, units(f, f.bboxXMax)), d += ' ', num(d, units(f, f.bboxYMax));
        d += "] /ItalicAngle 0 /Ascent ";
        num(d, units(f, f.ascender));
        d += " /Descent ";
        num(d, units(f, f.descender));
        d += " /CapHeight ";
        num(d, units(f, f.capHeight));
        d += std::string(" /StemV ") + (f.bold ? "120" : "80") + " /FontFile2 " + std::to_string(fileRef) + " 0 R >>";
        const int descriptorRef = obj.add(d);
        // Widths by glyph id in the subset; runs of consecutive ids share
        // one array: "0 [600 520 ...]".
        std::map<std::uint32_t, std::uint32_t> byNew;
        for (auto [o, n] : sub->newGid) byNew[n] = o;
        std::string w = "[";
        std::uint32_t expect = 0;
        bool open = false;
        for (auto [n, o] : byNew) {
            if (!open || n != expect) {
                if (open) w += "] ";
                w += std::to_string(n) + " [";
                open = true;
            } else {
                w += ' ';
            }
            num(w, units(f, f.advance(o)));
            expect = n + 1;
        }
        if (open) w += "]";
        w += "]";
        const int cidFont = obj.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + pdfName(name) +
                                    " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                                    " /FontDescriptor " + std::to_string(descriptorRef) + " 0 R /DW 1000 /W " + w +
                                    " /CIDToGIDMap /Identity >>");
        fontRefs[id] = obj.add("<< /Type /Font /Subtype /Type0 /BaseFont " + pdfName(name) +
                               " /Encoding /Identity-H /DescendantFonts [" + std::to_string(cidFont) + " 0 R] >>");
    }
    // The text layer's font: code n is the n-th character, drawn invisibly
    // with glyph 0 of the Latin subset; ToUnicode gives the characters.
    int textFontRef = 0;
    if (!_textCid.empty()) {
        // Its font program is the Latin subset, so its name carries that subset's tag.
        const std::string textName = "/" + latinTag + "+DulyTextLayer";
        std::string zeros(2 * (_textCid.size() + 1), '\0');
        const int cidToGid = obj.stream("", zeros);
        std::vector<std::pair<unsigned, std::u32string>> map;
        for (auto [c, cid] : _textCid) map.push_back({cid, std::u32string(1, c)});
        std::sort(map.begin(), map.end());
        const int toUnicode = obj.stream("", toUnicodeCMap(map));
        const int cidFont = obj.add(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + textName +
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
            std::to_string(obj.add("<< /Type /FontDescriptor /FontName " + textName + " /Flags 4 /FontBBox [0 -200 500 800]"
                                   " /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 " +
                                   std::to_string(latinFileRef) + " 0 R >>")) +
            " 0 R /DW 500 /CIDToGIDMap " + std::to_string(cidToGid) + " 0 R >>");
        textFontRef = obj.add("<< /Type /Font /Subtype /Type0 /BaseFont " + textName + " /Encoding /Identity-H"
                              " /DescendantFonts [" + std::to_string(cidFont) + " 0 R] /ToUnicode " +
                              std::to_string(toUnicode) + " 0 R >>");
    }
    std::vector<int> imageRefs;
    for (const auto& img : _images) {
        std::string dict = " /Type /XObject /Subtype /Image /Width " + std::to_string(img.width) + " /Height " +
                           std::to_string(img.height) + " /BitsPerComponent 8";
        if (!img.alpha.empty()) {
            const int smask = obj.stream(dict + " /ColorSpace /DeviceGray", img.alpha);
            dict += " /SMask " + std::to_string(smask) + " 0 R";
        }
        dict += img.components == 1 ? " /ColorSpace /DeviceGray" : " /ColorSpace /DeviceRGB";
        imageRefs.push_back(obj.stream(dict, img.pixels));
    }

    std::string fontResources = "<<";
    for (const auto& [id, u] : _used) fontResources += " /" + u.resource + " " + std::to_string(fontRefs.at(id)) + " 0 R";
    if (textFontRef) fontResources += " /T " + std::to_string(textFontRef) + " 0 R";
    fontResources += " >>";
    std::string xobjects = "<<";
    for (std::size_t i = 0; i < imageRefs.size(); ++i)
        xobjects += " /Im" + std::to_string(i) + " " + std::to_string(imageRefs[i]) + " 0 R";
    xobjects += " >>";
    const int resources = obj.add("<< /Font " + fontResources + " /XObject " + xobjects + " >>");

    std::vector<int> pageRefs;
    auto addPageObject = [&](int contents) {
        const std::string tags = _tagged ? " /StructParents " + std::to_string(pageRefs.size()) + " /Tabs /S" : "";
        pageRefs.push_back(obj.add("<< /Type /Page /Parent " + std::to_string(pagesRef) +
                                   " 0 R /MediaBox [0 0 595.28 841.89] /Resources " + std::to_string(resources) +
                                   " 0 R /Contents " + std::to_string(contents) + " 0 R" + tags + " >>"));
    };
    for (const auto& z : _written) addPageObject(obj.deflated("", z));
    for (const auto& page : _pages) addPageObject(obj.stream("", content(page, &remap)));
    std::string kids;
    for (int p : pageRefs) kids += std::to_string(p) + " 0 R ";
    obj.set(pagesRef, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pageRefs.size()) + " >>");
    std::string infoDict = "<< /Producer (Duly)";
    if (!info.title.empty()) infoDict += " /Title " + textString(info.title);
    if (!info.author.empty()) infoDict += " /Author " + textString(info.author);
    if (!info.subject.empty()) infoDict += " /Subject " + textString(info.subject);
    if (!info.creationDate.empty()) infoDict += " /CreationDate (" + info.creationDate + ")";
    infoDict += " >>";
    const int infoRef = obj.add(infoDict);
    // The structure tree: each element's kids are its child elements, then
    // its marked content on each page in order; the parent tree maps each
    // page's marked-content ids back to their elements.
    int treeRef = 0;
    if (_tagged && !_elements.empty()) {
        treeRef = obj.reserve();
        std::vector<int> refs;
        for (std::size_t i = 0; i < _elements.size(); ++i) refs.push_back(obj.reserve());
        std::vector<std::string> elemKids(_elements.size());
        std::vector<int> firstPage(_elements.size(), -1);
        std::string roots;
        for (std::size_t i = 0; i < _elements.size(); ++i) {
            const int parent = _elements[i].parent;
            (parent < 0 ? roots : elemKids[std::size_t(parent)]) += std::to_string(refs[i]) + " 0 R ";
        }
        std::string nums;
        for (std::size_t p = 0; p < _pages.size(); ++p) {
            const auto marks = marksOf(_pages[p]);
            nums += std::to_string(p) + " [";
            for (std::size_t m = 0; m < marks.size(); ++m) {
                const auto e = std::size_t(marks[m]);
                elemKids[e] += "<< /Type /MCR /Pg " + std::to_string(pageRefs[p]) + " 0 R /MCID " + std::to_string(m) + " >> ";
                if (firstPage[e] < 0) firstPage[e] = int(p);
                nums += std::to_string(refs[e]) + " 0 R ";
            }
            nums += "] ";
        }
        for (std::size_t i = 0; i < _elements.size(); ++i) {
            const auto& e = _elements[i];
            std::string d = "<< /Type /StructElem /S /" + e.type + " /P " +
                            std::to_string(e.parent < 0 ? treeRef : refs[std::size_t(e.parent)]) + " 0 R";
            if (firstPage[i] >= 0) d += " /Pg " + std::to_string(pageRefs[std::size_t(firstPage[i])]) + " 0 R";
            if (!e.lang.empty()) d += " /Lang " + plainString(e.lang);
            if (!e.title.empty()) d += " /T " + plainString(e.title);
            if (!e.alt.empty()) d += " /Alt " + plainString(e.alt);
            d += " /K [" + elemKids[i] + "] >>";
            obj.set(refs[i], d);
        }
        const int parentTree = obj.add("<< /Nums [" + nums + "] >>");
        obj.set(treeRef, "<< /Type /StructTreeRoot /K [" + roots + "] /ParentTree " + std::to_string(parentTree) +
                             " 0 R /ParentTreeNextKey " + std::to_string(_pages.size()) + " >>");
    }
    std::string cat = "<< /Type /Catalog /Pages " + std::to_string(pagesRef) + " 0 R";
    if (treeRef) cat += " /MarkInfo << /Marked true >> /StructTreeRoot " + std::to_string(treeRef) + " 0 R";
    if (!info.lang.empty()) cat += " /Lang " + textString(info.lang);
    cat += " /ViewerPreferences << /DisplayDocTitle true >> >>";
    obj.set(catalog, cat);
    return obj.finish(catalog, infoRef);
}

}  // namespace duly::pdf
