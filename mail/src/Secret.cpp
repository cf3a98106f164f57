// Secret: a secret from a file or the environment. See Secret.h.
#include "duly/mail/Secret.h"

#include <cstdlib>
#include <fstream>

namespace duly::mail {

SecretRead readSecret(const std::string& file, const std::string& env, bool allowEmpty) {
    SecretRead r;
    if (!file.empty()) {
        std::ifstream in(file);
        std::string line;
        if (!in || !std::getline(in, line)) {
            r.problem = "cannot read the file " + file;
            return r;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() && !allowEmpty) {
            r.problem = "the file " + file + " is empty";
            return r;
        }
        r.value = line;
        return r;
    }
    if (!env.empty()) {
        const char* value = std::getenv(env.c_str());
        if (value == nullptr || (*value == '\0' && !allowEmpty)) {
            r.problem = "the environment variable " + env + " is not set";
            return r;
        }
        r.value = std::string(value);
        return r;
    }
    r.problem = "no file or environment variable is configured";
    return r;
}

}  // namespace duly::mail
