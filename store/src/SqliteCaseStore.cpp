// SqliteCaseStore: the case store on SQLite. Owns the connection and the
// SQL for officers, customers, cases, items, events and reference
// sequences; the schema itself is in Migrations.cpp. Every write runs in one
// IMMEDIATE transaction and is rolled back whole when any statement fails
// (the Poco exception is passed on). Rows are read through RecordSet by
// column position; each query lists its columns in the order the reader
// expects (kCaseColumns).
#include "duly/store/SqliteCaseStore.h"

#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/store/Migrations.h"

#include "SqliteSupport.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <system_error>
#include <cstdio>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::store {
namespace {

using namespace detail;

std::string joinFormats(const std::vector<std::string>& formats) {
    std::string out;
    for (const auto& f : formats) out += (out.empty() ? "" : ";") + f;
    return out;
}

std::vector<std::string> splitFormats(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find(';', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

const char* kOfficerColumns = "id, name, position, email, phone, team, manager_id, role";
const char* kCustomerColumns =
    "reference, name, salutation, email, phone, address_line_1, address_line_2, address_line_3, town, postcode,"
    " language, formats, preferred_channel, language_confirmed, brand";
const char* kCaseColumns =
    "id, reference, charter, channel, kind, state, customer_ref, officer_id, subject, received, counted_from,"
    " acknowledge_by, respond_by, holding_reply_by, acknowledged_at, holding_reply_sent_at, replied_at, closed_at,"
    " extension_days, holding_reason, holding_new_date, paused_since, paused_days, brand,"
    " acknowledgement_withheld, stage1_officer, stage1_received, stage1_acknowledged_at, stage1_respond_by,"
    " stage1_replied_at, stage1_extension_days, urgent, call_number";

template <typename Rs>
Officer officerAt(const Rs& rs, std::size_t row) {
    Officer o;
    o.id = text(rs, 0, row);
    o.name = text(rs, 1, row);
    o.position = text(rs, 2, row);
    o.email = text(rs, 3, row);
    o.phone = text(rs, 4, row);
    o.team = text(rs, 5, row);
    o.managerId = text(rs, 6, row);
    o.role = roleFromName(text(rs, 7, row)).value_or(Role::Officer);
    return o;
}

template <typename Rs>
Customer customerAt(const Rs& rs, std::size_t row) {
    Customer c;
    c.reference = text(rs, 0, row);
    c.name = text(rs, 1, row);
    c.salutation = text(rs, 2, row);
    c.email = text(rs, 3, row);
    c.phone = text(rs, 4, row);
    c.addressLine1 = text(rs, 5, row);
    c.addressLine2 = text(rs, 6, row);
    c.addressLine3 = text(rs, 7, row);
    c.town = text(rs, 8, row);
    c.postcode = text(rs, 9, row);
    c.language = text(rs, 10, row);
    c.formats = splitFormats(text(rs, 11, row));
    c.preferredChannel = preferredChannelFromName(text(rs, 12, row)).value_or(PreferredChannel::Email);
    c.languageConfirmed = integer(rs, 13, row) != 0;
    c.brand = text(rs, 14, row);
    return c;
}

// A representative's address: lines joined by line breaks.
std::string joinLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

std::vector<std::string> addressLines(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < joined.size()) {
        auto end = joined.find('\n', start);
        if (end == std::string::npos) end = joined.size();
        if (end > start) out.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Fills the remedies and referral of `cases` from the rows of the cases
// (aliased c) that `where` selects with `args` bound.
// `cache`: the store's prepared statements (SQLite), or null.
void readRemedies(Poco::Data::Session& session, std::vector<Case>& cases, const std::string& where,
                  std::vector<Int> args, StatementCache* cache = nullptr) {
    std::map<Int, Case*> byId;
    for (auto& c : cases) byId[c.id] = &c;
    Query remedies(session, cache,
                   "SELECT m.case_id, m.id, m.kind, m.detail, m.due_by, m.amount_pence, m.actor, m.at FROM remedies m"
                   " JOIN cases c ON c.id = m.case_id WHERE " +
                       where + " ORDER BY m.case_id, m.id");
    for (auto a : args) remedies.bind(a);
    Rows rs = remedies.rows();
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        auto found = byId.find(integer(rs, 0, r));
        if (found == byId.end()) continue;
        Remedy m;
        m.id = integer(rs, 1, r);
        m.kind = remedyKindFromName(text(rs, 2, r)).value_or(RemedyKind::Apology);
        m.detail = text(rs, 3, r);
        if (!rs.isNull(4, r)) m.dueBy = parseDate(text(rs, 4, r));
        m.amountPence = integer(rs, 5, r);
        m.actor = text(rs, 6, r);
        m.at = instant(integer(rs, 7, r));
        found->second->remedies.push_back(std::move(m));
    }
    Query referrals(session, cache,
                    "SELECT f.case_id, f.referred_at, f.outcome, f.outcome_at, f.actor FROM referrals f"
                    " JOIN cases c ON c.id = f.case_id WHERE " +
                        where);
    for (auto a : args) referrals.bind(a);
    Rows fr = referrals.rows();
    for (std::size_t r = 0; r < fr.rowCount(); ++r) {
        auto found = byId.find(integer(fr, 0, r));
        if (found == byId.end()) continue;
        found->second->referral = Referral{instant(integer(fr, 1, r)), text(fr, 2, r), optionalInstant(fr, 3, r),
                                           text(fr, 4, r)};
    }
}

template <typename Rs>
Case caseAt(const Rs& rs, std::size_t row) {
    Case c;
    c.id = integer(rs, 0, row);
    c.reference = text(rs, 1, row);
    c.charter = text(rs, 2, row);
    c.channel = channelFromName(text(rs, 3, row)).value_or(Channel::Email);
    c.kind = kindFromName(text(rs, 4, row)).value_or(Kind::Enquiry);
    c.state = caseStateFromName(text(rs, 5, row)).value_or(CaseState::Open);
    c.customerRef = text(rs, 6, row);
    c.officerId = text(rs, 7, row);
    c.subject = text(rs, 8, row);
    c.received = instant(integer(rs, 9, row));
    c.countedFrom = parseDate(text(rs, 10, row), "counted_from");
    c.acknowledgeBy = optionalInstant(rs, 11, row);
    c.respondBy = optionalInstant(rs, 12, row);
    c.holdingReplyBy = optionalInstant(rs, 13, row);
    c.acknowledgedAt = optionalInstant(rs, 14, row);
    c.holdingReplySentAt = optionalInstant(rs, 15, row);
    c.repliedAt = optionalInstant(rs, 16, row);
    c.closedAt = optionalInstant(rs, 17, row);
    c.extensionDays = static_cast<int>(integer(rs, 18, row));
    c.holdingReason = text(rs, 19, row);
    c.holdingNewDate = optionalInstant(rs, 20, row);
    c.pausedSince = optionalInstant(rs, 21, row);
    c.pausedDays = static_cast<int>(integer(rs, 22, row));
    c.brand = text(rs, 23, row);
    c.acknowledgementWithheld = text(rs, 24, row);
    c.stage1OfficerId = text(rs, 25, row);
    if (auto received = optionalInstant(rs, 26, row))
        c.stage1 = Stage1Dates{*received, optionalInstant(rs, 27, row), optionalInstant(rs, 28, row),
                               optionalInstant(rs, 29, row), static_cast<int>(integer(rs, 30, row))};
    c.urgent = integer(rs, 31, row) != 0;
    c.callNumber = text(rs, 32, row);
    return c;
}

}  // namespace

SqliteCaseStore::SqliteCaseStore(const std::filesystem::path& file) : SqliteCaseStore(StoreUrl::parse(file.string())) {}

SqliteCaseStore::SqliteCaseStore(const StoreUrl& location) {
    if (location.kind == StoreUrl::Kind::PostgreSql) {
        openPostgreSql(location);
        return;
    }
    const std::filesystem::path& file = location.file;
    Poco::Data::SQLite::Connector::registerConnector();
    // The store holds every tenant's correspondence: its folder is made 0700
    // and the file 0600 before SQLite opens it, since SQLite creates a new
    // database 0644 less the umask and gives its -wal and -shm the
    // database's own mode. Files of an older version are narrowed here too.
    if (file.string() != ":memory:" && !file.empty()) {
        try {
            if (file.has_parent_path()) duly::engine::makePrivateDirectories(file.parent_path());
        } catch (const std::system_error& e) {
            throw InputError(file.parent_path().string() + ": cannot create the store's folder: " + e.code().message());
        }
        try {
            ::close(duly::engine::openPrivateFile(file, O_CREAT));
            for (const char* suffix : {"-wal", "-shm"}) duly::engine::makeFilePrivate(file.string() + suffix);
        } catch (const std::system_error& e) {
            throw InputError(file.string() + ": cannot open the store as a private file (mode 0600): " + e.what());
        }
    }
    try {
        _session = std::make_unique<Poco::Data::Session>("SQLite", file.string());
    } catch (const std::exception& e) {
        throw InputError(file.string() + ": cannot open the store: " + e.what());
    }
    auto& s = *_session;
    try {
        // WAL: readers (the web pages) never wait for the writer (the mail
        // poller). synchronous=FULL: a case or a queued message is on disk
        // when a call returns; NORMAL could lose the last transactions on a
        // power cut, and a customer's letter is not a cache.
        std::string mode;
        s << "PRAGMA journal_mode = WAL", into(mode), now;
        s << "PRAGMA synchronous = FULL", now;
        // A write batch of 50 messages (cases, items, raw bytes, queued
        // acknowledgements and a dozen indexes) outgrew SQLite's default 2 MB
        // page cache, which then wrote pages to the WAL in the middle of the
        // transaction and again at its commit. 16 MB holds a batch; it is
        // taken only as pages are used.
        s << "PRAGMA cache_size = -16384", now;
        s << "PRAGMA foreign_keys = ON", now;
        s << "PRAGMA busy_timeout = 10000", now;
        // What is deleted or overwritten is zeroed in the file, not left in
        // free space: erasing a customer must remove their words from disk.
        s << "PRAGMA secure_delete = ON", now;
        migrate(s, file.string());
        _statements = std::make_unique<StatementCache>(Poco::Data::SQLite::Utility::dbHandle(s), file.string());
    } catch (const InputError&) {
        throw;
    } catch (const Poco::Exception& e) {
        // Typically "file is not a database": name the file, keep SQLite's words.
        throw InputError(file.string() + ": cannot open the store: " + e.displayText());
    }
}

void SqliteCaseStore::openPostgreSql(const StoreUrl& location) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    const std::string shown = location.shown();
    const std::string connection = location.connectionString();  // InputError for a missing password file
    try {
        _session = std::make_unique<Poco::Data::Session>("PostgreSQL", connection);
    } catch (const Poco::Exception& e) {
        throw InputError(shown + ": cannot open the store: " + e.displayText());
    }
    try {
        // Times are UTC seconds bound from here; the session's zone and
        // encoding are fixed so nothing depends on the server's defaults.
        *_session << "SET TIME ZONE 'UTC'", now;
        *_session << "SET client_encoding = 'UTF8'", now;
        // libpq prints the server's notices on stderr ("relation … already
        // exists, skipping"); warnings and errors still come through.
        *_session << "SET client_min_messages = WARNING", now;
        migrate(*_session, shown);
        // The store's statements prepared once on this connection
        // (SqliteStatements.h).
        _statements = std::make_unique<StatementCache>(pgConnection(*_session), shown);
    } catch (const InputError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw InputError(shown + ": cannot open the store: " + e.displayText());
    }
}

SqliteCaseStore::~SqliteCaseStore() = default;

int SqliteCaseStore::schemaVersion() const {
    std::lock_guard lock(_mutex);
    int v = 0;
    *_session << sql(*_session, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), into(v), now;
    return v;
}

void SqliteCaseStore::upsertOfficer(const Officer& o) {
    std::lock_guard lock(_mutex);
    std::string id = o.id, name = o.name, position = o.position, email = o.email, phone = o.phone, team = o.team,
                manager = o.managerId, role(roleName(o.role));
    *_session << sql(*_session,
                     "INSERT INTO officers (id, name, position, email, phone, team, manager_id, role)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position,"
                     " email = excluded.email, phone = excluded.phone, team = excluded.team,"
                     " manager_id = excluded.manager_id, role = excluded.role"),
        use(id), use(name), use(position), use(email), use(phone), use(team), use(manager), use(role), now;
}

std::optional<Officer> SqliteCaseStore::officer(const std::string& id) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(), std::string("SELECT ") + kOfficerColumns + " FROM officers WHERE id = ?")
                  .bind(id)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return officerAt(rs, 0);
}

