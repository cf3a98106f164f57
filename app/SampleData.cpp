// SampleData: loads config/sample/ into an empty store.
#include "SampleData.h"

#include "duly/engine/Csv.h"
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"

#include <fstream>
#include <sstream>

using namespace duly::engine;
namespace fs = std::filesystem;

namespace duly::app {
namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw InputError(p.string() + ": cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// "-6d 09:40" (days ago at a London time) or "-2h" (hours ago).
Instant relativeTime(const std::string& text, Instant now, const std::string& where) {
    const auto& zone = ZoneRules::london();
    auto fail = [&] {
        return InputError(where + ": column received: expected \"-Nd HH:MM\" or \"-Nh\", found \"" + text + "\"");
    };
    if (text.size() < 3 || text[0] != '-') throw fail();
    std::size_t pos = 1;
    int n = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) n = n * 10 + (text[pos++] - '0');
    if (pos == 1 || pos >= text.size()) throw fail();
    if (text[pos] == 'h' && pos + 1 == text.size()) return now - std::chrono::hours{n};
    if (text[pos] != 'd' || pos + 7 != text.size() || text[pos + 1] != ' ') throw fail();
    const Date day = zone.toLocal(now).date - std::chrono::days{n};
    return zone.toInstant(day, parseClockTime(text.substr(pos + 2), where + ": column received"));
}

}  // namespace

SampleReport loadSampleData(const fs::path& home, CaseStore& store, CharterBook& charters, Instant now) {
    const fs::path dir = home / "config" / "sample";
    SampleReport report;
    auto officers = importOfficers(readAll(dir / "officers.csv"), (dir / "officers.csv").string(), store);
    auto customers = importCustomers(readAll(dir / "customers.csv"), (dir / "customers.csv").string(), store);
    if (!officers.errors.empty()) throw InputError(officers.errors.front());
    if (!customers.errors.empty()) throw InputError(customers.errors.front());
    report.officers = officers.imported;
    report.customers = customers.imported;

    // cases.csv may open with # comment lines.
    std::string text = readAll(dir / "cases.csv");
    std::string body;
    std::istringstream lines(text);
    std::string line;
    std::size_t skipped = 0;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] == '#') {
            ++skipped;
            continue;
        }
        body += line + "\n";
    }
    auto csv = parseCsv(body);
    if (!csv.error.empty()) throw InputError((dir / "cases.csv").string() + ": " + csv.error);
    CaseService service(store, charters);
    for (std::size_t r = 1; r < csv.records.size(); ++r) {
        const auto& f = csv.records[r].fields;
        const std::string where = (dir / "cases.csv").string() + ":" + std::to_string(csv.records[r].line + skipped);
        if (f.size() < 8) throw InputError(where + ": expected 8 columns");
        OpenCaseRequest req;
        req.charter = f[0];
        req.channel = parseChannel(f[1], where + ": channel");
        req.kind = parseKind(f[2], where + ": kind");
        req.received = relativeTime(f[3], now, where);
        req.customerRef = f[4];
        req.officerId = f[5];
        req.subject = f[6];
        req.source = "sample";
        req.actor = "duly";
        Case c = service.open(req);
        if (f[7] == "yes") service.acknowledge(c.reference, req.received + std::chrono::minutes{30}, req.officerId);
        ++report.cases;
    }
    return report;
}

}  // namespace duly::app
