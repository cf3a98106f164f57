// MIME parsing speed: messages per second (items/s) and bytes per second
// for each message of the test corpus (tests/mail-mime/data: Outlook, Gmail,
// Apple Mail, Big5, GB18030, Urdu, bounce, list…), the corpus as a mix, and
// two large shapes — a scanned letter with a 2 MB PDF and a 300 KB HTML
// newsletter. Parsing includes charset conversion, HTML to text, attachment
// decoding and the loop rules: all that ingest does before the store.
#include "duly/mail/AutomaticMessage.h"
#include "duly/mail/MimeParser.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace duly::mail;
namespace fs = std::filesystem;

namespace {

std::vector<std::pair<std::string, std::string>> corpus() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : fs::directory_iterator(DULY_MIME_CORPUS)) {
        if (e.path().extension() != ".eml") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        out.emplace_back(e.path().stem().string(), s.str());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void parse(benchmark::State& state, const std::vector<std::string>& messages) {
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const std::string& raw = messages[i++ % messages.size()];
        MimeResult r = parseMime(raw);
        auto why = automaticReason(r.message, {"customer.services@progressgroup.org.uk"});
        benchmark::DoNotOptimize(r);
        benchmark::DoNotOptimize(why);
        bytes += raw.size();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

std::string base64Lines(std::size_t bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    const std::size_t chars = bytes / 3 * 4;
    for (std::size_t i = 0; i < chars; ++i) {
        out += alphabet[(i * 7919) % 64];
        if (i % 76 == 75) out += "\r\n";
    }
    return out;
}

std::string scannedLetter() {
    return "From: scanner@mailroom.example.org\r\nSubject: Scan C10001\r\nMessage-ID: <big-scan@x>\r\n"
           "Date: Mon, 23 Nov 2026 08:47:10 +0000\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           "--b\r\nContent-Type: text/plain\r\n\r\nScanned.\r\n--b\r\nContent-Type: application/pdf; name=scan.pdf\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" +
           base64Lines(2u * 1024u * 1024u) + "\r\n--b--\r\n";
}

std::string newsletter() {
    std::string html = "<html><head><style>td{color:red}</style></head><body><table>";
    while (html.size() < 300u * 1024u)
        html += "<tr><td class=\"x\">Rent &amp; service charges</td><td>&pound;95.00</td></tr>"
                "<tr><td colspan=2><p>Your tenancy&nbsp;news, with <b>updates</b> and <a href=\"https://x\">links</a></p></td></tr>";
    html += "</table></body></html>";
    return "From: news@example.org\r\nSubject: News\r\nMessage-ID: <news@x>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
           html;
}

void BM_CorpusMix(benchmark::State& state) {
    std::vector<std::string> messages;
    for (auto& [name, raw] : corpus()) messages.push_back(raw);
    parse(state, messages);
}
BENCHMARK(BM_CorpusMix);

void BM_ScannedLetter2MB(benchmark::State& state) { parse(state, {scannedLetter()}); }
BENCHMARK(BM_ScannedLetter2MB);

void BM_HtmlNewsletter300KB(benchmark::State& state) { parse(state, {newsletter()}); }
BENCHMARK(BM_HtmlNewsletter300KB);

}  // namespace

int main(int argc, char** argv) {
    // One benchmark per corpus message, named after its file.
    for (auto& [name, raw] : corpus()) {
        benchmark::RegisterBenchmark(("BM_Message/" + name).c_str(),
                                     [raw = raw](benchmark::State& state) { parse(state, {raw}); });
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
