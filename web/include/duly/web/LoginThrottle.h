// LoginThrottle: slows password guessing. Every sign-in attempt is counted
// per account id and per client address within a 15-minute window, and it
// is counted before the password is checked, in the same step as the
// decision, so parallel guesses cannot all pass the check before any of them
// is counted. A success removes the account's count and takes back its own
// count on the address, so that only failures add up there.
//
// - Per account: after 5 attempts that did not succeed, further attempts
//   are refused until the window has passed, right password or not.
// - Per address: past 20 attempts, attempts from that address are paced
//   instead of refused: each one waits for its turn (one per `pace`), so a
//   correct password still gets through while guessing slows to a crawl.
//   Behind a reverse proxy every officer may share one address (see
//   [web] trusted_proxies); pacing keeps one guesser from locking them all out.
//   When more than kMaxQueued turns are already waiting, the attempt is
//   refused as busy (and not counted).
//
// Memory is bounded: each map holds at most kMaxKeys entries (or the number
// given), each with at
// most its limit's number of times. Expired entries go first; then the
// least-used half of those below their limit. An account or address at its
// limit is never dropped to make room (the counters of everyone are never
// reset at once); when the map is full of them, a new name is refused as
// busy. In memory, thread-safe; nothing throws but std::bad_alloc.
//
// With a store (engine::SignInStore, what `duly serve` uses), the attempts
// are rows in the database, counted and recorded in one step, so the limits
// hold across every instance sharing it; the limits, the window and the
// verdicts are the same. Attempts older than the window are deleted as new
// ones come, in place of the bound on names kept. Store failures are thrown
// (std::runtime_error).
// XXX: pacing (the turn of an address past its limit) stays in each
// instance's memory: with N instances an address past its limit may try N
// times per `pace`. Sharing it would mean a database write per turn.
#pragma once

#include "duly/engine/SignInStore.h"
#include "duly/engine/Time.h"

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace duly::web {

class LoginThrottle {
public:
    static constexpr int kPerAccount = 5;
    static constexpr int kPerAddress = 20;
    static constexpr std::chrono::minutes kWindow{15};
    static constexpr std::size_t kMaxKeys = 20000;
    static constexpr int kMaxQueued = 10;

    enum class Verdict {
        Go,             // check the password (after waiting `wait`)
        AccountLocked,  // too many attempts for this account: refuse
        Busy,           // too many waiting from this address, or no room: refuse, try later
    };
    struct Decision {
        Verdict verdict = Verdict::Go;
        std::chrono::milliseconds wait{0};  // how long to wait before checking (pacing)
    };

    // `pace`: one attempt per this long from an address past its limit;
    // `maxKeys`: how many accounts, and how many addresses, are remembered.
    explicit LoginThrottle(std::chrono::milliseconds pace = std::chrono::milliseconds{1000},
                           std::size_t maxKeys = kMaxKeys)
        : _pace(pace), _maxKeys(maxKeys) {}
    // Attempts counted in `store`, shared with every instance using it.
    explicit LoginThrottle(engine::SignInStore& store,
                           std::chrono::milliseconds pace = std::chrono::milliseconds{1000},
                           std::size_t maxKeys = kMaxKeys)
        : _pace(pace), _maxKeys(maxKeys), _store(&store) {}

    // Decides and, when the verdict is Go, counts the attempt at once.
    Decision attempt(const std::string& account, const std::string& address, engine::Instant now);
    // The attempt counted by attempt() was not made after all (the server
    // was too busy to check the password): takes its count back.
    void cancel(const std::string& account, const std::string& address);
    // The password was right: the account's count is removed, and this
    // attempt no longer counts against the address (only failures do).
    void succeeded(const std::string& account, const std::string& address);

    // How many accounts and addresses are remembered in memory (for tests;
    // with a store, the addresses being paced and no accounts).
    std::size_t accountsKept() const;
    std::size_t addressesKept() const;

private:
    struct Record {
        std::deque<engine::Instant> times;  // the most recent attempts, at most the limit's number
        std::chrono::steady_clock::time_point nextTurn{};
    };
    using Map = std::map<std::string, Record>;
    // The record for `key`, made room for when new; null when there is no room.
    Record* recordFor(Map& map, const std::string& key, int limit, engine::Instant now) const;
    static int recent(Record& r, engine::Instant now);
    // Pacing for an address past its limit: Go with a wait, or Busy.
    Decision pace(Record& byAddress) const;
    Decision attemptStored(const std::string& account, const std::string& address, engine::Instant now);
    mutable std::mutex _mutex;
    std::chrono::milliseconds _pace;
    std::size_t _maxKeys;
    Map _byAccount, _byAddress;  // with a store: only _byAddress, for its nextTurn
    engine::SignInStore* _store = nullptr;
};

}  // namespace duly::web