std::vector<Officer> SqliteCaseStore::officers() const {
    std::lock_guard lock(_mutex);
    Statement st(*_session);
    st << sql(*_session, std::string("SELECT ") + kOfficerColumns + " FROM officers ORDER BY id"), now;
    RecordSet rs(st);
    std::vector<Officer> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(officerAt(rs, r));
    return out;
}

void SqliteCaseStore::upsertCustomer(const Customer& c) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
                     "INSERT INTO customers (reference, name, salutation, email, phone, address_line_1, address_line_2,"
                     " address_line_3, town, postcode, language, formats, preferred_channel, language_confirmed, brand)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (reference) DO UPDATE SET name = excluded.name, salutation = excluded.salutation,"
                     " email = excluded.email, phone = excluded.phone, address_line_1 = excluded.address_line_1,"
                     " address_line_2 = excluded.address_line_2, address_line_3 = excluded.address_line_3,"
                     " town = excluded.town, postcode = excluded.postcode, language = excluded.language,"
                     " formats = excluded.formats, preferred_channel = excluded.preferred_channel,"
                     " language_confirmed = excluded.language_confirmed, brand = excluded.brand")
        .bind(c.reference)
        .bind(c.name)
        .bind(c.salutation)
        .bind(c.email)
        .bind(c.phone)
        .bind(c.addressLine1)
        .bind(c.addressLine2)
        .bind(c.addressLine3)
        .bind(c.town)
        .bind(c.postcode)
        .bind(c.language)
        .bind(joinFormats(c.formats))
        .bind(std::string(preferredChannelName(c.preferredChannel)))
        .bind(Int{c.languageConfirmed ? 1 : 0})
        .bind(c.brand)
        .run();
}

