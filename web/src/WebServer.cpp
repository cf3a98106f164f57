// WebServer: Poco's TCPServer with HTTP connections, counted per address,
// → Dashboard; see WebServer.h.
#include "duly/web/WebServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <map>
#include <mutex>

namespace duly::web {

namespace {

class DashboardHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit DashboardHandler(Dashboard& dashboard) : _dashboard(dashboard) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        Response response;
        try {
            response = answer(in);
        } catch (const FormTooLarge& e) {
            response = Response::text(413, std::string("413 ") + e.what() + "\n");
            // Read (and drop) what the client is still sending, up to 1 MiB,
            // so that it sees the answer rather than a reset connection;
            // then close the connection.
            char sink[8192];
            std::size_t dropped = 0;
            auto& body = in.stream();
            while (dropped < (1u << 20) && (body.read(sink, sizeof sink) || body.gcount() > 0))
                dropped += static_cast<std::size_t>(body.gcount());
            out.setKeepAlive(false);
        } catch (const std::exception& e) {
            response = Response::text(400, std::string("400 Bad Request: ") + e.what() + "\n");
        }
        addSecurityHeaders(response);
        out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        out.setContentType(response.contentType);
        for (const auto& [name, value] : response.headers) {
            if (name == "Set-Cookie") out.add(name, value);
            else out.set(name, value);
        }
        out.setContentLength(static_cast<std::streamsize>(response.body.size()));
        auto& stream = out.send();
        if (in.getMethod() != "HEAD") stream.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    }

private:
    Response answer(Poco::Net::HTTPServerRequest& in) {
        Request request;
        request.method = in.getMethod();
        Poco::URI uri(in.getURI());
        request.path = uri.getPath();
        request.query = parseForm(uri.getRawQuery());
        request.remoteAddress = in.clientAddress().host().toString();
        // Every X-Forwarded-For header, in order, as one list; Dashboard
        // believes it only from a trusted proxy.
        for (auto it = in.find("X-Forwarded-For"); it != in.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0; ++it)
            request.forwardedFor += (request.forwardedFor.empty() ? "" : ", ") + it->second;
        if (in.has("Cookie")) request.cookies = parseCookies(in.get("Cookie"));
        if (request.method == "POST") {
            if (in.getContentLength() > static_cast<std::streamsize>(kMaxFormBytes))
                throw FormTooLarge("the request body is larger than " + std::to_string(kMaxFormBytes) + " bytes");
            auto type = in.getContentType();
            std::string body;
            char buffer[4096];
            auto& stream = in.stream();
            while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
                body.append(buffer, static_cast<std::size_t>(stream.gcount()));
                if (body.size() > kMaxFormBytes)
                    throw FormTooLarge("the request body is larger than " + std::to_string(kMaxFormBytes) + " bytes");
            }
            if (type.starts_with("application/x-www-form-urlencoded")) request.form = parseForm(body);
        }
        return _dashboard.handle(request);
    }

    Dashboard& _dashboard;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(Dashboard& dashboard) : _dashboard(dashboard) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new DashboardHandler(_dashboard);  // Poco takes ownership
    }
    // Tells every open connection that the server stops (as
    // HTTPServer::stopAll does); with `abort`, their sockets are shut down.
    void stopAll(bool abort) { serverStopped(this, abort); }

private:
    Dashboard& _dashboard;
};

// Connections open per client address.
class ConnectionCount {
public:
    explicit ConnectionCount(int limit) : _limit(limit) {}
    bool enter(const std::string& address) {
        std::lock_guard lock(_mutex);
        auto& n = _open[address];
        if (n >= _limit) return false;
        ++n;
        return true;
    }
    void leave(const std::string& address) {
        std::lock_guard lock(_mutex);
        if (auto it = _open.find(address); it != _open.end() && --it->second <= 0) _open.erase(it);
    }

private:
    std::mutex _mutex;
    std::map<std::string, int> _open;
    int _limit;
};

