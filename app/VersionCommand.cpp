// duly version: prints the version and where duly looks for its data.
#include "Command.h"

#include <ostream>

namespace {

int runVersion(duly::app::Context& ctx) {
    ctx.args.finish();
    ctx.out << "duly " DULY_VERSION "\nhome: " << ctx.home.string() << "\nstore: " << ctx.db.string() << "\n";
    return 0;
}

duly::app::CommandRegistration reg{"version", "print the version and the folders in use",
                                   "Usage: duly version\n\nPrints the version, the home folder (config/, "
                                   "templates/, locales/) and the store in use.\n",
                                   runVersion};

}  // namespace