std::optional<Customer> SqliteCaseStore::customer(const std::string& reference) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE reference = ?")
                  .bind(reference)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return customerAt(rs, 0);
}

std::optional<Customer> SqliteCaseStore::customerByEmail(const std::string& email) const {
    if (email.empty()) return std::nullopt;
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    std::string("SELECT ") + kCustomerColumns +
                        " FROM customers WHERE email <> '' AND lower(email) = lower(?) ORDER BY reference LIMIT 1")
                  .bind(email)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return customerAt(rs, 0);
}

std::size_t SqliteCaseStore::customerCount() const {
    std::lock_guard lock(_mutex);
    Int n = 0;
    *_session << sql(*_session, "SELECT COUNT(*) FROM customers"), into(n), now;
    return static_cast<std::size_t>(n);
}

std::size_t SqliteCaseStore::caseCount() const {
    std::lock_guard lock(_mutex);
    Int n = 0;
    *_session << sql(*_session, "SELECT COUNT(*) FROM cases"), into(n), now;
    return static_cast<std::size_t>(n);
}

std::size_t SqliteCaseStore::openCaseCount(const std::string& officerId) const {
    std::lock_guard lock(_mutex);
    Int n = 0;
    std::string id = officerId;
    // Counted in the index cases_by_officer (officer_id, state, received).
    *_session << sql(*_session, "SELECT COUNT(*) FROM cases WHERE officer_id = ? AND state = 'open'"), use(id), into(n),
        now;
    return static_cast<std::size_t>(n);
}

