// SqliteCaseStore's MailLedger half: ingest ledger, mailbox progress,
// quarantine and the outbox, in the same SQLite file as the cases so that a
// case and what it decided to send are one transaction.
#include "duly/engine/InputError.h"
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"
#include "TextGuard.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <limits>
#include <mutex>
#include <stdexcept>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::engine {

std::string_view outboundStateName(OutboundMessage::State state) {
    switch (state) {
        case OutboundMessage::State::Queued: return "queued";
        case OutboundMessage::State::Delivered: return "delivered";
        case OutboundMessage::State::Failed: return "failed";
    }
    return "?";
}

}  // namespace duly::engine

namespace duly::store {
namespace {

using namespace detail;

const char* kOutboundColumns =
    "id, case_reference, document_key, route, message_key, recipient, bytes, state, attempts, queued_at,"
    " next_attempt_at, done_at, last_result";

template <typename Rs>
OutboundMessage outboundAt(const Rs& rs, std::size_t r) {
    OutboundMessage m;
    m.id = integer(rs, 0, r);
    m.caseReference = text(rs, 1, r);
    m.documentKey = text(rs, 2, r);
    m.route = text(rs, 3, r) == "post" ? OutboundMessage::Route::Post : OutboundMessage::Route::Email;
    m.messageKey = text(rs, 4, r);
    m.recipient = text(rs, 5, r);
    m.bytes = bytes(rs, 6, r);
    const std::string state = text(rs, 7, r);
    m.state = state == "delivered" ? OutboundMessage::State::Delivered
              : state == "failed"  ? OutboundMessage::State::Failed
                                   : OutboundMessage::State::Queued;
    m.attempts = static_cast<int>(integer(rs, 8, r));
    m.queuedAt = instant(integer(rs, 9, r));
    m.nextAttemptAt = instant(integer(rs, 10, r));
    if (!rs.isNull(11, r)) m.doneAt = instant(integer(rs, 11, r));
    m.lastResult = text(rs, 12, r);
    return m;
}

}  // namespace

namespace {

class SqliteWriteBatch : public WriteBatch {
public:
    SqliteWriteBatch(Poco::Data::Session& session, std::recursive_mutex& mutex, Flush flush)
        : _session(session), _lock(mutex) {
        _nested = inOpenTransaction(_session);
        _postgres = postgres(_session);
        // A nested batch is made durable by the batch around it.
        _relaxed = flush == Flush::System && !_nested;
        if (_nested) {
            _session << "SAVEPOINT duly_batch", now;
        } else if (_postgres) {
            // PostgreSQL's counterpart of synchronous=NORMAL, for this
            // transaction only: a crash of the database server (not of
            // duly) may lose it, never half of it.
            _session << "BEGIN", now;
            if (_relaxed) _session << "SET LOCAL synchronous_commit = off", now;
            _relaxed = false;
        } else {
            if (_relaxed) _session << "PRAGMA synchronous = NORMAL", now;
            try {
                _session << "BEGIN IMMEDIATE", now;
            } catch (...) {
                restoreSynchronous();
                throw;
            }
        }
    }
    ~SqliteWriteBatch() override {
        rollback();
        restoreSynchronous();
    }
    void commit() override {
        if (_done) return;
        // After some errors (a full disk, an I/O error) SQLite rolls the
        // whole transaction back by itself; committing then would claim
        // writes that are gone.
        if (transactionLost(_session))
            throw StoreError(storeFile(_session) +
                             ": the store rolled back a batch of writes after an error; none of it was kept");
        try {
            _session << (_nested ? "RELEASE duly_batch" : "COMMIT"), now;
        } catch (const Poco::Exception& e) {
            throw StoreError(storeFile(_session) + ": a batch of writes could not be made durable: " + e.displayText());
        }
        _done = true;
        restoreSynchronous();
        _lock.unlock();  // other threads may write again
    }

private:
    void restoreSynchronous() {
        if (!_relaxed) return;
        _relaxed = false;
        try {
            _session << "PRAGMA synchronous = FULL", now;
        } catch (...) {
        }
    }
    void rollback() {
        if (_done || !inOpenTransaction(_session)) return;  // committed, or SQLite already rolled it back
        rollbackQuietly(_session, _nested ? "duly_batch" : "");
    }

