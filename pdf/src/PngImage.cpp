// PngImage: reads a PNG file (logo, signature image) into 8-bit pixels and an
// alpha channel for PdfDocument: chunk parsing, zlib inflation, row
// unfiltering, palette expansion. Owns nothing after returning. Fails with
// InputError "FILE: …" for a file that is missing, damaged, interlaced or
// 16-bit, or larger than 4000 × 4000 pixels.
#include "duly/engine/InputError.h"
#include "duly/engine/TomlReader.h"
#include "duly/pdf/PdfDocument.h"

#include <zlib.h>

#include <cstdint>
#include <cstdlib>

namespace duly::pdf {

using engine::InputError;

namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

int paeth(int a, int b, int c) {
    int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return (pa <= pb && pa <= pc) ? a : pb <= pc ? b : c;
}

}  // namespace

Image readPng(const std::filesystem::path& file) {
    const std::string where = file.string();
    std::string data = engine::readTextFile(file);
    if (data.size() < 8 || data.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw InputError(where + ": not a PNG image");
    std::size_t at = 8;
    std::uint32_t width = 0, height = 0;
    int depth = 0, colour = -1, interlace = 0;
    std::string idat, palette, trns;
    while (at + 12 <= data.size()) {
        const std::uint32_t len = be32(data, at);
        const std::string type = data.substr(at + 4, 4);
        if (len > data.size() - at - 12) throw InputError(where + ": damaged PNG (chunk " + type + " runs past the end)");
        const std::string body = data.substr(at + 8, len);
        if (type == "IHDR" && len >= 13) {
            width = be32(body, 0), height = be32(body, 4);
            depth = std::uint8_t(body[8]), colour = std::uint8_t(body[9]), interlace = std::uint8_t(body[12]);
        } else if (type == "PLTE") {
            palette = body;
        } else if (type == "tRNS") {
            trns = body;
        } else if (type == "IDAT") {
            idat += body;
        } else if (type == "IEND") {
            break;
        }
        at += 12 + len;
    }
    if (colour < 0 || width == 0 || height == 0) throw InputError(where + ": damaged PNG (no image header)");
    if (width > 4000 || height > 4000) throw InputError(where + ": the image is larger than 4000 × 4000 pixels");
    if (interlace) throw InputError(where + ": interlaced PNG is not supported; save it without interlacing");
    if (depth != 8 || (colour != 0 && colour != 2 && colour != 3 && colour != 4 && colour != 6))
        throw InputError(where + ": only 8-bit PNG images are supported (this one has " + std::to_string(depth) +
                         "-bit samples, colour type " + std::to_string(colour) + ")");
    const int channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 3 ? 1 : colour == 4 ? 2 : 4;
    const std::size_t stride = std::size_t(width) * std::size_t(channels);
    std::string raw((stride + 1) * height, '\0');
    uLongf rawLen = uLongf(raw.size());
    if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &rawLen, reinterpret_cast<const Bytef*>(idat.data()),
                   uLong(idat.size())) != Z_OK ||
        rawLen != raw.size())
        throw InputError(where + ": damaged PNG (image data does not inflate to its size)");
    std::string pixels(stride * height, '\0');
    for (std::uint32_t y = 0; y < height; ++y) {
        const int filter = std::uint8_t(raw[y * (stride + 1)]);
        const char* in = raw.data() + y * (stride + 1) + 1;
        auto* out = reinterpret_cast<std::uint8_t*>(pixels.data() + y * stride);
        const std::uint8_t* up = y ? out - stride : nullptr;
        for (std::size_t x = 0; x < stride; ++x) {
            const int a = x >= std::size_t(channels) ? out[x - std::size_t(channels)] : 0;
            const int b = up ? up[x] : 0;
            const int c = (up && x >= std::size_t(channels)) ? up[x - std::size_t(channels)] : 0;
            int v = std::uint8_t(in[x]);
            switch (filter) {
                case 0: break;
                case 1: v += a; break;
                case 2: v += b; break;
                case 3: v += (a + b) / 2; break;
                case 4: v += paeth(a, b, c); break;
                default: throw InputError(where + ": damaged PNG (unknown row filter)");
            }
            out[x] = std::uint8_t(v);
        }
    }
    Image img;
    img.width = int(width), img.height = int(height);
    const std::size_t n = std::size_t(width) * height;
    if (colour == 0 || colour == 4) {
        img.components = 1;
        img.pixels.resize(n);
        if (colour == 4) img.alpha.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            img.pixels[i] = pixels[i * std::size_t(channels)];
            if (colour == 4) img.alpha[i] = pixels[i * 2 + 1];
        }
    } else if (colour == 2 || colour == 6) {
        img.components = 3;
        img.pixels.resize(n * 3);
        if (colour == 6) img.alpha.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            for (int k = 0; k < 3; ++k) img.pixels[i * 3 + std::size_t(k)] = pixels[i * std::size_t(channels) + std::size_t(k)];
            if (colour == 6) img.alpha[i] = pixels[i * 4 + 3];
        }
    } else {
        img.components = 3;
        img.pixels.resize(n * 3);
        if (!trns.empty()) img.alpha.assign(n, '\xFF');
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t idx = std::uint8_t(pixels[i]);
            if (idx * 3 + 2 >= palette.size()) throw InputError(where + ": damaged PNG (colour index outside the palette)");
            for (int k = 0; k < 3; ++k) img.pixels[i * 3 + std::size_t(k)] = palette[idx * 3 + std::size_t(k)];
            if (!trns.empty() && idx < trns.size()) img.alpha[i] = trns[idx];
        }
    }
    return img;
}

}  // namespace duly::pdf