std::string SqliteCaseStore::nextReference(const std::string& referencePrefix, long long year) {
    auto& s = *_session;
    const std::string& prefix = referencePrefix;
    const Int y = year;
    // The row is locked by the update until the transaction ends, in both
    // databases, so two writers never get the same number.
    const Int number =
        Query(s, _statements.get(),
              "INSERT INTO reference_sequences (prefix, year, last) VALUES (?, ?, 1)"
              " ON CONFLICT (prefix, year) DO UPDATE SET last = reference_sequences.last + 1 RETURNING last")
            .bind(prefix)
            .bind(y)
            .single()
            .value_or(0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s-%lld-%05lld", prefix.c_str(), static_cast<long long>(y),
                  static_cast<long long>(number));
    return buf;
}

void SqliteCaseStore::insertFacts(std::int64_t caseId, const Case& c) {
    // Facts are only ever added: one already stored is left as it is.
    auto& s = *_session;
    const Int id = caseId;
    for (const auto& x : c.extensions) {
        Query(s, _statements.get(),
              "INSERT INTO extensions (case_id, number, working_days, reason, date_before, date_after, actor, at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, number) DO NOTHING")
            .bind(id)
            .bind(Int{x.number})
            .bind(Int{x.workingDays})
            .bind(x.reason)
            .bind(nullable(x.dateBefore))
            .bind(nullable(x.dateAfter))
            .bind(x.actor)
            .bind(seconds(x.at))
            .run();
    }
    for (const auto& call : c.calls) {
        Query(s, _statements.get(),
              "INSERT INTO calls (case_id, number, at, actor, phone, outcome, purpose, note)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, number) DO NOTHING")
            .bind(id)
            .bind(Int{call.number})
            .bind(seconds(call.at))
            .bind(call.actor)
            .bind(call.phone)
            .bind(std::string(callOutcomeName(call.outcome)))
            .bind(call.purpose)
            .bind(call.note)
            .run();
    }
    for (const auto& g : c.datesGiven) {
        Query(s, _statements.get(),
              "INSERT INTO dates_given (case_id, document_key, date, given_at) VALUES (?, ?, ?, ?)"
              " ON CONFLICT (case_id, document_key) DO NOTHING")
            .bind(id)
            .bind(g.documentKey)
            .bind(seconds(g.date))
            .bind(seconds(g.givenAt))
            .run();
    }
}

namespace {

// The columns a case is written with, after its reference, in the order
// CaseRow binds them: one list for INSERT and UPDATE.
constexpr const char* kCaseWriteColumns[] = {
    "charter", "channel", "kind", "state", "customer_ref", "officer_id", "subject", "received", "counted_from",
    "acknowledge_by", "respond_by", "holding_reply_by", "acknowledged_at", "holding_reply_sent_at", "replied_at",
    "closed_at", "extension_days", "holding_reason", "holding_new_date", "paused_since", "paused_days", "brand",
    "acknowledgement_withheld", "stage1_officer", "stage1_received", "stage1_acknowledged_at", "stage1_respond_by",
    "stage1_replied_at", "stage1_extension_days", "urgent", "call_number"};

const std::string& caseInsertSql() {
    static const std::string sql = [] {
        std::string columns = "reference", marks = "?";
        for (const char* c : kCaseWriteColumns) {
            columns += std::string(", ") + c;
            marks += ", ?";
        }
        return "INSERT INTO cases (" + columns + ") VALUES (" + marks + ")";
    }();
    return sql;
}

const std::string& caseUpdateSql() {
    static const std::string sql = [] {
        std::string set;
        for (const char* c : kCaseWriteColumns) set += (set.empty() ? "" : ", ") + std::string(c) + " = ?";
        return "UPDATE cases SET " + set + " WHERE reference = ?";
    }();
    return sql;
}

// A case's values as bound to kCaseWriteColumns; they must outlive the
// statement.
struct CaseRow {
    std::string ref, charter, channel, kind, state, customer, officer, subject, counted;
    Int received;
    NullableInt ackBy, respondBy, holdingBy, ackAt, holdingAt, repliedAt, closedAt;
    int ext;
    std::string holdingReason;
    NullableInt holdingNew, pausedSince;
    int pausedDays;
    std::string brand, withheld, stage1;
    NullableInt s1Received, s1Ack, s1Respond, s1Replied;
    int s1Ext, urgent;
    std::string callNumber;