    Poco::Data::Session& _session;
    std::unique_lock<std::recursive_mutex> _lock;
    bool _nested = false;
    bool _postgres = false;
    bool _relaxed = false;
    bool _done = false;
};

}  // namespace

std::unique_ptr<WriteBatch> SqliteCaseStore::beginBatch(WriteBatch::Flush flush) {
    return std::make_unique<SqliteWriteBatch>(*_session, _mutex, flush);
}

bool SqliteCaseStore::knownSource(const std::string& source) const { return caseForSource(source).has_value(); }

std::optional<std::string> SqliteCaseStore::caseForSource(const std::string& source) const {
    std::lock_guard lock(_mutex);
    Rows rs = Query(*_session, _statements.get(),
                    "SELECT c.reference FROM items i JOIN cases c ON c.id = i.case_id WHERE i.source = ? LIMIT 1")
                  .bind(source)
                  .rows();
    if (rs.rowCount() == 0) return std::nullopt;
    return text(rs, 0, 0);
}

std::optional<MailLedger::SourceItem> SqliteCaseStore::itemForSource(const std::string& source) const {
    std::lock_guard lock(_mutex);
    std::string key = source;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT c.reference, i.id, i.fingerprint FROM items i JOIN cases c ON c.id = i.case_id WHERE i.source = ?"
              " ORDER BY i.id LIMIT 1"),
        use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return SourceItem{text(rs, 0, 0), integer(rs, 1, 0), text(rs, 2, 0)};
}

std::optional<std::string> SqliteCaseStore::caseForSentMessage(const std::string& messageId) const {
    std::lock_guard lock(_mutex);
    std::string key = messageId;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT case_reference FROM outbound WHERE message_key = ? AND route = 'email' AND case_reference <> ''"),
        use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return text(rs, 0, 0);
}

std::optional<MailboxProgress> SqliteCaseStore::progress(const std::string& mailbox) const {
    std::lock_guard lock(_mutex);
    std::string key = mailbox;
    Statement st(*_session);
    st << sql(*_session, "SELECT uid_validity, last_uid FROM mailbox_progress WHERE mailbox = ?"), use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return MailboxProgress{static_cast<std::uint32_t>(integer(rs, 0, 0)), static_cast<std::uint32_t>(integer(rs, 1, 0))};
}

void SqliteCaseStore::saveProgress(const std::string& mailbox, const MailboxProgress& p) {
    std::lock_guard lock(_mutex);
    std::string key = mailbox;
    Int validity = p.uidValidity, last = p.lastUid;
    *_session << sql(*_session,
                     "INSERT INTO mailbox_progress (mailbox, uid_validity, last_uid) VALUES (?, ?, ?)"
                     " ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity,"
                     " last_uid = excluded.last_uid"),
        use(key), use(validity), use(last), now;
}

std::int64_t SqliteCaseStore::quarantine(const QuarantinedMessage& m) {
    std::lock_guard lock(_mutex);
    std::string mailbox = m.mailbox, key = m.messageKey, reason = m.reason, ref = m.caseReference;
    // Quarantine is where a message goes when nothing else could keep it:
    // a NUL in what names it is replaced (U+FFFD), never refused.
    for (auto* t : {&mailbox, &key, &reason, &ref})
        for (auto p = t->find('\0'); p != std::string::npos; p = t->find('\0', p)) t->replace(p, 1, "\xEF\xBF\xBD");
    Int received = seconds(m.received);
    Poco::Data::BLOB raw(reinterpret_cast<const unsigned char*>(m.raw.data()), m.raw.size());
    return inTransaction(*_session, [&] {
        *_session << sql(
            *_session,
            std::string("INSERT INTO quarantine (mailbox, message_key, received, reason, case_reference, raw)"
                        " VALUES (?, ?, ?, ?, ?, COALESCE(?, ") +
                emptyBytes(*_session) + ")) ON CONFLICT (message_key) DO NOTHING"),
            use(mailbox), use(key), use(received), use(reason), use(ref), use(raw), now;
        Int id = 0;
        *_session << sql(*_session, "SELECT id FROM quarantine WHERE message_key = ?"), use(key), into(id), now;
        return static_cast<std::int64_t>(id);
    });
}

