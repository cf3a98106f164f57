// Secret: the one way Duly reads a password, client secret or token from
// where the config file says it is: the first line of a file (a trailing
// CR removed), or an environment variable. Never logged. Pure apart from
// reading the file and the environment; nothing throws.
#pragma once

#include <optional>
#include <string>

namespace duly::mail {

struct SecretRead {
    std::optional<std::string> value;  // empty when it could not be read
    // Why not, in words for a message: "cannot read the file /etc/duly/pw",
    // "the file /etc/duly/pw is empty", "the environment variable X is not
    // set", "no file or environment variable is configured".
    std::string problem;
};

// From `file` when it is given, else from the environment variable `env`.
// An empty value counts as missing when `allowEmpty` is false.
SecretRead readSecret(const std::string& file, const std::string& env, bool allowEmpty = true);

}  // namespace duly::mail