    explicit CaseRow(const Case& c)
        : ref(c.reference), charter(c.charter), channel(channelName(c.channel)), kind(kindName(c.kind)),
          state(caseStateName(c.state)), customer(c.customerRef), officer(c.officerId), subject(c.subject),
          counted(formatDate(c.countedFrom)), received(seconds(c.received)), ackBy(nullable(c.acknowledgeBy)),
          respondBy(nullable(c.respondBy)), holdingBy(nullable(c.holdingReplyBy)), ackAt(nullable(c.acknowledgedAt)),
          holdingAt(nullable(c.holdingReplySentAt)), repliedAt(nullable(c.repliedAt)), closedAt(nullable(c.closedAt)),
          ext(c.extensionDays), holdingReason(c.holdingReason), holdingNew(nullable(c.holdingNewDate)),
          pausedSince(nullable(c.pausedSince)), pausedDays(c.pausedDays), brand(c.brand),
          withheld(c.acknowledgementWithheld), stage1(c.stage1OfficerId),
          s1Received(nullable(c.stage1 ? std::optional<Instant>(c.stage1->received) : std::nullopt)),
          s1Ack(nullable(c.stage1 ? c.stage1->acknowledgedAt : std::nullopt)),
          s1Respond(nullable(c.stage1 ? c.stage1->respondBy : std::nullopt)),
          s1Replied(nullable(c.stage1 ? c.stage1->repliedAt : std::nullopt)),
          s1Ext(c.stage1 ? c.stage1->extensionDays : 0), urgent(c.urgent ? 1 : 0),
          callNumber(c.callNumber) {}

    void bindColumns(Statement& st) {
        st, use(charter), use(channel), use(kind), use(state), use(customer), use(officer), use(subject), use(received),
            use(counted), use(ackBy), use(respondBy), use(holdingBy), use(ackAt), use(holdingAt), use(repliedAt),
            use(closedAt), use(ext), use(holdingReason), use(holdingNew), use(pausedSince), use(pausedDays), use(brand),
            use(withheld), use(stage1), use(s1Received), use(s1Ack), use(s1Respond), use(s1Replied), use(s1Ext),
            use(urgent), use(callNumber);
    }
    // The same values, in the same order, for a Query.
    void bindColumns(Query& q) const {
        q.bind(charter).bind(channel).bind(kind).bind(state).bind(customer).bind(officer).bind(subject).bind(received);
        q.bind(counted).bind(ackBy).bind(respondBy).bind(holdingBy).bind(ackAt).bind(holdingAt).bind(repliedAt);
        q.bind(closedAt).bind(ext).bind(holdingReason).bind(holdingNew).bind(pausedSince).bind(pausedDays).bind(brand);
        q.bind(withheld).bind(stage1).bind(s1Received).bind(s1Ack).bind(s1Respond).bind(s1Replied).bind(s1Ext);
        q.bind(urgent).bind(callNumber);
    }
};

}  // namespace

void SqliteCaseStore::insertCase(Case& c, const std::string* raw) {
    auto& s = *_session;
    CaseRow row(c);
    Query insert(s, _statements.get(), caseInsertSql() + " RETURNING id");
    insert.bind(row.ref);
    row.bindColumns(insert);
    const Int id = insert.single().value_or(0);
    c.id = id;
    insertFacts(id, c);
    for (auto& item : c.items) {
        item.id = Query(s, _statements.get(),
                        "INSERT INTO items (case_id, channel, received, subject, body, source, sender, fingerprint)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                      .bind(id)
                      .bind(std::string(channelName(item.channel)))
                      .bind(seconds(item.received))
                      .bind(item.subject)
                      .bind(item.body)
                      .bind(item.source)
                      .bind(item.from)
                      .bind(item.fingerprint)
                      .single()
                      .value_or(0);
        insertAttachments(item.id, item.attachments);
    }
    if (raw && !c.items.empty()) {
        // Kept even when empty: a message of no bytes is still what came.
        Query(s, _statements.get(),
              std::string("INSERT INTO raw_items (item_id, bytes) VALUES (?, COALESCE(?, ") + emptyBytes(s) + "))")
            .bind(c.items.front().id)
            .bindBytes(*raw)
            .run();
    }
    const auto eventIds = insertEvents(s, id, c.events, _statements.get());
    for (std::size_t i = 0; i < eventIds.size(); ++i) c.events[i].id = eventIds[i];
}

Case SqliteCaseStore::createCase(Case c, const std::string& referencePrefix) {
    // Charters check their prefix when read; this guards the references
    // against any other caller, since a reference can never be changed.
    const bool prefixOk = !referencePrefix.empty() && referencePrefix.size() <= 16 &&
                          std::all_of(referencePrefix.begin(), referencePrefix.end(),
                                      [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); });
    if (!prefixOk)
        throw InputError("reference prefix \"" + referencePrefix +
                         "\": expected 1 to 16 capital letters or digits, such as PHG");
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] {
        if (c.reference.empty())
            c.reference = nextReference(referencePrefix, static_cast<int>(civil(std::chrono::floor<std::chrono::days>(c.received)).year()));
        insertCase(c, nullptr);
        return c;
    }, "", _statements.get());
}

void SqliteCaseStore::updateCaseRow(const Case& c, const std::vector<CaseEvent>& newEvents) {
    auto& s = *_session;
    CaseRow row(c);
    Query update(s, _statements.get(), caseUpdateSql());
    row.bindColumns(update);
    update.bind(row.ref);
    if (update.run() != 1) throw InputError("no case with reference \"" + c.reference + "\"");
    const Int id =
        Query(s, _statements.get(), "SELECT id FROM cases WHERE reference = ?").bind(row.ref).single().value_or(0);
    insertFacts(id, c);
    insertEvents(s, id, newEvents, _statements.get());
}

void SqliteCaseStore::updateCase(const Case& c, const std::vector<CaseEvent>& newEvents) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] { updateCaseRow(c, newEvents); }, "", _statements.get());
}

