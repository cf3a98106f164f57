// PdfReader: just enough of a PDF reader to sign and verify a file: finds
// the last startxref, reads every cross-reference section back along /Prev
// (classic tables, cross-reference streams and hybrid files with /XRefStm),
// and resolves objects by number, including objects inside object streams.
// It reads from bytes it does not own (the caller keeps them alive) and
// caches the objects it has parsed. Everything is bounded (sections,
// objects, reference chains, decoded stream sizes, and per file the
// cross-reference entries read and the bytes decoded, so that sections
// sharing one /XRefStm or one table cost once); malformed input throws
// PdfFormatError naming the offset and what was expected.
#pragma once

#include "duly/pdf/PdfObject.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace duly::pdf {

// What one file may make the reader do in all. A signed letter decodes a few
// kilobytes and reads tens of entries; a 10,000-letter print run, a few
// megabytes and about 100,000 entries.
struct PdfReadLimits {
    std::uint64_t maxDecodedBytes = 256u << 20;  // every stream decoded, together
    std::uint64_t maxEntriesRead = 4u << 20;     // cross-reference entries over every section
};

class PdfReader {
public:
    static constexpr std::size_t kMaxXrefSections = 4096;
    // A 10,000-letter print run has about 100,000 objects; this bounds what a
    // hostile cross-reference can make us allocate (about 40 MB).
    static constexpr std::uint64_t kMaxObjects = 1'048'576;

    // Reads the cross-reference chain; throws PdfFormatError.
    explicit PdfReader(std::string_view file, PdfReadLimits limits = {});

    std::string_view bytes() const { return _file; }
    // The newest trailer dictionary (for a cross-reference stream, its dictionary).
    const PdfObject& trailer() const { return _trailer; }
    // Where the newest cross-reference section starts, and whether it is a stream.
    std::uint64_t startxref() const { return _startxref; }
    bool newestSectionIsStream() const { return _newestIsStream; }
    // The newest trailer's /Size: one more than the highest object number.
    std::uint32_t size() const { return _size; }

    // The generation an object number is in use with, or nullopt when free or unknown.
    std::optional<std::uint32_t> generationOf(std::uint32_t number) const;

    // The object a reference points at; null when it is free or absent
    // (PDF 1.7, 7.3.10). Streams yield their dictionary.
    PdfObject object(PdfRef ref);
    // `value` itself, or the object it refers to.
    PdfObject resolve(const PdfObject& value);

    struct Stream {
        PdfObject dictionary;
        std::string data;  // decoded
    };
    // A stream object, decoded; throws when the object is not a stream.
    Stream stream(PdfRef ref);

    // The work done so far, which the limits bound: bytes decoded from
    // streams, cross-reference entries read, cross-reference streams decoded.
    std::uint64_t decodedBytes() const { return _decodedBytes; }
    std::uint64_t entriesRead() const { return _entriesRead; }
    std::size_t crossReferenceStreamsRead() const { return _xrefStreamsRead.size(); }

private:
    struct Entry {
        std::uint8_t type = 0;       // 0 free, 1 at an offset, 2 in an object stream
        std::uint64_t offset = 0;    // type 1: byte offset; type 2: the object stream's number
        std::uint32_t generation = 0;  // type 1: generation; type 2: index in the object stream
    };
    struct ObjectStream {
        std::string data;
        std::size_t first = 0;
        std::vector<std::pair<std::uint32_t, std::size_t>> offsets;
    };
    struct RawStream {
        PdfObject dictionary;
        std::string_view raw;
    };

    std::uint64_t findStartxref() const;
    PdfObject readClassicSection(std::uint64_t offset, std::vector<std::pair<std::uint64_t, Entry>>& table);
    PdfObject readStreamSection(std::uint64_t offset);
    void addEntry(std::uint64_t number, Entry entry);
    RawStream rawStreamAt(std::uint64_t offset, PdfRef expected, bool lengthMustBeDirect);
    const ObjectStream& objectStream(std::uint32_t number);
    PdfObject parseAt(const Entry& entry, PdfRef ref);
    std::string decode(const PdfObject& dict, std::string_view raw, const std::string& what);
    void countEntries(std::uint64_t count, std::uint64_t offset);

    std::string_view _file;
    PdfObject _trailer;
    std::uint64_t _startxref = 0;
    bool _newestIsStream = false;
    std::uint32_t _size = 0;
    std::unordered_map<std::uint32_t, Entry> _entries;
    std::unordered_map<std::uint32_t, PdfObject> _cache;
    std::unordered_map<std::uint32_t, ObjectStream> _objectStreams;
    int _depth = 0;
    PdfReadLimits _limits;
    std::uint64_t _decodedBytes = 0;
    std::uint64_t _entriesRead = 0;
    std::set<std::size_t> _xrefStreamsRead;  // where each one's data starts
};

}  // namespace duly::pdf
