// Router: maps a method and path to a handler. Patterns are literal
// segments and named segments in braces ("/cases/{ref}/ack"); a named
// segment matches one non-empty segment and is handed to the handler in
// Request::params. Routes are tried in the order they were added. Owns only
// the route table; a route() on an unknown path answers 404, on a known path
// with another method 405 (with an Allow header).
#pragma once

#include "duly/web/Http.h"

#include <functional>
#include <string>
#include <vector>

namespace duly::web {

using Handler = std::function<Response(Request&)>;

class Router {
public:
    // Throws std::invalid_argument for a pattern that does not start with '/'
    // or has an unclosed brace.
    void add(const std::string& method, const std::string& pattern, Handler handler);

    // Runs the matching handler, filling request.params; 404 or 405 when
    // nothing matches.
    Response route(Request& request) const;

    // True when some route matches method and path (params filled).
    bool matches(const std::string& method, const std::string& path, std::map<std::string, std::string>& params) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{name}" for a named segment
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string>& segments,
                      std::map<std::string, std::string>& params);
    std::vector<Route> _routes;
};

// "/a/b/" → {"a", "b"}; empty segments dropped.
std::vector<std::string> splitPath(const std::string& path);

}  // namespace duly::web
