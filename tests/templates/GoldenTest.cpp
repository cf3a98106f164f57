// Golden files: the whole text of two letters (fixed sample data, fixed
// dates), read and checked by a person when they were written. A change in
// wording or layout shows up here as a diff to review. And every prefix of
// every shipped template either parses or fails with an InputError: the
// parser never crashes on cut-off input.
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/Template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace duly::engine;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(Golden, Letters) {
    Renderer r(DULY_SOURCE_HOME);
    const std::tuple<std::string, std::string, std::string> cases[] = {
        {"acknowledgement", "en-GB", "acknowledgement.en-GB.txt"},
        {"holding-reply", "ur", "holding-reply.ur.txt"},
    };
    for (const auto& [name, locale, file] : cases) {
        std::string expected = readAll(fs::path(DULY_TEST_DATA) / "golden" / file);
        ASSERT_FALSE(expected.empty()) << file;
        EXPECT_EQ(writeText(r.render(name, locale, "standard", sampleContext(name))), expected) << file;
    }
}

TEST(TemplateParser, EveryPrefixParsesOrFailsCleanly) {
    fs::path dir = fs::path(DULY_SOURCE_HOME) / "templates";
    PartialSource none = [](std::string_view, std::string&, std::string&) { return false; };
    int parsed = 0, refused = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".tmpl") continue;
        std::string text = readAll(entry.path());
        for (std::size_t n = 0; n <= text.size(); ++n) {
            try {
                parseTemplate("t", std::string_view(text).substr(0, n), "t.tmpl", none);
                ++parsed;
            } catch (const InputError&) {
                ++refused;
            }
        }
    }
    EXPECT_GT(parsed, 0);
    EXPECT_GT(refused, 0);
}

}  // namespace
