// PdfReader: cross-reference reading and object resolution. Entries of newer
// sections win over older ones; a /Prev chain that loops, an entry beyond
// /Size, an object whose header disagrees with its entry, or a reference
// chain deeper than 16 are errors naming where they were found. A hostile
// file can point thousands of sections at one /XRefStm or one table (through
// offsets a few bytes apart): each section and each cross-reference stream is
// read once, keyed by where it really starts, and the entries read and bytes
// decoded over the whole file are capped (PdfReadLimits).
#include "duly/pdf/PdfReader.h"

#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfParser.h"
#include "duly/pdf/PdfStreamDecoder.h"

#include <algorithm>
#include <set>

namespace duly::pdf {
namespace {

constexpr int kMaxReferenceDepth = 16;

std::uint64_t nonNegative(const PdfObject* v, const std::string& what, std::uint64_t at) {
    if (!v || !v->isInteger() || v->integerValue() < 0)
        throw PdfFormatError(at, what + " is missing or not a non-negative integer");
    return static_cast<std::uint64_t>(v->integerValue());
}

struct DepthGuard {
    explicit DepthGuard(int& d) : depth(d) {
        if (++depth > kMaxReferenceDepth)
            throw PdfFormatError("objects refer to each other more than " + std::to_string(kMaxReferenceDepth) +
                                 " deep while being resolved (a reference loop?)");
    }
    ~DepthGuard() { --depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    int& depth;
};

}  // namespace

PdfReader::PdfReader(std::string_view file, PdfReadLimits limits) : _file(file), _limits(limits) {
    if (_file.substr(0, 5) != "%PDF-") {
        const auto header = _file.find("%PDF-");
        if (header == std::string_view::npos || header > 1024)
            throw PdfFormatError(0, "expected a PDF header '%PDF-' in the first 1024 bytes");
    }
    _startxref = findStartxref();
    std::set<std::uint64_t> visited;
    std::optional<std::uint64_t> next = _startxref;
    bool first = true;
    while (next) {
        const std::uint64_t offset = *next;
        next.reset();
        if (!visited.insert(offset).second)
            throw PdfFormatError(offset, "the /Prev chain of cross-reference sections comes back to this section");
        if (visited.size() > kMaxXrefSections)
            throw PdfFormatError(offset, "more than " + std::to_string(kMaxXrefSections) + " cross-reference sections");
        if (offset >= _file.size())
            throw PdfFormatError(offset, "a cross-reference offset points beyond the end of the file (" +
                                             std::to_string(_file.size()) + " bytes)");
        PdfParser probe(_file);
        probe.seek(offset);
        const bool classic = probe.acceptKeyword("xref");
        // The same table reached through an offset in the blank before it is the same section.
        if (classic && probe.position() - 4 != offset && !visited.insert(probe.position() - 4).second)
            throw PdfFormatError(offset, "the /Prev chain comes back to the cross-reference table at offset " +
                                             std::to_string(probe.position() - 4) + " through another offset");
        std::vector<std::pair<std::uint64_t, Entry>> table;
        PdfObject dict = classic ? readClassicSection(offset, table) : readStreamSection(offset);
        if (classic) {
            // A hybrid file's /XRefStm lists the objects in object streams,
            // which its table marks free for older readers: it goes first.
            if (const PdfObject* stm = dict.find("XRefStm"))
                readStreamSection(nonNegative(stm, "the trailer's /XRefStm", offset));
            for (const auto& [number, entry] : table) addEntry(number, entry);
        }
        if (first) {
            _trailer = dict;
            _newestIsStream = !classic;
            const std::uint64_t size = nonNegative(dict.find("Size"), "the trailer's /Size", offset);
            if (size > kMaxObjects)
                throw PdfFormatError(offset, "the trailer's /Size " + std::to_string(size) + " is more than " +
                                                 std::to_string(kMaxObjects) + " objects");
            _size = static_cast<std::uint32_t>(size);
            first = false;
        }
        if (const PdfObject* prev = dict.find("Prev")) next = nonNegative(prev, "the trailer's /Prev", offset);
    }
    for (const auto& [number, entry] : _entries) {
        (void)entry;
        if (number >= _size)
            throw PdfFormatError(_startxref, "the cross-reference lists object " + std::to_string(number) +
                                                 " but the trailer's /Size is " + std::to_string(_size));
    }
}

std::uint64_t PdfReader::findStartxref() const {
    const auto at = _file.rfind("startxref");
    if (at == std::string_view::npos)
        throw PdfFormatError(_file.size(), "expected 'startxref' near the end of the file; it is not a complete PDF");
    PdfParser p(_file);
    p.seek(at + 9);
    const std::uint64_t offset = p.readUnsigned("the offset of the cross-reference section after 'startxref'");
    std::size_t at2 = p.position();
    while (at2 < _file.size() && PdfParser::isWhitespace(static_cast<unsigned char>(_file[at2]))) ++at2;
    if (_file.substr(at2, 5) != "%%EOF")
        p.failAt(at2, "expected '%%EOF' after the startxref offset");
    return offset;
}

void PdfReader::addEntry(std::uint64_t number, Entry entry) {
    if (number >= kMaxObjects)
        throw PdfFormatError("the cross-reference lists object " + std::to_string(number) + ", beyond the limit of " +
                             std::to_string(kMaxObjects));
    _entries.try_emplace(static_cast<std::uint32_t>(number), entry);
}

PdfObject PdfReader::readClassicSection(std::uint64_t offset, std::vector<std::pair<std::uint64_t, Entry>>& table) {
    PdfParser p(_file);
    p.seek(offset);
    p.expectKeyword("xref", "at the start of a cross-reference table");
    std::uint64_t total = 0;
    for (;;) {
        if (p.acceptKeyword("trailer")) break;
        const std::uint64_t start = p.readUnsigned("a subsection's first object number or 'trailer'");
        const std::uint64_t count = p.readUnsigned("a subsection's object count");
        total += count;
        countEntries(count, offset);
        if (start + count > kMaxObjects || total > kMaxObjects)
            p.fail("a cross-reference table of more than " + std::to_string(kMaxObjects) + " objects");
        // Each entry is 20 bytes: "oooooooooo ggggg n\r\n"; check there is room before reading.
        if (count * 20 > _file.size() - p.position() + 20)
            p.fail("a subsection of " + std::to_string(count) + " entries runs past the end of the file");
        for (std::uint64_t i = 0; i < count; ++i) {
            const std::uint64_t field1 = p.readUnsigned("a 10-digit offset in a cross-reference entry");
            const std::uint64_t field2 = p.readUnsigned("a 5-digit generation in a cross-reference entry");
            if (field2 > 65535) p.fail("a generation number above 65535");
            if (p.acceptKeyword("n")) {
                table.emplace_back(start + i, Entry{1, field1, static_cast<std::uint32_t>(field2)});
            } else if (p.acceptKeyword("f")) {
                table.emplace_back(start + i, Entry{0, 0, static_cast<std::uint32_t>(field2)});
            } else {
                p.fail("expected 'n' or 'f' in a cross-reference entry, found " + p.peekToken());
            }
        }
    }
    p.skipWhitespace();
    const std::size_t dictAt = p.position();
    PdfObject dict = p.parseObject();
    if (!dict.isDictionary()) p.failAt(dictAt, "expected the trailer dictionary after 'trailer'");
    return dict;
}

PdfObject PdfReader::readStreamSection(std::uint64_t offset) {
    RawStream rs = rawStreamAt(offset, {}, true);
    const PdfObject& dict = rs.dictionary;
    if (!dict.find("Type") || !dict.find("Type")->isName("XRef"))
        throw PdfFormatError(offset, "expected 'xref' or a cross-reference stream (/Type /XRef) where startxref or /Prev points");
    // Read before (every hybrid section may name the same /XRefStm): its
    // entries are all in already, and older entries never replace newer ones.
    if (!_xrefStreamsRead.insert(static_cast<std::size_t>(rs.raw.data() - _file.data())).second) return dict;
    const std::string what = "the cross-reference stream at offset " + std::to_string(offset);
    const std::string data = decode(dict, rs.raw, what);
    const PdfObject* w = dict.find("W");
    if (!w || !w->isArray() || w->items().size() != 3) throw PdfFormatError(offset, what + ": /W is not an array of three integers");
    std::size_t widths[3];
    for (int i = 0; i < 3; ++i) {
        const auto& item = w->items()[static_cast<std::size_t>(i)];
        if (!item.isInteger() || item.integerValue() < 0 || item.integerValue() > 8)
            throw PdfFormatError(offset, what + ": /W entries must be integers from 0 to 8");
        widths[i] = static_cast<std::size_t>(item.integerValue());
    }
    const std::size_t row = widths[0] + widths[1] + widths[2];
    if (row == 0) throw PdfFormatError(offset, what + ": /W gives entries of zero bytes");
    const std::uint64_t size = nonNegative(dict.find("Size"), what + ": /Size", offset);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> index;
    if (const PdfObject* idx = dict.find("Index")) {
        if (!idx->isArray() || idx->items().size() % 2 != 0)
            throw PdfFormatError(offset, what + ": /Index is not an array of pairs");
        for (std::size_t i = 0; i < idx->items().size(); i += 2)
            index.emplace_back(nonNegative(&idx->items()[i], what + ": /Index", offset),
                               nonNegative(&idx->items()[i + 1], what + ": /Index", offset));
    } else {
        index.emplace_back(0, size);
    }
    std::size_t pos = 0;
    auto field = [&](std::size_t width) {
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < width; ++k) v = (v << 8) | static_cast<unsigned char>(data[pos++]);
        return v;
    };
    std::uint64_t total = 0;
    for (const auto& [start, count] : index) {
        total += count;
        countEntries(std::min<std::uint64_t>(count, data.size() / row), offset);
        if (start + count > kMaxObjects || total > kMaxObjects)
            throw PdfFormatError(offset, what + ": more than " + std::to_string(kMaxObjects) + " objects");
        if (count > (data.size() - pos) / row)
            throw PdfFormatError(offset, what + ": /Index announces more entries than the stream's " +
                                             std::to_string(data.size()) + " bytes hold");
        for (std::uint64_t i = 0; i < count; ++i) {
            const std::uint64_t type = widths[0] ? field(widths[0]) : 1;
            const std::uint64_t f2 = field(widths[1]);
            const std::uint64_t f3 = field(widths[2]);
            if (type == 0) addEntry(start + i, {0, 0, 0});
            else if (type == 1 || type == 2) {
                if (f3 > 0xffffffffu) throw PdfFormatError(offset, what + ": an entry's third field is out of range");
                addEntry(start + i, {static_cast<std::uint8_t>(type), f2, static_cast<std::uint32_t>(f3)});
            }
            // Other types are to be treated as null references (PDF 1.7, 7.5.8.3): skip.
        }
    }
    return dict;
}

PdfReader::RawStream PdfReader::rawStreamAt(std::uint64_t offset, PdfRef expected, bool lengthMustBeDirect) {
    PdfParser p(_file);
    p.seek(offset);
    const PdfRef header = p.parseObjectHeader();
    if (expected.number != 0 && header.number != expected.number)
        throw PdfFormatError(offset, "the cross-reference says object " + std::to_string(expected.number) +
                                         " is here, but object " + std::to_string(header.number) + " is");
    p.skipWhitespace();
    const std::size_t dictAt = p.position();
    PdfObject dict = p.parseObject();
    if (!dict.isDictionary()) p.failAt(dictAt, "expected a stream dictionary");
    p.expectKeyword("stream", "after the stream dictionary");
    if (p.position() < _file.size() && _file[p.position()] == '\r') p.seek(p.position() + 1);
    if (p.position() < _file.size() && _file[p.position()] == '\n') p.seek(p.position() + 1);
    const std::size_t dataAt = p.position();
    const PdfObject* lengthObj = dict.find("Length");
    PdfObject resolved;
    if (lengthObj && lengthObj->isReference()) {
        if (lengthMustBeDirect)
            throw PdfFormatError(offset, "a cross-reference stream's /Length must be a direct integer");
        resolved = object(lengthObj->ref());
        lengthObj = &resolved;
    }
    const std::uint64_t length = nonNegative(lengthObj, "the stream's /Length", offset);
    if (length > _file.size() - dataAt)
        throw PdfFormatError(dataAt, "the stream's /Length of " + std::to_string(length) +
                                         " bytes runs past the end of the file");
    p.seek(dataAt + length);
    p.expectKeyword("endstream", "after /Length " + std::to_string(length) + " bytes of stream data");
    return {std::move(dict), _file.substr(dataAt, static_cast<std::size_t>(length))};
}

std::optional<std::uint32_t> PdfReader::generationOf(std::uint32_t number) const {
    auto it = _entries.find(number);
    if (it == _entries.end() || it->second.type == 0) return std::nullopt;
    return it->second.type == 1 ? it->second.generation : 0;
}

const PdfReader::ObjectStream& PdfReader::objectStream(std::uint32_t number) {
    if (auto it = _objectStreams.find(number); it != _objectStreams.end()) return it->second;
    auto entry = _entries.find(number);
    if (entry == _entries.end() || entry->second.type != 1)
        throw PdfFormatError("object stream " + std::to_string(number) + " is not in the cross-reference at an offset");
    Stream s = stream({number, entry->second.generation});
    const std::string what = "object stream " + std::to_string(number);
    if (!s.dictionary.find("Type") || !s.dictionary.find("Type")->isName("ObjStm"))
        throw PdfFormatError(what + ": expected /Type /ObjStm");
    const std::uint64_t n = nonNegative(s.dictionary.find("N"), what + ": /N", entry->second.offset);
    const std::uint64_t first = nonNegative(s.dictionary.find("First"), what + ": /First", entry->second.offset);
    if (first > s.data.size() || n > s.data.size())
        throw PdfFormatError(what + ": /First or /N is beyond the stream's " + std::to_string(s.data.size()) + " bytes");
    ObjectStream os;
    os.first = static_cast<std::size_t>(first);
    PdfParser p(std::string_view(s.data).substr(0, os.first), what);
    for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t num = p.readUnsigned("an object number in the object stream's header");
        const std::uint64_t off = p.readUnsigned("an offset in the object stream's header");
        if (num >= kMaxObjects || off > s.data.size() - os.first) p.fail("an object number or offset out of range");
        os.offsets.emplace_back(static_cast<std::uint32_t>(num), static_cast<std::size_t>(off));
    }
    os.data = std::move(s.data);
    return _objectStreams.emplace(number, std::move(os)).first->second;
}

