// duly attachments: the files that came with a case's items — a scanned
// letter's pages, an email's attachments — listed, or saved into a folder to
// open. Names were made safe when the message was read; saving never
// overwrites a file already there.
#include "Command.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/store/SqliteCaseStore.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

using namespace duly::engine;
namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(Usage: duly attachments REF [--save DIR]

Lists the files that came with the case's letters and emails (the scan of a postal letter,
an email's attachments): item number, name, type and size. With --save, writes them into
DIR (created if needed) under their names; a file already there is not overwritten.
)";

int runAttachments(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const std::string ref = a.positional(0, "a case reference");
    auto save = a.option("save");
    a.finish();
    duly::store::SqliteCaseStore store(ctx.db);
    const auto found = store.findCase(ref);
    if (!found) throw InputError("no case with reference \"" + ref + "\"");
    if (save) duly::engine::makePrivateDirectories(*save);
    std::size_t count = 0;
    for (std::size_t i = 0; i < found->items.size(); ++i) {
        for (const auto& file : store.attachments(found->items[i].id)) {
            ++count;
            ctx.out << "item " << i + 1 << "  " << file.name << "  " << file.contentType << "  " << file.bytes.size()
                    << " bytes";
            if (save) {
                const fs::path target = fs::path(*save) / fs::path(file.name).filename();
                if (fs::exists(target)) {
                    ctx.out << "  (not saved: " << target.string() << " exists)";
                } else {
                    try {
                        duly::engine::writePrivateFileAtomically(target, file.bytes);
                    } catch (const std::system_error& e) {
                        throw InputError(target.string() + ": could not be written (" + e.what() + ")");
                    }
                    ctx.out << "  saved as " << target.string();
                }
            }
            ctx.out << "\n";
        }
    }
    if (count == 0) ctx.out << ref << " has no attachments\n";
    return 0;
}

duly::app::CommandRegistration reg{"attachments", "list or save the files that came with a case", kUsage,
                                   runAttachments};

}  // namespace