// An HTTP connection that counts against its address while it lives.
class CountedConnection : public Poco::Net::HTTPServerConnection {
public:
    CountedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, std::shared_ptr<ConnectionCount> count,
                      std::string address)
        : HTTPServerConnection(socket, params, factory), _count(std::move(count)), _address(std::move(address)) {}
    ~CountedConnection() override {
        if (_count) _count->leave(_address);
    }

private:
    std::shared_ptr<ConnectionCount> _count;
    std::string _address;
};

// One connection too many from an address: a short 503 with the security
// headers, then closed, without reading what the client sends.
class RefusedConnection : public Poco::Net::TCPServerConnection {
public:
    using TCPServerConnection::TCPServerConnection;
    void run() override {
        Response r = Response::text(503, "Too many connections from your address at once. Try again shortly.\n");
        r.setHeader("Retry-After", "5");
        addSecurityHeaders(r);
        std::string text = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + r.contentType +
                           "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n";
        for (const auto& [name, value] : r.headers) text += name + ": " + value + "\r\n";
        text += "\r\n" + r.body;
        try {
            socket().setSendTimeout(Poco::Timespan(1, 0));
            socket().sendBytes(text.data(), static_cast<int>(text.size()));
            socket().shutdownSend();
        } catch (const std::exception&) {
            // The client has gone: nothing to tell it.
        }
    }
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::SharedPtr<Factory> handlers, int perAddress,
                      std::vector<std::string> unlimited)
        : _params(std::move(params)),
          _handlers(std::move(handlers)),
          _count(std::make_shared<ConnectionCount>(perAddress)),
          _unlimited(std::move(unlimited)) {}

    // Called on the server thread that will serve the connection.
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        std::string address;
        try {
            address = canonicalAddress(socket.peerAddress().host().toString()).value_or("");
        } catch (const std::exception&) {
            return new RefusedConnection(socket);  // already gone
        }
        if (std::find(_unlimited.begin(), _unlimited.end(), address) != _unlimited.end())
            return new CountedConnection(socket, _params, _handlers, nullptr, address);
        if (!_count->enter(address)) return new RefusedConnection(socket);
        return new CountedConnection(socket, _params, _handlers, _count, address);
    }

private:
    Poco::Net::HTTPServerParams::Ptr _params;
    Poco::SharedPtr<Factory> _handlers;
    std::shared_ptr<ConnectionCount> _count;
    std::vector<std::string> _unlimited;
};

}  // namespace

WebServer::WebServer(Dashboard& dashboard, const std::string& bindAddress, unsigned port, int threads, int perAddress)
    : _dashboard(dashboard), _bind(bindAddress), _port(port) {
    // SO_REUSEADDR (restart without waiting) but not SO_REUSEPORT: a port in
    // use by another program must be an error, not a shared socket.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(bindAddress, static_cast<Poco::UInt16>(port)), true, false);
    socket.listen(128);
    _port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    // A client that opens a connection and sends nothing, or a header a
    // byte at a time, gives up its thread after this long.
    params->setTimeout(Poco::Timespan(kReadTimeoutSeconds, 0));
    params->setKeepAliveTimeout(Poco::Timespan(kIdleTimeoutSeconds, 0));
    params->setMaxKeepAliveRequests(1000);
    _threads = std::make_unique<Poco::ThreadPool>(std::min(2, threads), std::max(1, threads), 60);
    Poco::SharedPtr<Factory> handlers = new Factory(_dashboard);
    _abortConnections = [handlers]() mutable { handlers->stopAll(true); };
    _server = std::make_unique<Poco::Net::TCPServer>(
        new ConnectionFactory(params, handlers, perAddress, _dashboard.options().trustedProxies), *_threads, socket,
        params);
}

WebServer::~WebServer() {
    stop();
    _server.reset();  // before the pool its threads come from
}

void WebServer::start() { _server->start(); }

void WebServer::stop() {
    if (_server) {
        _server->stop();
        if (_abortConnections) _abortConnections();
    }
}

std::string WebServer::url() const {
    auto host = _bind == "0.0.0.0" || _bind == "::" ? std::string("localhost") : _bind;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(_port) + "/";
}

}  // namespace duly::web
