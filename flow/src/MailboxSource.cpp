// MailboxSource: the Maildir and IMAP sources, and takeIn(), the one place
// where a batch is written, committed and only then marked processed. See
// MailboxSource.h.
#include "duly/flow/MailboxSource.h"

#include "duly/engine/InputError.h"
#include "duly/mail/ImapWatcher.h"
#include "duly/mail/MaildirReader.h"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <stdexcept>

using namespace duly::engine;

namespace duly::flow {
namespace {

// How much of a message too large to read is kept as evidence.
constexpr std::size_t kKeptOfTooLarge = mail::ImapWatcher::kKeptOfTooLarge;

// The first `limit` bytes of a file, or nullopt when it cannot be read.
std::optional<std::string> headOf(const std::filesystem::path& file, std::size_t limit) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes(limit, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(limit));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

// A local Maildir: its new/ (and unflagged cur/) messages, 50 to a batch.
// It keeps nothing in the ledger: a message marked processed is no longer
// listed, and one taken in but not marked is recognised by its Message-ID.
class MaildirSource : public MailboxSource {
public:
    MaildirSource(const MailboxConfig& mailbox, std::string path) : MailboxSource(mailbox), _path(std::move(path)) {}

    std::size_t start(MailLedger&, std::ostream&) override {
        _reader.emplace(_path);
        _pending = _reader->pending();
        return _pending.size();
    }

    std::size_t nextBatch() override {
        _first = _end;
        _end = std::min(_pending.size(), _first + kBatch);
        return _end - _first;
    }

    std::optional<MailboxMessage> read(std::size_t i) override {
        const mail::MaildirEntry& entry = _pending[_first + i];
        MailboxMessage m;
        std::optional<std::string> bytes;
        try {
            bytes = _reader->read(entry);
        } catch (const InputError& e) {
            // Over the size limit: its first bytes are taken in and
            // quarantined, so it is neither lost nor read again for ever.
            m.tooLarge = e.what();
            bytes = headOf(entry.path, kKeptOfTooLarge);
        }
        if (!bytes) return std::nullopt;
        m.bytes = std::move(*bytes);
        return m;
    }

    std::string label(std::size_t i) const override { return _pending[_first + i].uniqueName; }

    bool stopsAtRefusal() const override { return false; }

    void keep(MailLedger&, const std::vector<std::size_t>&) override {}

    void markProcessed(const std::vector<std::size_t>& taken, std::ostream& log) override {
        for (const std::size_t i : taken) {
            const mail::MaildirEntry& entry = _pending[_first + i];
            try {
                _reader->markProcessed(entry);
            } catch (const std::exception& e) {
                // Taken in and durable; the next run finds it known.
                log << "duly: mailbox " << mailbox().name << ": " << entry.uniqueName
                    << " stays in new/ (it is on its case; the next run recognises it): " << e.what() << "\n";
            }
        }
    }

private:
    static constexpr std::size_t kBatch = 50;
    std::string _path;
    std::optional<mail::MaildirReader> _reader;
    std::vector<mail::MaildirEntry> _pending;
    std::size_t _first = 0, _end = 0;  // the batch: _pending[_first, _end)
};

// An IMAP folder through mail::ImapWatcher. Batches are bounded by count
// and bytes, so memory stays bounded however much is waiting; a message
// over the size bound goes alone, as its head. Fetching uses BODY.PEEK, so
// nothing is marked read before its batch is committed. The ledger keeps
// UIDVALIDITY and the last UID taken in; when UIDVALIDITY changes the whole
// folder is read again from UID 1.
class ImapSource : public MailboxSource {
public:
    explicit ImapSource(const MailboxConfig& mailbox) : MailboxSource(mailbox) {}

    std::size_t start(MailLedger& ledger, std::ostream& log) override {
        _watcher = std::make_unique<mail::ImapWatcher>(imapMailboxSettings(mailbox()));
        const auto& settings = _watcher->settings();
        mail::ImapSelected selected;
        _client = _watcher->open(selected);
        _progress = ledger.progress(settings.name).value_or(MailboxProgress{});
        if (_progress.uidValidity != selected.uidValidity) {
            if (_progress.uidValidity != 0)
                log << "duly: mailbox " << settings.name << ": UIDVALIDITY changed from " << _progress.uidValidity
                    << " to " << selected.uidValidity
                    << "; reading the folder again (messages already taken in are recognised)\n";
            _progress = {selected.uidValidity, 0};
        }
        const std::vector<std::uint32_t> uids = _client->uidsFrom(_progress.lastUid + 1);
        std::uint64_t bytes = 0;
        for (const auto& [uid, size] : _client->sizes(uids)) {
            if (size > settings.maxMessage) {
                _batches.push_back({{uid}, size});
                _batches.emplace_back();
                bytes = 0;
                continue;
            }
            if (_batches.empty() || _batches.back().uids.size() >= settings.batch || bytes + size > settings.batchBytes) {
                _batches.emplace_back();
                bytes = 0;
            }
            _batches.back().uids.push_back(uid);
            bytes += size;
        }
        return uids.size();
    }

