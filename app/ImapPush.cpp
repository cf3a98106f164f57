// ImapPush: the IDLE threads of `duly serve`. Each thread only waits and
// signals; it never touches the store. Fails by reporting and retrying.
#include "ImapPush.h"

#include "duly/flow/MailSettings.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <unistd.h>

namespace duly::app {

ImapPush::ImapPush(const std::vector<MailboxConfig>& mailboxes) {
    for (const auto& m : mailboxes) {
        if (flow::isImapMailbox(m)) _threads.emplace_back([this, m] { run(m); });
    }
}

ImapPush::~ImapPush() {
    _stop = true;
    for (auto& t : _threads) t.join();
}

std::vector<std::string> ImapPush::takeMessages() {
    std::lock_guard lock(_mutex);
    return std::exchange(_messages, {});
}

void ImapPush::say(const std::string& line) {
    std::lock_guard lock(_mutex);
    _messages.push_back(line);
}

void ImapPush::run(const MailboxConfig& mailbox) {
    using namespace std::chrono_literals;
    std::chrono::seconds backoff = 1s;
    bool failing = false;
    const std::chrono::seconds poll(std::max(1, mailbox.pollSeconds));
    std::unique_ptr<mail::ImapWatcher> watcher;
    while (!_stop) {
        try {
            // One watcher for the thread's life: it remembers UIDNEXT between waits.
            if (!watcher) watcher = std::make_unique<mail::ImapWatcher>(flow::imapMailboxSettings(mailbox));
            // Each wait ends within 25 minutes, inside the 30 that RFC 2177 allows.
            const bool arrived = watcher->waitForMail(25min, poll, _stop);
            if (failing) say("duly: mailbox " + mailbox.name + ": connected again");
            // After a failure the mail that came meanwhile is waiting too.
            if ((arrived || failing) && !_stop) kill(getpid(), SIGUSR1);
            failing = false;
            backoff = 1s;
        } catch (const std::exception& e) {
            if (!failing) say("duly: mailbox " + mailbox.name + ": " + e.what() + "; trying again with backoff");
            failing = true;
            const auto until = std::chrono::steady_clock::now() + backoff;
            while (!_stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(100ms);
            backoff = std::min<std::chrono::seconds>(backoff * 2, 60s);
        }
    }
}

}  // namespace duly::app
