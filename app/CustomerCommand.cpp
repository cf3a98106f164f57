// duly customer: a customer's data protection rights from the command line
// — see what is held (show), give it to them (export, a subject access
// request), correct it (edit, with its history) and erase it (erase, the
// cases kept for the reports under an anonymous id). Each export, correction
// and erasure is written to the audit log in the store (duly audit show). Bad input and
// refusals are InputErrors (exit 2) that change nothing.
#include "Audit.h"
#include "Command.h"
#include "Config.h"
#include "SubjectAccess.h"
#include "Wiring.h"

#include "duly/engine/DataProtection.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"

#include <filesystem>
#include <ostream>
#include <system_error>

using namespace duly::engine;
namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(Usage: duly customer ACTION REF [OPTIONS]

  show    REF                         the record, its corrections and the customer's cases
  export  REF --output FILE.zip       everything Duly holds about the customer (subject access):
                                      index.html to read, data.json for machines, each message
                                      as received, attachments and scans, letters as printed,
                                      emails sent, and who viewed their cases
  edit    REF --FIELD VALUE ...       correct the record (rectification); fields: name, salutation,
                                      email, phone, address-line-1, address-line-2, address-line-3,
                                      town, postcode, language, formats (comma-separated),
                                      preferred-contact (email, post or phone)
  erase   REF [--reason TEXT] [--force]
                                      remove the customer's personal data: their record, messages,
                                      attachments, letters and emails, names and addresses in
                                      their cases; the cases stay for the charter reports under an
                                      anonymous id. Refused while a case of theirs is open or a
                                      complaint may still go to the Housing Ombudsman (12 months
                                      after its answer), unless --force with --reason.

Options for every action:
  --as ID         who is acting (default: $DULY_ACTOR or "cli"), in the history and the audit log
  --now TIME      the current time (default: $DULY_NOW or the clock), RFC 3339
  --config FILE   the config file whose old [web] audit_log file is imported (default HOME/config/duly.toml)
Exit status: 0 success, 2 bad input or a refusal (nothing is changed).
)";

