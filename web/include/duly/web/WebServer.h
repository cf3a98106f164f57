// WebServer: Poco's HTTP server carrying the Dashboard. Reads each request
// (bounded: bodies over 64 KiB are refused with 413, only
// application/x-www-form-urlencoded forms are read), hands it to
// Dashboard::handle and writes the answer; every answer, including the 400
// and 413 it makes itself, carries the security headers (Http.h).
//
// A connection holds a server thread while it is open, so a few clients
// must not hold them all: the server waits at most kReadTimeoutSeconds for
// each read of a request (so a connection that sends nothing is closed after
// that; a client trickling a byte at a time is held by the per-address
// limit below), an idle kept-alive connection is closed after
// kIdleTimeoutSeconds,
// and one address may hold at most `perAddress` connections at once (more
// are answered 503 and closed at once; the trusted proxies of
// DashboardOptions are not limited, since every officer comes through them).
//
// Owns the listening socket and the server threads; stop() (or the
// destructor) waits for requests in progress. Throws
// Poco::Net::NetException (a std::exception) from the constructor when the
// address cannot be bound, e.g. the port is in use.
#pragma once

#include "duly/web/Dashboard.h"

#include <functional>
#include <memory>
#include <string>

namespace Poco {
class ThreadPool;
}
namespace Poco::Net {
class TCPServer;
}

namespace duly::web {

class WebServer {
public:
    // `port` 0 picks a free port (tests); see port(). A browser keeps its
    // connection open and holds a thread while it does, so `threads` bounds
    // the connections served at once (others wait in a queue of 256).
    static constexpr int kReadTimeoutSeconds = 5;
    static constexpr int kIdleTimeoutSeconds = 5;
    WebServer(Dashboard& dashboard, const std::string& bindAddress, unsigned port, int threads = 128,
              int perAddress = 32);
    ~WebServer();
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    void start();
    void stop();
    unsigned port() const { return _port; }
    // "http://127.0.0.1:8080/"
    std::string url() const;

private:
    Dashboard& _dashboard;
    std::string _bind;
    unsigned _port;
    std::unique_ptr<Poco::ThreadPool> _threads;
    std::unique_ptr<Poco::Net::TCPServer> _server;
    std::function<void()> _abortConnections;
};

}  // namespace duly::web
