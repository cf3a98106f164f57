// Document: names of directions and block kinds, and Line::plainText.
#include "duly/engine/Document.h"

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

}  // namespace duly::engine