std::vector<QuarantinedMessage> SqliteCaseStore::quarantined(std::size_t limit) const {
    std::lock_guard lock(_mutex);
    Int max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
    Statement st(*_session);
    st << sql(*_session,
              "SELECT id, mailbox, message_key, received, reason, case_reference, raw FROM quarantine"
              " ORDER BY received DESC, id DESC LIMIT ?"),
        use(max), now;
    RecordSet rs(st);
    std::vector<QuarantinedMessage> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({integer(rs, 0, r), text(rs, 1, r), text(rs, 2, r), instant(integer(rs, 3, r)), text(rs, 4, r),
                       text(rs, 5, r), bytes(rs, 6, r)});
    return out;
}

std::string SqliteCaseStore::reserveReference(const std::string& prefix, int year) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] { return nextReference(prefix, year); });
}

void SqliteCaseStore::insertMessages(const std::vector<OutboundMessage>& messages) {
    const std::string insert = std::string("INSERT INTO outbound (case_reference, document_key, route, message_key,"
                                           " recipient, bytes, state, attempts, queued_at, next_attempt_at, done_at,"
                                           " last_result) VALUES (?, ?, ?, ?, ?, COALESCE(?, ") +
                               emptyBytes(*_session) + "), ?, ?, ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING";
    for (const auto& m : messages) {
        // Poco binds an empty BLOB as NULL, hence the COALESCE: a refused
        // message has no bytes.
        Query(*_session, _statements.get(), insert)
            .bind(m.caseReference)
            .bind(m.documentKey)
            .bind(std::string(m.route == OutboundMessage::Route::Post ? "post" : "email"))
            .bind(m.messageKey)
            .bind(m.recipient)
            .bindBytes(m.bytes)
            .bind(std::string(outboundStateName(m.state)))
            .bind(m.attempts)
            .bind(seconds(m.queuedAt))
            .bind(seconds(m.nextAttemptAt))
            .bind(nullable(m.doneAt))
            .bind(m.lastResult)
            .run();
    }
}

Case SqliteCaseStore::createCaseWithMessages(Case c, const std::string& raw, const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    // A caller's mistake, not bad input: Intake always reserves one first.
    if (c.reference.empty()) throw std::logic_error("createCaseWithMessages needs a reserved reference");
    return inTransaction(*_session, [&] {
        insertCase(c, &raw);
        insertMessages(messages);
        return c;
    });
}

void SqliteCaseStore::addItem(const std::string& caseReference, const Item& item, const std::string& raw,
                              const std::vector<CaseEvent>& events) {
    std::lock_guard lock(_mutex);
    auto& s = *_session;
    inTransaction(s, [&] {
        std::string ref = caseReference;
        Int caseId = -1;
        Statement find(s);
        find << sql(*_session, "SELECT id FROM cases WHERE reference = ?"), use(ref), now;
        RecordSet found(find);
        if (found.rowCount() == 0) throw InputError("no case with reference \"" + caseReference + "\"");
        caseId = integer(found, 0, 0);
        std::string ch(channelName(item.channel)), subj = item.subject, body = item.body, source = item.source,
                    from = item.from;
        Int at = seconds(item.received);
        std::string fingerprint = item.fingerprint;
        for (const auto& [column, value] : {std::pair{"subject", &subj}, {"body", &body}, {"source", &source},
                                            {"sender", &from}})
            requireNoNul("items", column, *value);
        Int itemId = 0;
        s << sql(s,
                 "INSERT INTO items (case_id, channel, received, subject, body, source, sender, fingerprint)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            use(caseId), use(ch), use(at), use(subj), use(body), use(source), use(from), use(fingerprint), into(itemId),
            now;
        insertAttachments(itemId, item.attachments);
        // Kept even when empty: a message of no bytes is still what came.
        Poco::Data::BLOB bytes(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
        s << sql(s,
                 std::string("INSERT INTO raw_items (item_id, bytes) VALUES (?, COALESCE(?, ") + emptyBytes(s) + "))"),
            use(itemId), use(bytes), now;
        for (const auto& e : events) {
            std::string type(eventTypeName(e.type)), actor = e.actor, detail = e.detail;
            requireNoNul("events", "detail", detail);
            Int when = seconds(e.at);
            s << sql(s, "INSERT INTO events (case_id, type, at, actor, detail) VALUES (?, ?, ?, ?, ?)"), use(caseId),
                use(type), use(when), use(actor), use(detail), now;
        }
    });
}

void SqliteCaseStore::queueMessages(const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] { insertMessages(messages); });
}

