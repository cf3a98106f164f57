// InputError: the one exception type for expected failures caused by input
// (a bad charter file, a malformed time, an unknown channel). Its message is
// written for the person who gave the input: what was wrong, where, and what
// was expected. Bugs are assertions, not InputErrors.
#pragma once

#include <stdexcept>
#include <string>

namespace duly::engine {

class InputError : public std::runtime_error {
public:
    explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace duly::engine