PdfObject PdfReader::parseAt(const Entry& entry, PdfRef ref) {
    if (entry.type == 1) {
        if (entry.offset >= _file.size())
            throw PdfFormatError("the cross-reference puts object " + std::to_string(ref.number) + " at offset " +
                                 std::to_string(entry.offset) + ", beyond the end of the file");
        PdfParser p(_file);
        p.seek(entry.offset);
        const std::size_t at = p.position();
        const PdfRef header = p.parseObjectHeader();
        if (header.number != ref.number)
            p.failAt(at, "the cross-reference says object " + std::to_string(ref.number) + " is here, but object " +
                             std::to_string(header.number) + " is");
        PdfObject value = p.parseObject();
        return value;
    }
    const ObjectStream& os = objectStream(static_cast<std::uint32_t>(entry.offset));
    const std::string what = "object stream " + std::to_string(entry.offset);
    if (entry.generation >= os.offsets.size() || os.offsets[entry.generation].first != ref.number)
        throw PdfFormatError(what + ": object " + std::to_string(ref.number) + " is not at index " +
                             std::to_string(entry.generation) + " as the cross-reference says");
    PdfParser p(os.data, what);
    p.seek(os.first + os.offsets[entry.generation].second);
    return p.parseObject();
}

PdfObject PdfReader::object(PdfRef ref) {
    auto it = _entries.find(ref.number);
    if (it == _entries.end() || it->second.type == 0) return {};
    const Entry entry = it->second;
    if (entry.type == 1 && entry.generation != ref.generation) return {};
    if (auto cached = _cache.find(ref.number); cached != _cache.end()) return cached->second;
    DepthGuard guard(_depth);
    PdfObject value = parseAt(entry, ref);
    _cache.emplace(ref.number, value);
    return value;
}

