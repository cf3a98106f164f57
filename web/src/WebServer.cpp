// WebServer: Poco::Net::HTTPServer → Dashboard; see WebServer.h.
#include "duly/web/WebServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>

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

private:
    Dashboard& _dashboard;
};

}  // namespace

WebServer::WebServer(Dashboard& dashboard, const std::string& bindAddress, unsigned port, int threads)
    : _dashboard(dashboard), _bind(bindAddress), _port(port) {
    // SO_REUSEADDR (restart without waiting) but not SO_REUSEPORT: a port in
    // use by another program must be an error, not a shared socket.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(bindAddress, static_cast<Poco::UInt16>(port)), true, false);
    socket.listen(128);
    _port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    params->setKeepAliveTimeout(Poco::Timespan(10, 0));
    params->setMaxKeepAliveRequests(1000);
    _threads = std::make_unique<Poco::ThreadPool>(std::min(2, threads), std::max(1, threads), 60);
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(_dashboard), *_threads, socket, params);
}

WebServer::~WebServer() {
    stop();
    _server.reset();  // before the pool its threads come from
}

void WebServer::start() { _server->start(); }

void WebServer::stop() {
    if (_server) _server->stopAll(true);
}

std::string WebServer::url() const {
    auto host = _bind == "0.0.0.0" || _bind == "::" ? std::string("localhost") : _bind;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(_port) + "/";
}

}  // namespace duly::web