std::optional<Case> SqliteCaseStore::findCase(const std::string& reference) const {
    std::lock_guard lock(_mutex);
    // The case, its items and its events as of one moment, even while
    // another process writes.
    return inTransaction(
        *_session, [&]() -> std::optional<Case> { return findCaseUnlocked(reference); },
        postgres(*_session) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", _statements.get());
}

std::optional<Case> SqliteCaseStore::findCaseUnlocked(const std::string& reference) const {
    auto query = [&](std::string text) { return Query(*_session, _statements.get(), std::move(text)); };
    Rows rs = query(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE reference = ?").bind(reference).rows();
    if (rs.rowCount() == 0) return std::nullopt;
    Case c = caseAt(rs, 0);
    Int id = c.id;

    Rows ir = query("SELECT id, channel, received, subject, body, source, sender FROM items WHERE case_id = ? ORDER BY id")
                  .bind(id)
                  .rows();
    for (std::size_t r = 0; r < ir.rowCount(); ++r) {
        c.items.push_back(Item{integer(ir, 0, r), channelFromName(text(ir, 1, r)).value_or(Channel::Email),
                               instant(integer(ir, 2, r)), text(ir, 3, r), text(ir, 4, r), text(ir, 5, r),
                               text(ir, 6, r)});
    }
    Rows xr = query("SELECT number, working_days, reason, date_before, date_after, actor, at FROM extensions"
                    " WHERE case_id = ? ORDER BY number")
                  .bind(id)
                  .rows();
    for (std::size_t r = 0; r < xr.rowCount(); ++r)
        c.extensions.push_back(Extension{static_cast<int>(integer(xr, 0, r)), static_cast<int>(integer(xr, 1, r)),
                                         text(xr, 2, r), optionalInstant(xr, 3, r), optionalInstant(xr, 4, r),
                                         text(xr, 5, r), instant(integer(xr, 6, r))});
    Rows cr = query("SELECT number, at, actor, phone, outcome, purpose, note FROM calls WHERE case_id = ? ORDER BY number")
                  .bind(id)
                  .rows();
    for (std::size_t r = 0; r < cr.rowCount(); ++r)
        c.calls.push_back(Call{static_cast<int>(integer(cr, 0, r)), instant(integer(cr, 1, r)), text(cr, 2, r),
                               text(cr, 3, r), callOutcomeFromName(text(cr, 4, r)).value_or(CallOutcome::NoAnswer),
                               text(cr, 5, r), text(cr, 6, r)});
    Rows gr = query("SELECT document_key, date, given_at FROM dates_given WHERE case_id = ? ORDER BY given_at, id")
                  .bind(id)
                  .rows();
    for (std::size_t r = 0; r < gr.rowCount(); ++r)
        c.datesGiven.push_back(DateGiven{text(gr, 0, r), instant(integer(gr, 1, r)), instant(integer(gr, 2, r))});
    Rows pr = query("SELECT kind, name, salutation, email, address, consent_at, consent_how, send_to, added_by, added_at"
                    " FROM representatives WHERE case_id = ?")
                  .bind(id)
                  .rows();
    if (pr.rowCount() == 1) {
        Representative r;
        r.kind = representativeKindFromName(text(pr, 0, 0)).value_or(RepresentativeKind::Other);
        r.name = text(pr, 1, 0);
        r.salutation = text(pr, 2, 0);
        r.email = text(pr, 3, 0);
        r.address = addressLines(text(pr, 4, 0));
        r.consentAt = instant(integer(pr, 5, 0));
        r.consentHow = text(pr, 6, 0);
        r.sendTo = sendToFromName(text(pr, 7, 0)).value_or(SendTo::Copy);
        r.addedBy = text(pr, 8, 0);
        r.addedAt = instant(integer(pr, 9, 0));
        c.representative = std::move(r);
    }
    std::vector<Case> one;
    one.push_back(std::move(c));
    readRemedies(*_session, one, "c.id = ?", {id}, _statements.get());
    c = std::move(one.front());
    Rows er = query("SELECT id, type, at, actor, detail FROM events WHERE case_id = ? ORDER BY at, id").bind(id).rows();
    for (std::size_t r = 0; r < er.rowCount(); ++r) {
        c.events.push_back(CaseEvent{integer(er, 0, r), eventTypeFromName(text(er, 1, r)).value_or(EventType::Note),
                                     instant(integer(er, 2, r)), text(er, 3, r), text(er, 4, r)});
    }
    return c;
}

std::int64_t SqliteCaseStore::caseId(const std::string& reference) const {
    const auto id = Query(*_session, _statements.get(), "SELECT id FROM cases WHERE reference = ?").bind(reference).single();
    if (!id) throw InputError("no case with reference \"" + reference + "\"");
    return *id;
}

void SqliteCaseStore::setRepresentative(const std::string& reference, const std::optional<Representative>& r,
                                        const CaseEvent& event) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        auto& s = *_session;
        Int id = caseId(reference);
        s << sql(s, "DELETE FROM representatives WHERE case_id = ?"), use(id), now;
        if (r) {
            std::string kind(representativeKindName(r->kind)), name = r->name, salutation = r->salutation,
                email = r->email, address = joinLines(r->address), how = r->consentHow,
                sendTo(sendToName(r->sendTo)), by = r->addedBy;
            Int consentAt = seconds(r->consentAt), addedAt = seconds(r->addedAt);
            s << sql(s,
                     "INSERT INTO representatives (case_id, kind, name, salutation, email, address, consent_at,"
                     " consent_how, send_to, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                use(id), use(kind), use(name), use(salutation), use(email), use(address), use(consentAt), use(how),
                use(sendTo), use(by), use(addedAt), now;
        }
        insertEvents(s, id, {event}, _statements.get());
    }, "", _statements.get());
}