PdfObject PdfReader::resolve(const PdfObject& value) {
    if (!value.isReference()) return value;
    return object(value.ref());
}

PdfReader::Stream PdfReader::stream(PdfRef ref) {
    auto it = _entries.find(ref.number);
    if (it == _entries.end() || it->second.type != 1)
        throw PdfFormatError("object " + std::to_string(ref.number) + " is not a stream stored at an offset");
    DepthGuard guard(_depth);
    RawStream rs = rawStreamAt(it->second.offset, ref, false);
    std::string what = "stream object " + std::to_string(ref.number);
    std::string data = decode(rs.dictionary, rs.raw, what);
    return {std::move(rs.dictionary), std::move(data)};
}

std::string PdfReader::decode(const PdfObject& dict, std::string_view raw, const std::string& what) {
    const std::uint64_t left = _limits.maxDecodedBytes - std::min(_decodedBytes, _limits.maxDecodedBytes);
    const bool fileLimitBinds = left < PdfStreamDecoder::kMaxDecodedSize;
    std::string data = PdfStreamDecoder::decode(
        dict, raw, what, static_cast<std::size_t>(std::min<std::uint64_t>(left, PdfStreamDecoder::kMaxDecodedSize)),
        fileLimitBinds ? "the streams of one file may decode to " + std::to_string(_limits.maxDecodedBytes) +
                             " bytes in all, and " + std::to_string(_decodedBytes) + " were decoded before this one"
                       : std::string());
    _decodedBytes += data.size();
    return data;
}

void PdfReader::countEntries(std::uint64_t count, std::uint64_t offset) {
    _entriesRead += count;
    if (_entriesRead > _limits.maxEntriesRead)
        throw PdfFormatError(offset, "the cross-reference sections list more than " +
                                         std::to_string(_limits.maxEntriesRead) + " entries in all");
}

}  // namespace duly::pdf
