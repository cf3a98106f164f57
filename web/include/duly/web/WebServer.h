// WebServer: Poco's HTTPServer carrying the Dashboard. Reads each request
// (bounded: bodies over 64 KiB are refused with 413, only
// application/x-www-form-urlencoded forms are read), hands it to
// Dashboard::handle and writes the answer. Owns the listening socket and
// the server threads; stop() (or the destructor) waits for requests in
// progress. Throws Poco::Net::NetException (a std::exception) from start()
// when the address cannot be bound, e.g. the port is in use.
#pragma once

#include "duly/web/Dashboard.h"

#include <memory>
#include <string>

namespace Poco {
class ThreadPool;
}
namespace Poco::Net {
class HTTPServer;
}

namespace duly::web {

class WebServer {
public:
    // `port` 0 picks a free port (tests); see port(). A browser keeps its
    // connection open and holds a thread while it does, so `threads` bounds
    // the connections served at once (others wait in a queue of 256).
    WebServer(Dashboard& dashboard, const std::string& bindAddress, unsigned port, int threads = 128);
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
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};

}  // namespace duly::web