void SqliteCaseStore::updateCaseWithMessages(const Case& changed, const std::vector<CaseEvent>& events,
                                             const std::vector<OutboundMessage>& messages) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        updateCaseRow(changed, events);
        insertMessages(messages);
    });
}

std::vector<OutboundMessage> SqliteCaseStore::dueForDelivery(OutboundMessage::Route route, Instant nowAt,
                                                             std::size_t limit) const {
    std::lock_guard lock(_mutex);
    std::string r = route == OutboundMessage::Route::Post ? "post" : "email";
    Int at = seconds(nowAt), max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
    Rows rs = Query(*_session, _statements.get(),
                    std::string("SELECT ") + kOutboundColumns +
                        " FROM outbound WHERE state = 'queued' AND route = ? AND next_attempt_at <= ? ORDER BY "
                        "next_attempt_at, id LIMIT ?")
                  .bind(r)
                  .bind(at)
                  .bind(max)
                  .rows();
    std::vector<OutboundMessage> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) out.push_back(outboundAt(rs, i));
    return out;
}

std::vector<OutboundMessage> SqliteCaseStore::claimForDelivery(OutboundMessage::Route route, Instant nowAt,
                                                              Instant holdUntil, std::size_t limit) {
    std::lock_guard lock(_mutex);
    // SQLite: BEGIN IMMEDIATE holds the one write lock, so no other process
    // reads the same due rows meanwhile. PostgreSQL: the due rows are locked
    // as they are read, and rows another instance has locked are skipped,
    // so two instances never claim the same message.
    return inTransaction(*_session, [&] {
        std::vector<OutboundMessage> due;
        if (postgres(*_session)) {
            std::string r = route == OutboundMessage::Route::Post ? "post" : "email";
            Int at = seconds(nowAt), max = limit ? static_cast<Int>(limit) : std::numeric_limits<Int>::max();
            Statement st(*_session);
            st << sql(*_session, std::string("SELECT ") + kOutboundColumns +
                                     " FROM outbound WHERE state = 'queued' AND route = ? AND next_attempt_at <= ?"
                                     " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED"),
                use(r), use(at), use(max), now;
            RecordSet rs(st);
            for (std::size_t i = 0; i < rs.rowCount(); ++i) due.push_back(outboundAt(rs, i));
        } else {
            due = dueForDelivery(route, nowAt, limit);
        }
        Int until = seconds(holdUntil);
        for (const auto& m : due)
            Query(*_session, _statements.get(), "UPDATE outbound SET next_attempt_at = ? WHERE id = ?")
                .bind(until)
                .bind(m.id)
                .run();
        return due;
    });
}

std::vector<OutboundMessage> SqliteCaseStore::outbound(const std::string& caseReference) const {
    std::lock_guard lock(_mutex);
    std::string ref = caseReference;
    Statement st(*_session);
    st << sql(*_session,
              std::string("SELECT ") + kOutboundColumns + " FROM outbound WHERE case_reference = ? ORDER BY id"),
        use(ref), now;
    RecordSet rs(st);
    std::vector<OutboundMessage> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) out.push_back(outboundAt(rs, i));
    return out;
}

bool SqliteCaseStore::queued(const std::string& caseReference, const std::string& documentKey) const {
    std::lock_guard lock(_mutex);
    std::string ref = caseReference, doc = documentKey;
    Int found = 0;
    *_session << sql(
        *_session,
        "SELECT count(*) FROM (SELECT 1 FROM outbound WHERE case_reference = ? AND document_key = ? LIMIT 1) AS found"),
        use(ref), use(doc), into(found), now;
    return found > 0;
}

void SqliteCaseStore::markDelivered(std::int64_t id, Instant at, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          "UPDATE outbound SET state = 'delivered', attempts = attempts + 1, done_at = ?, last_result = ? WHERE id = ?")
        .bind(seconds(at))
        .bind(result)
        .bind(id)
        .run();
}

void SqliteCaseStore::markRetry(std::int64_t id, Instant nextAttempt, const std::string& result) {
    std::lock_guard lock(_mutex);
    Int key = id, when = seconds(nextAttempt);
    std::string r = result;
    *_session << sql(*_session,
                     "UPDATE outbound SET attempts = attempts + 1, next_attempt_at = ?, last_result = ? WHERE id = ?"),
        use(when), use(r), use(key), now;
}

