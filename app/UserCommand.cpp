// duly user: sign-in accounts for the dashboard. An account is an officer
// in the store (name, team, role) plus a password in the passwords file
// ([web] passwords_file, default HOME/var/passwords). Passwords are never
// given on the command line (they would show in the process list and shell
// history): either Duly makes a one-time password and prints it once, or
// --stdin reads one line. The passwords file is shared with a running
// `duly serve`, which sees every change at once (Accounts.h).
#include "Command.h"
#include "Config.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"
#include "duly/web/Accounts.h"

#include <iostream>
#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly user add ID --name NAME [--role ROLE] [--team TEAM] [--position TEXT]
                     [--email ADDRESS] [--manager ID] [--stdin] [--config FILE]
       duly user passwd ID [--stdin] [--config FILE]
       duly user remove ID [--config FILE]
       duly user list [--config FILE]

Accounts for the dashboard. `add` creates or updates the officer ID in the store (ROLE is
officer, manager or administrator; default officer) and gives them a password; `passwd`
sets a new password for an existing officer. Without --stdin, Duly makes a one-time
password, prints it once, and the person must choose their own at first sign-in. With
--stdin, the password is read from the first line of standard input (at least 10
characters) and is kept as it is. `remove` takes away the officer's password, so that
they can no longer sign in (their officer record and cases stay).

A running `duly serve` reads the passwords file again when it changes: a new password
counts at once, the old one stops working, and every dashboard session of that person
ends at their next request. Changes are made under a lock and merged into the file as
it is, so a password changed on the dashboard at the same moment is kept too.

Passwords are stored as Argon2id hashes in [web] passwords_file (default HOME/var/passwords).
)";

std::string readPassword() {
    std::string line;
    if (!std::getline(std::cin, line)) throw InputError("--stdin: no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int runUser(duly::app::Context& ctx) {
    auto& a = ctx.args;
    auto configFile = a.option("config");
    auto name = a.option("name");
    auto role = a.option("role");
    auto team = a.option("team");
    auto position = a.option("position");
    auto email = a.option("email");
    auto manager = a.option("manager");
    const bool fromStdin = a.flag("stdin");
    a.finish();
    const std::string what = a.positional(0, "what to do (add, passwd or list)");
    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    auto store = duly::app::openStore(ctx);
    duly::web::Accounts accounts(config.web.passwordsFile);

    if (what == "list") {
        for (const auto& o : store->officers())
            ctx.out << o.id << "\t" << roleName(o.role) << "\t" << o.name << "\t" << o.team << "\t"
                    << (!accounts.exists(o.id) ? "no password" : accounts.mustChange(o.id) ? "one-time password" : "password set")
                    << "\n";
        return 0;
    }
    if (what != "add" && what != "passwd" && what != "remove")
        throw InputError("unknown action \"" + what + "\" (accepted: add, passwd, remove, list)");
    const std::string id = a.positional(1, "the officer's id");
    if (what == "remove") {
        if (!accounts.remove(id)) throw InputError("\"" + id + "\" has no password to remove");
        ctx.out << "password removed for " << id << "; their dashboard sessions have ended\n";
        return 0;
    }
    auto existing = store->officer(id);
    if (what == "add") {
        if (!name && !existing) throw InputError("--name: required for a new officer");
        Officer o = existing.value_or(Officer{});
        o.id = id;
        if (name) o.name = *name;
        if (role) {
            auto r = roleFromName(*role);
            if (!r) throw InputError("--role: expected officer, manager or administrator, found \"" + *role + "\"");
            o.role = *r;
        }
        if (team) o.team = *team;
        if (position) o.position = *position;
        if (email) o.email = *email;
        if (manager) {
            if (!manager->empty() && !store->officer(*manager)) throw InputError("--manager: no officer with id \"" + *manager + "\"");
            o.managerId = *manager;
        }
        store->upsertOfficer(o);
    } else if (!existing) {
        throw InputError("no officer with id \"" + id + "\" (add them with `duly user add " + id + " --name NAME`)");
    }
    if (fromStdin) {
        accounts.setPassword(id, readPassword(), false);
        ctx.out << "password set for " << id << " (any dashboard sessions of theirs have ended)\n";
    } else {
        auto password = duly::web::randomPassword();
        accounts.setPassword(id, password, true);
        ctx.out << "one-time password for " << id << ": " << password << "\n"
                << "(" << id << " chooses their own at first sign-in)\n";
    }
    return 0;
}

duly::app::CommandRegistration reg{"user", "dashboard accounts: add, passwd, remove, list", kUsage, runUser};

}  // namespace