    std::size_t nextBatch() override {
        _messages.clear();
        _tooLarge.clear();
        // A batch whose messages were all expunged since they were listed
        // fetches nothing; the next one is tried.
        while (_messages.empty() && _next < _batches.size()) {
            const Batch& batch = _batches[_next++];
            if (batch.uids.empty()) continue;
            if (batch.tooLargeSize) {
                _messages.push_back(_client->fetchHead(batch.uids.front(), kKeptOfTooLarge));
                _tooLarge = "the message is " + std::to_string(batch.tooLargeSize) + " bytes, over the limit of " +
                            std::to_string(_watcher->settings().maxMessage);
            } else {
                _messages = _client->fetch(batch.uids);
            }
        }
        std::sort(_messages.begin(), _messages.end(),
                  [](const mail::ImapMessage& a, const mail::ImapMessage& b) { return a.uid < b.uid; });
        return _messages.size();
    }

    std::optional<MailboxMessage> read(std::size_t i) override {
        mail::ImapMessage& m = _messages[i];
        return MailboxMessage{std::move(m.bytes), mail::parseInternalDate(m.internalDate), _tooLarge};
    }

    std::string label(std::size_t i) const override { return "UID " + std::to_string(_messages[i].uid); }

    bool stopsAtRefusal() const override { return true; }

    void keep(MailLedger& ledger, const std::vector<std::size_t>& taken) override {
        if (taken.empty()) return;
        _progress.lastUid = _messages[taken.back()].uid;
        ledger.saveProgress(_watcher->settings().name, _progress);
    }

    void markProcessed(const std::vector<std::size_t>& taken, std::ostream&) override {
        if (taken.empty()) return;
        std::vector<std::uint32_t> uids;
        uids.reserve(taken.size());
        for (const std::size_t i : taken) uids.push_back(_messages[i].uid);
        const std::string& processed = _watcher->settings().processed;
        if (processed == "flag") _client->addFlag(uids, "\\Seen $Duly");
        else _client->move(uids, processed.substr(5));
    }

    void finish() override { _client->logout(); }

private:
    struct Batch {
        std::vector<std::uint32_t> uids;
        std::uint64_t tooLargeSize = 0;  // nonzero: one message, fetched as its head
    };
    std::unique_ptr<mail::ImapWatcher> _watcher;
    std::unique_ptr<mail::ImapClient> _client;
    MailboxProgress _progress;
    std::vector<Batch> _batches;
    std::size_t _next = 0;
    std::vector<mail::ImapMessage> _messages;  // the batch, by UID
    std::string _tooLarge;
};

}  // namespace

std::unique_ptr<MailboxSource> mailboxSource(const MailboxConfig& mailbox) {
    if (mailbox.url.rfind("maildir:", 0) == 0) return std::make_unique<MaildirSource>(mailbox, mailbox.url.substr(8));
    return std::make_unique<ImapSource>(mailbox);
}

void takeIn(MailboxSource& source, Ingest& ingest, Instant now, WatchReport& report, std::ostream& log) {
    const MailboxConfig& mailbox = source.mailbox();
    MailLedger& ledger = ingest.ledger();
    try {
        const std::size_t waiting = source.start(ledger, log);
        std::size_t listed = 0;
        bool stopped = false;
        while (!stopped) {
            const std::size_t size = source.nextBatch();
            if (size == 0) break;
            // The batch's cases (and the source's progress past them) become
            // durable in one commit; only then are the messages marked.
            std::vector<std::size_t> taken;
            WatchReport batch;
            try {
                auto writes = ledger.beginBatch();
                for (std::size_t i = 0; i < size; ++i) {
                    const std::optional<MailboxMessage> m = source.read(i);
                    if (!m) continue;
                    // The server's arrival time counts, unless it is later than now (a wrong clock).
                    const Instant received = m->arrived && *m->arrived < now ? *m->arrived : now;
                    try {
                        const IngestResult r = m->tooLarge.empty()
                                                   ? ingest.take(mailbox, m->bytes, received)
                                                   : ingest.takeTooLarge(mailbox, m->bytes, received, m->tooLarge);
                        if (r.action == IntakePlan::Action::Duplicate) ++batch.duplicates;
                        else ++batch.taken;
                        if (r.quarantined) ++batch.quarantined;
                        taken.push_back(i);
                    } catch (const std::exception& e) {
                        ++report.failed;
                        log << "duly: mailbox " << mailbox.name << ": " << source.label(i)
                            << " left for the next run: " << e.what() << "\n";
                        if (source.stopsAtRefusal()) {
                            stopped = true;  // later messages wait, so progress never passes this one
                            break;
                        }
                    }
                }
                source.keep(ledger, taken);
                if (!source.mayCommit())
                    throw std::runtime_error("the mailbox's lock was lost while the batch was read; another instance "
                                             "takes it in");
                writes->commit();
            } catch (const std::exception& e) {
                report.failed += taken.size();
                log << "duly: mailbox " << mailbox.name << ": " << taken.size()
                    << " messages left for the next run: " << e.what() << "\n";
                return;
            }
            report.taken += batch.taken;
            report.duplicates += batch.duplicates;
            report.quarantined += batch.quarantined;
            source.markProcessed(taken, log);
            const std::size_t before = listed;
            listed += size;
            if (waiting >= 100 && (listed / 100 != before / 100 || listed == waiting))
                log << "duly: mailbox " << mailbox.name << ": " << listed << " of " << waiting << "\n";
        }
        source.finish();
    } catch (const std::exception& e) {
        ++report.failed;
        log << "duly: mailbox " << mailbox.name << ": " << e.what() << "\n";
    }
}

}  // namespace duly::flow
