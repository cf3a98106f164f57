// Document: names of directions and block kinds, Line::plainText, and the
// reading order of a letter's blocks.
#include "duly/engine/Document.h"

#include <algorithm>
#include <array>

namespace duly::engine {
namespace {
constexpr std::array<std::string_view, 9> kBlockNames = {"letterhead", "recipient", "date",      "reference", "heading",
                                                        "paragraph",  "list",      "signature", "footer"};
}

std::string_view directionName(Direction dir) {
    switch (dir) {
        case Direction::Ltr: return "ltr";
        case Direction::Rtl: return "rtl";
        case Direction::Auto: return "auto";
    }
    return "auto";
}

std::string_view blockKindName(BlockKind kind) { return kBlockNames[static_cast<std::size_t>(kind)]; }

bool blockKindFromName(std::string_view name, BlockKind& out) {
    for (std::size_t i = 0; i < kBlockNames.size(); ++i)
        if (kBlockNames[i] == name) {
            out = static_cast<BlockKind>(i);
            return true;
        }
    return false;
}

std::string Line::plainText() const {
    std::string s;
    for (const auto& r : runs) s += r.text;
    return s;
}

std::vector<const Block*> readingOrder(const Document& doc) {
    auto rank = [](BlockKind k) {
        switch (k) {
            case BlockKind::Letterhead: return 0;
            case BlockKind::DateLine: return 1;
            case BlockKind::Reference: return 2;
            case BlockKind::Signature: return 4;
            case BlockKind::Footer: return 5;
            default: return 3;
        }
    };
    std::vector<const Block*> blocks;
    for (const auto& b : doc.blocks)
        if (b.kind != BlockKind::Recipient) blocks.push_back(&b);
    std::stable_sort(blocks.begin(), blocks.end(), [&](const Block* a, const Block* b) { return rank(a->kind) < rank(b->kind); });
    return blocks;
}

}  // namespace duly::engine