Remedy SqliteCaseStore::addRemedy(const std::string& reference, Remedy remedy, const CaseEvent& event) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] {
        auto& s = *_session;
        Int id = caseId(reference);
        std::string kind(remedyKindName(remedy.kind)), detail = remedy.detail, actor = remedy.actor;
        Poco::Nullable<std::string> dueBy;
        if (remedy.dueBy) dueBy = formatDate(*remedy.dueBy);
        Int amount = remedy.amountPence, at = seconds(remedy.at);
        Int remedyId = 0;
        s << sql(s,
                 "INSERT INTO remedies (case_id, kind, detail, due_by, amount_pence, actor, at) VALUES (?, ?, ?, ?, ?, "
                 "?, ?) RETURNING id"),
            use(id), use(kind), use(detail), use(dueBy), use(amount), use(actor), use(at), into(remedyId), now;
        remedy.id = remedyId;
        insertEvents(s, id, {event}, _statements.get());
        return remedy;
    }, "", _statements.get());
}

void SqliteCaseStore::setReferral(const std::string& reference, const Referral& r, const CaseEvent& event) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        auto& s = *_session;
        Int id = caseId(reference);
        Int referredAt = seconds(r.referredAt);
        NullableInt outcomeAt = nullable(r.outcomeAt);
        std::string outcome = r.outcome, actor = r.actor;
        s << sql(s,
                 "INSERT INTO referrals (case_id, referred_at, outcome, outcome_at, actor) VALUES (?, ?, ?, ?, ?)"
                 " ON CONFLICT (case_id) DO UPDATE SET referred_at = excluded.referred_at, outcome = excluded.outcome,"
                 " outcome_at = excluded.outcome_at, actor = excluded.actor"),
            use(id), use(referredAt), use(outcome), use(outcomeAt), use(actor), now;
        insertEvents(s, id, {event}, _statements.get());
    }, "", _statements.get());
}

void SqliteCaseStore::loadRemedies(std::vector<Case>& cases, Instant from, Instant before) const {
    readRemedies(*_session, cases, "c.received >= ? AND c.received < ?", {seconds(from), seconds(before)},
                 _statements.get());
}

std::vector<Case> SqliteCaseStore::casesReceived(Instant from, Instant before) const {
    std::lock_guard lock(_mutex);
    // Served by cases_by_received (migration 3).
    // Through Query, not a RecordSet: a month is tens of thousands of rows
    // (the monthly report), and Query reads them without Poco's copies.
    std::string query = std::string("SELECT ") + kCaseColumns +
                        " FROM cases WHERE received >= ? AND received < ? ORDER BY received DESC, id DESC";
    Rows rs = Query(*_session, _statements.get(), query).bind(seconds(from)).bind(seconds(before)).rows();
    std::vector<Case> out;
    out.reserve(rs.rowCount());
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(caseAt(rs, r));
    loadRemedies(out, from, before);
    return out;
}

std::vector<Case> SqliteCaseStore::closedCasesNotAnonymised(Instant closedBefore) const {
    std::lock_guard lock(_mutex);
    // Served by cases_closed_to_anonymise (migration 12).
    std::string query = std::string("SELECT ") + kCaseColumns +
                        " FROM cases WHERE state = 'closed' AND anonymised_at IS NULL AND closed_at < ?"
                        " ORDER BY closed_at, id";
    Int before = seconds(closedBefore);
    Statement st(*_session);
    st << sql(*_session, query), use(before);
    st.execute();
    RecordSet rs(st);
    std::vector<Case> out;
    out.reserve(rs.rowCount());
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(caseAt(rs, r));
    return out;
}

std::vector<Case> SqliteCaseStore::listCases(const CaseFilter& filter) const {
    std::lock_guard lock(_mutex);
    std::string query = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE 1 = 1";
    std::string officer = filter.officerId.value_or(""), state = filter.state ? std::string(caseStateName(*filter.state)) : "",
                team = filter.team.value_or("");
    Statement st(*_session);
    if (filter.officerId) query += " AND officer_id = ?";
    if (filter.state) query += " AND state = ?";
    if (filter.team) query += " AND officer_id IN (SELECT id FROM officers WHERE team = ?)";
    if (filter.extendedOnly) query += " AND extension_days > 0";
    if (filter.awaitingTriage) query += " AND customer_ref = ''";
    if (filter.pausedOnly) query += " AND paused_since IS NOT NULL";
    if (filter.resumedUnanswered)
        query +=
            " AND replied_at IS NULL AND EXISTS (SELECT 1 FROM events WHERE events.case_id = cases.id AND"
            " events.type = 'resumed')";
    query += " ORDER BY received DESC, id DESC";
    Int limit = static_cast<Int>(filter.limit);
    if (filter.limit) query += " LIMIT ?";
    st << sql(*_session, query);
    if (filter.officerId) st, use(officer);
    if (filter.state) st, use(state);
    if (filter.team) st, use(team);
    if (filter.limit) st, use(limit);
    st.execute();
    RecordSet rs(st);
    std::vector<Case> out;
    out.reserve(rs.rowCount());
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(caseAt(rs, r));
    return out;
}