int runCustomer(duly::app::Context& ctx) {
    auto& a = ctx.args;
    // Options first: what is left are the action and the reference.
    const Instant nowAt = duly::app::now(a);
    const std::string actor = duly::app::actor(a);
    const auto configFile = a.option("config");
    const auto output = a.option("output");
    const auto reason = a.option("reason");
    const bool force = a.flag("force");
    std::vector<std::pair<std::string, std::string>> fields;
    for (const char* f : kCorrectableFields)
        if (auto v = a.option(f)) fields.emplace_back(f, *v);
    a.finish();
    const std::string action = a.positional(0, "an action (show, export, edit or erase)");
    if (action != "show" && action != "export" && action != "edit" && action != "erase")
        throw InputError("unknown action \"" + action + "\" (accepted: show, export, edit, erase)");
    const std::string ref = a.positional(1, "a customer reference");
    if (a.positionals().size() > 2) throw InputError("unexpected argument \"" + a.positionals()[2] + "\"");
    if (action == "export" && !output) throw InputError("duly customer export needs --output FILE.zip");
    if (output && action != "export") throw InputError("--output is for duly customer export only");
    if ((reason || force) && action != "erase") throw InputError("--reason and --force are for duly customer erase only");
    if (!fields.empty() && action != "edit")
        throw InputError("--" + fields.front().first + " is for duly customer edit only");

    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<fs::path>(*configFile) : std::nullopt);
    duly::store::SqliteCaseStore store(ctx.db);
    auto customer = store.customer(ref);
    if (!customer) throw InputError("no customer with reference \"" + ref + "\"");
    auto auditLog = duly::app::openAuditLog(store, config.web.auditLog, nowAt, ctx.err);
    auto& audit = *auditLog;

    if (action == "show") {
        const auto& c = *customer;
        ctx.out << c.reference << "  " << c.name << "\n";
        auto line = [&](const std::string& label, const std::string& value) {
            if (!value.empty()) ctx.out << "  " << label << std::string(18 - label.size(), ' ') << value << "\n";
        };
        line("salutation", c.salutation);
        line("email", c.email);
        line("phone", c.phone);
        std::string address;
        for (const auto* l : {&c.addressLine1, &c.addressLine2, &c.addressLine3, &c.town, &c.postcode})
            if (!l->empty()) address += (address.empty() ? "" : ", ") + *l;
        line("address", address);
        line("language", c.language);
        std::string formats;
        for (const auto& f : c.formats) formats += (formats.empty() ? "" : ", ") + f;
        line("formats", formats);
        line("preferred contact", std::string(preferredChannelName(c.preferredChannel)));
        for (const auto& r : store.casesOfCustomer(ref)) line("case", r);
        for (const auto& ch : store.customerChanges(ref))
            line("corrected", ZoneRules::london().formatRfc3339(ch.at) + " by " + ch.actor + ": " + ch.field + " \"" +
                                  ch.before + "\" -> \"" + ch.after + "\"");
        return 0;
    }

    if (action == "export") {
        if (output->empty()) throw InputError("--output: expected a file name such as C10001.zip");
        if (fs::exists(*output)) throw InputError("--output: " + *output + " exists; give a new file name");
        const auto exported = duly::app::exportCustomer(store, &audit, ref, nowAt);
        try {
            writePrivateFileAtomically(*output, exported.zip);
        } catch (const std::system_error& e) {
            throw InputError("--output: " + *output + " could not be written (" + e.what() + ")");
        }
        audit.write(nowAt, actor, "exported customer", ref,
                    std::to_string(exported.cases) + " cases, " + std::to_string(exported.files) + " files");
        ctx.out << "exported " << ref << ": " << exported.cases << " cases, " << exported.files
                << " files, index.html and data.json in " << *output << "\n";
        return 0;
    }

    if (action == "edit") {
        if (fields.empty()) throw InputError("nothing to change: give at least one of --" + acceptedCorrectableFields());
        Customer corrected = *customer;
        std::vector<CustomerChange> changes;
        for (const auto& [field, value] : fields)
            if (auto change = correctField(corrected, field, value, actor, nowAt)) changes.push_back(*change);
        checkCorrectedCustomer(corrected);
        if (changes.empty()) {
            ctx.out << ref << ": nothing changed (the record already says that)\n";
            return 0;
        }
        store.correctCustomer(corrected, changes);
        std::string names;
        for (const auto& ch : changes) names += (names.empty() ? "" : ", ") + ch.field;
        audit.write(nowAt, actor, "corrected customer", ref, names);
        ctx.out << "corrected " << ref << ": " << names << "\n";
        return 0;
    }

    // erase
    if (force && (!reason || reason->empty()))
        throw InputError("--force needs --reason saying why the erasure cannot wait");
    std::vector<Case> cases;
    const auto refs = store.casesOfCustomer(ref);
    for (const auto& r : refs)
        if (auto c = store.findCase(r)) cases.push_back(std::move(*c));
    if (auto refusal = erasureRefusal(cases, nowAt); refusal && !force) {
        audit.write(nowAt, actor, "erasure refused", ref, *refusal);
        throw InputError("customer " + ref + " cannot be erased yet: " + *refusal +
                         " (give --force with --reason to erase anyway)");
    }
    // The reason stays in the audit log only: it may name the person.
    const CaseEvent note{0, EventType::Note, nowAt, actor, "personal data erased at the customer's request"};
    const auto done = store.anonymise(refs, ref, note);
    audit.write(nowAt, actor, force ? "erased customer (forced)" : "erased customer", ref,
                std::to_string(done.cases) + " cases anonymised" + (reason ? "; reason: " + *reason : ""));
    ctx.out << "erased " << ref << ": the record and the personal data of " << done.cases
            << (done.cases == 1 ? " case" : " cases") << " removed; the cases stay for the reports without a name\n";
    if (!done.journalEmptied)
        ctx.err << "duly: warning: another process is reading the store, so older copies stay in " << ctx.db.string()
                << "-wal until SQLite checkpoints it (at the latest when the last process using the store closes it)\n";
    return 0;
}

duly::app::CommandRegistration reg{"customer", "show, export (subject access), correct or erase a customer's data",
                                   kUsage, runCustomer};

}  // namespace
