// duly import: officers and customers from CSV files.
#include "Command.h"
#include "Wiring.h"

#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"

#include <fstream>
#include <ostream>
#include <string>

using namespace duly::engine;

namespace {

const char* kUsage = R"USAGE(Usage: duly import officers|customers FILE.csv

Imports officers or customers from a CSV file with a header row. Good rows are imported
(re-importing updates by id / reference); each bad row is reported with its line and column.

  officers:  id,name,position,email,phone,team,manager_id,role
             role is officer, manager or administrator
  customers: reference,name,salutation,email,phone,address_line_1,address_line_2,
             address_line_3,town,postcode,language,formats,preferred_channel
             language is a BCP 47 tag (en-GB, ur, yue-Hant); formats a ;-separated list of
             standard, large-print, braille, audio, easy-read; preferred_channel email, post or phone;
             an optional brand column names the [brand.ID] of the charter whose letterhead
             their letters carry (docs/letters.md)

The file is UTF-8, with or without a byte order mark ("CSV UTF-8" in Excel). A file that
is not UTF-8 is read as Windows-1252 (Excel's "CSV (Comma delimited)"), with a note; one
that is neither, or mixes the two, is refused with the line of the first bad byte.

Exit status: 0 when every row imported, 2 when any row or the file was refused.
)USAGE";

int runImport(duly::app::Context& ctx) {
    auto& a = ctx.args;
    a.finish();
    const std::string what = a.positional(0, "what to import (officers or customers)");
    const std::string file = a.positional(1, "a CSV file");
    if (what != "officers" && what != "customers")
        throw InputError("cannot import \"" + what + "\" (accepted: officers, customers)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file + ": cannot be read");
    // Bounded: a directory of 100,000 customers is some 30 MiB.
    constexpr std::size_t kMaxBytes = 64 * 1024 * 1024;
    std::string bytes;
    char chunk[64 * 1024];
    while (bytes.size() <= kMaxBytes && in.read(chunk, sizeof chunk).gcount() > 0)
        bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw InputError(file + ": cannot be read");
    if (bytes.size() > kMaxBytes) throw InputError(file + ": larger than 64 MiB (expected a CSV file of " + what + ")");

    auto store = duly::app::openStore(ctx);
    ImportReport report = what == "officers" ? importOfficers(bytes, file, *store)
                                             : importCustomers(bytes, file, *store);
    for (const auto& n : report.notes) ctx.err << n << "\n";
    for (const auto& e : report.errors) ctx.err << e << "\n";
    ctx.out << "imported " << report.imported << " " << what << " from " << file;
    if (!report.errors.empty()) ctx.out << "; " << report.errors.size() << " problem" << (report.errors.size() == 1 ? "" : "s") << " (see above)";
    ctx.out << "\n";
    return report.errors.empty() ? 0 : 2;
}

duly::app::CommandRegistration reg{"import", "import officers or customers from CSV", kUsage, runImport};

}  // namespace