namespace {

// The due list as one compound SELECT: one branch per kind of action, each
// served by its partial index (Migrations.cpp, version 2) in (due, reference)
// order, which SQLite merges without sorting and stops at the limit.
std::string dueSql(bool byOfficer, bool overdue, bool limited, bool urgentOnly = false) {
    struct Branch {
        const char* what;
        const char* column;
        const char* condition;
    };
    static const Branch branches[] = {
        {"acknowledge", "acknowledge_by", "acknowledged_at IS NULL AND acknowledge_by IS NOT NULL"},
        // A paused clock has nothing due until it resumes.
        {"holding-reply", "holding_reply_by",
         "holding_reply_sent_at IS NULL AND replied_at IS NULL AND holding_reply_by IS NOT NULL"
         " AND paused_since IS NULL"},
        {"respond", "respond_by", "replied_at IS NULL AND respond_by IS NOT NULL AND paused_since IS NULL"},
    };
    std::string sql;
    for (const auto& b : branches) {
        if (!sql.empty()) sql += " UNION ALL ";
        sql += std::string("SELECT reference, officer_id, customer_ref, subject, channel, kind, '") + b.what + "', " +
               b.column + " AS due, charter, urgent, call_number FROM cases WHERE state = 'open' AND " + b.condition;
        if (byOfficer) sql += " AND officer_id = ?";
        if (overdue) sql += std::string(" AND ") + b.column + " < ?";
        if (urgentOnly) sql += " AND urgent = 1";
    }
    sql += " ORDER BY due, reference";
    if (limited) sql += " LIMIT ?";
    return sql;
}

// Values bound to dueSql's placeholders; they must outlive the statement.
struct DueParameters {
    std::optional<std::string> officer;
    std::optional<Int> before;
    std::optional<Int> max;
    bool urgentOnly = false;

    DueParameters(const std::optional<std::string>& officerId, std::optional<Instant> overdueAt, std::size_t limit,
                  bool onlyUrgent = false)
        : officer(officerId),
          before(overdueAt ? std::optional<Int>(seconds(*overdueAt)) : std::nullopt),
          max(limit ? std::optional<Int>(static_cast<Int>(limit)) : std::nullopt),
          urgentOnly(onlyUrgent) {}

    std::string sql() const { return dueSql(officer.has_value(), before.has_value(), max.has_value(), urgentOnly); }

    void bind(Statement& st) {
        for (int i = 0; i < 3; ++i) {
            if (officer) st, use(*officer);
            if (before) st, use(*before);
        }
        if (max) st, use(*max);
    }
};

}  // namespace

std::vector<std::string> SqliteCaseStore::dueActionsPlan(const std::optional<std::string>& officerId,
                                                         std::optional<Instant> overdueAt, std::size_t limit) const {
    std::lock_guard lock(_mutex);
    DueParameters p(officerId, overdueAt, limit);
    Statement st(*_session);
    st << sql(*_session, (postgres(*_session) ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + p.sql());
    p.bind(st);
    st.execute();
    RecordSet rs(st);
    std::vector<std::string> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(text(rs, rs.columnCount() - 1, r));
    return out;
}

namespace {

// The due list's rows for `p` (the caller holds the store's lock).
std::vector<DueAction> readDue(Poco::Data::Session& session, DueParameters& p) {
    Statement st(session);
    st << sql(session, p.sql());
    p.bind(st);
    st.execute();
    RecordSet rs(st);
    std::vector<DueAction> out;
    out.reserve(rs.rowCount());
    for (std::size_t r = 0; r < rs.rowCount(); ++r) {
        DueAction d;
        d.caseReference = text(rs, 0, r);
        d.officerId = text(rs, 1, r);
        d.customerRef = text(rs, 2, r);
        d.subject = text(rs, 3, r);
        d.channel = channelFromName(text(rs, 4, r)).value_or(Channel::Email);
        d.kind = kindFromName(text(rs, 5, r)).value_or(Kind::Enquiry);
        const std::string what = text(rs, 6, r);
        d.what = what == "acknowledge" ? DueAction::What::Acknowledge
                 : what == "holding-reply" ? DueAction::What::HoldingReply
                                           : DueAction::What::Respond;
        d.dueAt = instant(integer(rs, 7, r));
        d.charter = text(rs, 8, r);
        d.urgent = integer(rs, 9, r) != 0;
        d.callNumber = text(rs, 10, r);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

std::vector<DueAction> SqliteCaseStore::urgentDueActions(const std::optional<std::string>& officerId) const {
    std::lock_guard lock(_mutex);
    DueParameters p(officerId, std::nullopt, 0, true);
    return readDue(*_session, p);
}

std::vector<DueAction> SqliteCaseStore::dueActions(const std::optional<std::string>& officerId,
                                                   std::optional<Instant> overdueAt, std::size_t limit) const {
    std::lock_guard lock(_mutex);
    DueParameters p(officerId, overdueAt, limit);
    return readDue(*_session, p);
}

}  // namespace duly::store
