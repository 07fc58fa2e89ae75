#include <dikkat/viz/png.hpp>

#include <array>
#include <string>

#include <dikkat/error.hpp>

namespace dikkat::viz {

namespace {

std::uint32_t crc32(const std::string& bytes, std::size_t from) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xffffffffu;
    for (std::size_t i = from; i < bytes.size(); ++i)
        c = table[(c ^ static_cast<std::uint8_t>(bytes[i])) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(v >> shift & 0xff);
}

// A chunk: its length, type, data, and the CRC of type and data.
void put_chunk(std::string& png, const char* type, const std::string& data) {
    put_u32(png, static_cast<std::uint32_t>(data.size()));
    const std::size_t start = png.size();
    png += type;
    png += data;
    put_u32(png, crc32(png, start));
}

}  // namespace

std::string png_rgb(const std::uint8_t* rgb, std::size_t width, std::size_t height, std::size_t stride) {
    if (width == 0 || height == 0 || stride < 3 * width)
        throw ValueError("png_rgb: a " + std::to_string(width) + " x " + std::to_string(height) +
                         " image with " + std::to_string(stride) + " bytes per row");
    std::string raw;  // each row: filter type 0 (none), then its pixels
    for (std::size_t y = 0; y < height; ++y) {
        raw += '\0';
        raw.append(reinterpret_cast<const char*>(rgb + y * stride), 3 * width);
    }
    std::uint32_t a = 1, b = 0;  // Adler-32 of the raw bytes
    for (char ch : raw) {
        a = (a + static_cast<std::uint8_t>(ch)) % 65521;
        b = (b + a) % 65521;
    }
    std::string z = "\x78\x01";  // zlib header, then stored blocks of at most 65,535 bytes
    for (std::size_t at = 0; at < raw.size(); at += 65535) {
        const auto n = static_cast<std::uint16_t>(std::min<std::size_t>(65535, raw.size() - at));
        z += static_cast<char>(at + n == raw.size() ? 1 : 0);  // the last block says so
        z += static_cast<char>(n & 0xff);
        z += static_cast<char>(n >> 8);
        z += static_cast<char>(~n & 0xff);
        z += static_cast<char>((~n >> 8) & 0xff);
        z.append(raw, at, n);
    }
    put_u32(z, b << 16 | a);

    std::string ihdr;
    put_u32(ihdr, static_cast<std::uint32_t>(width));
    put_u32(ihdr, static_cast<std::uint32_t>(height));
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
    std::string png = "\x89PNG\r\n\x1a\n";
    put_chunk(png, "IHDR", ihdr);
    put_chunk(png, "IDAT", z);
    put_chunk(png, "IEND", "");
    return png;
}

std::string base64(const std::string& bytes) {
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size()) v |= static_cast<std::uint8_t>(bytes[i + 2]);
        out += digits[v >> 18 & 63];
        out += digits[v >> 12 & 63];
        out += i + 1 < bytes.size() ? digits[v >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? digits[v & 63] : '=';
    }
    return out;
}

std::string png_data_uri(const std::uint8_t* rgb, std::size_t width, std::size_t height, std::size_t stride) {
    return "data:image/png;base64," + base64(png_rgb(rgb, width, height, stride));
}

}  // namespace dikkat::viz
