// The PNGs inside SVG figures (viz/png.hpp): a valid file any viewer opens, holding the pixels.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/viz/png.hpp>

using namespace dikkat;

namespace {
std::uint32_t u32_at(const std::string& s, std::size_t i) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<std::uint8_t>(s[i + k]);
    return v;
}
}  // namespace

TEST_CASE("png_rgb writes the signature, the size, the pixels uncompressed and a standard IEND chunk") {
    const std::vector<std::uint8_t> rgb = {255, 0, 0, 0, 255, 0, 1,  2,  3,
                                           4,   5, 6, 7, 8,   9, 10, 11, 12};  // 3 x 2
    const std::string png = viz::png_rgb(rgb.data(), 3, 2, 9);
    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    CHECK(png.compare(12, 4, "IHDR") == 0);
    CHECK(u32_at(png, 16) == 3);  // width
    CHECK(u32_at(png, 20) == 2);  // height
    // Row 1 follows its filter byte 0 inside the stored block, as is.
    CHECK(png.find(std::string("\0\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 10)) != std::string::npos);
    // Every PNG ends with the same 12 bytes: IEND has no data, and its CRC-32 is AE 42 60 82.
    CHECK(png.compare(png.size() - 12, 12, std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12)) == 0);
    CHECK_THROWS_AS(viz::png_rgb(rgb.data(), 4, 2, 9), ValueError);  // a row of 4 needs 12 bytes
}

TEST_CASE("a PNG larger than one stored block is split into blocks that add up to its rows") {
    const std::size_t w = 200, h = 120;  // 120 rows of 601 bytes: 72,120 bytes, two blocks
    const std::vector<std::uint8_t> rgb(3 * w * h, 7);
    const std::string png = viz::png_rgb(rgb.data(), w, h, 3 * w);
    const std::size_t idat = png.find("IDAT");
    REQUIRE(idat != std::string::npos);
    const std::size_t first = idat + 4 + 2;  // after the chunk type and the zlib header
    CHECK(png[first] == 0);                  // not the last block
    const std::size_t n1 =
        std::size_t{static_cast<std::uint8_t>(png[first + 1])} | std::size_t{static_cast<std::uint8_t>(png[first + 2])} << 8;
    CHECK(n1 == 65535);
    const std::size_t second = first + 5 + n1;
    CHECK(png[second] == 1);  // the last block
    const std::size_t n2 =
        std::size_t{static_cast<std::uint8_t>(png[second + 1])} | std::size_t{static_cast<std::uint8_t>(png[second + 2])} << 8;
    CHECK(n1 + n2 == h * (1 + 3 * w));
}

TEST_CASE("base64 pads with '=' as RFC 4648's examples do") {
    CHECK(viz::base64("") == "");
    CHECK(viz::base64("f") == "Zg==");
    CHECK(viz::base64("fo") == "Zm8=");
    CHECK(viz::base64("foo") == "Zm9v");
    CHECK(viz::base64("foobar") == "Zm9vYmFy");
}
