// Router: method + path pattern → handler; see Router.h.
#include "duly/web/Router.h"

#include <stdexcept>

namespace duly::web {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= path.size()) {
        auto slash = path.find('/', i);
        if (slash == std::string::npos) slash = path.size();
        if (slash > i) out.push_back(path.substr(i, slash - i));
        i = slash + 1;
    }
    return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    if (pattern.empty() || pattern[0] != '/') throw std::invalid_argument("route pattern must start with '/': " + pattern);
    auto segments = splitPath(pattern);
    for (const auto& s : segments) {
        bool open = s.find('{') != std::string::npos, close = s.find('}') != std::string::npos;
        if (open != close || (open && (s.front() != '{' || s.back() != '}' || s.size() < 3)))
            throw std::invalid_argument("route pattern has a bad segment \"" + s + "\": " + pattern);
    }
    _routes.push_back({method, std::move(segments), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>& params) {
    if (route.segments.size() != segments.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& want = route.segments[i];
        if (want.front() == '{')
            found[want.substr(1, want.size() - 2)] = segments[i];
        else if (want != segments[i])
            return false;
    }
    params = std::move(found);
    return true;
}

bool Router::matches(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>& params) const {
    auto segments = splitPath(path);
    for (const auto& r : _routes)
        if (r.method == method && match(r, segments, params)) return true;
    return false;
}

Response Router::route(Request& request) const {
    auto segments = splitPath(request.path);
    std::string allowed;
    for (const auto& r : _routes) {
        std::map<std::string, std::string> params;
        if (!match(r, segments, params)) continue;
        if (r.method == request.method || (request.method == "HEAD" && r.method == "GET")) {
            request.params = std::move(params);
            return r.handler(request);
        }
        if (allowed.find(r.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + r.method;
    }
    if (!allowed.empty()) {
        auto resp = Response::text(405, "405 Method Not Allowed: " + request.method + " " + request.path + "\n");
        resp.setHeader("Allow", allowed);
        return resp;
    }
    return Response::text(404, "404 Not Found: " + request.path + "\n");
}

}  // namespace duly::web