void SqliteCaseStore::markPrinted(std::int64_t id, Instant at, const std::string& pdf, const std::string& result) {
    std::lock_guard lock(_mutex);
    Query(*_session, _statements.get(),
          std::string("UPDATE outbound SET state = 'delivered', attempts = attempts + 1, done_at = ?, last_result = ?,"
                      " bytes = COALESCE(?, ") +
              emptyBytes(*_session) + ") WHERE id = ?")
        .bind(seconds(at))
        .bind(result)
        .bindBytes(pdf)
        .bind(id)
        .run();
}

void SqliteCaseStore::markFailed(std::int64_t id, Instant at, const std::string& result) {
    std::lock_guard lock(_mutex);
    Int key = id, when = seconds(at);
    std::string r = result;
    *_session << sql(*_session,
                     "UPDATE outbound SET state = 'failed', attempts = attempts + 1, done_at = ?, last_result = ?"
                     " WHERE id = ?"),
        use(when), use(r), use(key), now;
}

std::size_t SqliteCaseStore::autoRepliesSince(const std::string& recipient, Instant since) const {
    std::lock_guard lock(_mutex);
    std::string who = recipient;
    Int from = seconds(since), n = 0;
    *_session << sql(*_session,
                     "SELECT COUNT(*) FROM outbound WHERE lower(recipient) = lower(?) AND queued_at >= ?"
                     " AND route = 'email' AND document_key NOT LIKE 'reply%'"),
        use(who), use(from), into(n), now;
    return static_cast<std::size_t>(n);
}

std::size_t SqliteCaseStore::autoLettersSince(const std::string& customerRef, Instant since) const {
    std::lock_guard lock(_mutex);
    std::string who = customerRef;
    Int from = seconds(since), n = 0;
    *_session << sql(
        *_session,
        "SELECT COUNT(*) FROM outbound o JOIN cases c ON c.reference = o.case_reference"
        " WHERE c.customer_ref = ? AND o.queued_at >= ? AND o.route = 'post' AND o.document_key NOT LIKE 'reply%'"),
        use(who), use(from), into(n), now;
    return static_cast<std::size_t>(n);
}

std::optional<std::string> SqliteCaseStore::rawItem(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session, "SELECT bytes FROM raw_items WHERE item_id = ?"), use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return bytes(rs, 0, 0);
}

void SqliteCaseStore::insertAttachments(std::int64_t itemId, const std::vector<Attachment>& attachments) {
    int position = 0;
    for (const auto& a : attachments) {
        Int item = itemId;
        int pos = position++;
        std::string name = a.name, type = a.contentType;
        requireNoNul("attachments", "name", name);
        requireNoNul("attachments", "content_type", type);
        Poco::Data::BLOB bytes(reinterpret_cast<const unsigned char*>(a.bytes.data()), a.bytes.size());
        // An empty BLOB is bound as NULL: an empty file is stored as empty.
        *_session << sql(*_session, std::string("INSERT INTO attachments (item_id, position, name, content_type, "
                                                "bytes) VALUES (?, ?, ?, ?, COALESCE(?, ") +
                                        emptyBytes(*_session) + "))"),
            use(item), use(pos), use(name), use(type), use(bytes), now;
    }
}

std::vector<Attachment> SqliteCaseStore::attachments(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session, "SELECT name, content_type, bytes FROM attachments WHERE item_id = ? ORDER BY position"),
        use(key), now;
    RecordSet rs(st);
    std::vector<Attachment> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back({text(rs, 0, r), text(rs, 1, r), bytes(rs, 2, r)});
    return out;
}

std::vector<MailLedger::FileInfo> SqliteCaseStore::attachmentList(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT name, content_type, length(bytes) FROM attachments WHERE item_id = ? ORDER BY position"),
        use(key), now;
    RecordSet rs(st);
    std::vector<FileInfo> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({text(rs, 0, r), text(rs, 1, r), static_cast<std::size_t>(integer(rs, 2, r))});
    return out;
}

std::optional<std::size_t> SqliteCaseStore::rawItemSize(std::int64_t itemId) const {
    std::lock_guard lock(_mutex);
    Int key = itemId;
    Statement st(*_session);
    st << sql(*_session, "SELECT length(bytes) FROM raw_items WHERE item_id = ?"), use(key), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return static_cast<std::size_t>(integer(rs, 0, 0));
}

}  // namespace duly::store
