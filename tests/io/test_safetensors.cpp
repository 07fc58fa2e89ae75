// The safetensors format: round trips, the byte layout checked by an independent parser, and
// every kind of broken file turned into an IoError that names the file and the tensor.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/io/safetensors.hpp>
#include <dikkat/random.hpp>

#include "io_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;

namespace {

// ---- an independent reader, written from the format's description, not from io/ ----------

std::uint64_t le_u64(const std::string& b, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
    return v;
}

float le_f32(const std::string& b, std::size_t at) {
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < 4; ++i)
        bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// A header claiming `json` (not padded) followed by `data`.
std::string raw_file(const std::string& json, const std::string& data) {
    std::string out;
    for (std::size_t i = 0; i < 8; ++i) out.push_back(static_cast<char>((json.size() >> (8 * i)) & 0xff));
    return out + json + data;
}

// Expects load_safetensors(path) to throw an IoError whose message contains the path and `part`.
void expect_io_error(const std::string& path, const std::string& part) {
    CAPTURE(part);
    try {
        io::load_safetensors(path);
        FAIL("expected IoError");
    } catch (const IoError& e) {
        const std::string msg = e.what();
        CAPTURE(msg);
        CHECK(msg.find(path) != std::string::npos);
        CHECK(msg.find(part) != std::string::npos);
    }
}

bool bitwise_equal(const Array& a, const Array& b) {
    return a.shape() == b.shape() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

}  // namespace

TEST_CASE("safetensors round trip is bitwise exact, in order, with metadata") {
    TempDir dir;
    const std::string path = dir.file("t.safetensors");
    Array special = {0.0f,
                     -0.0f,
                     1e-45f,
                     std::numeric_limits<float>::infinity(),
                     std::numeric_limits<float>::quiet_NaN(),
                     3.14159274f,
                     -1e30f};
    io::NamedArrays tensors = {{"zeta", Array{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}}},
                               {"alpha.special", special},
                               {"scalar", Array(2.5f)},
                               {"empty", Array(Shape{0, 3})}};
    io::Metadata meta = {{"config", R"({"d_model": 64})"}, {"vocab", "ağaç\nçiçek\n\"quoted\""}};
    io::save_safetensors(path, tensors, meta);
    const io::SafeTensors back = io::load_safetensors(path);
    REQUIRE(back.tensors.size() == tensors.size());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        CAPTURE(tensors[i].first);
        CHECK(back.tensors[i].first == tensors[i].first);
        CHECK(bitwise_equal(back.tensors[i].second, tensors[i].second));
    }
    CHECK(back.metadata == meta);
    CHECK(back.find("scalar")->shape() == Shape{});
    CHECK(back.find("nope") == nullptr);
}

TEST_CASE("the bytes follow the published layout: u64 LE length, padded JSON, F32 LE data") {
    const std::string b =
        io::safetensors_bytes({{"w", Array{{1.0f, -2.0f}}}, {"b", Array{0.5f}}}, {{"k", "v"}});
    const std::uint64_t n = le_u64(b, 0);
    CHECK((8 + n) % 8 == 0);  // the data section starts 8-byte aligned
    const std::string header = b.substr(8, n);
    CHECK(header == R"({"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},)"
                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})" +
                        std::string(header.size() - header.find_last_not_of(' ') - 1, ' '));
    CHECK(header.find_last_not_of(' ') + 1 > n - 8);  // at most 7 spaces of padding
    const std::size_t data = 8 + n;
    CHECK(b.size() == data + 12);
    // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f.
    CHECK(static_cast<unsigned char>(b[data + 0]) == 0x00);
    CHECK(static_cast<unsigned char>(b[data + 2]) == 0x80);
    CHECK(static_cast<unsigned char>(b[data + 3]) == 0x3f);
    CHECK(le_f32(b, data + 4) == -2.0f);
    CHECK(le_f32(b, data + 8) == 0.5f);
}

TEST_CASE("a saved file read back by an independent byte-level parser gives the same tensors") {
    TempDir dir;
    const std::string path = dir.file("indep.safetensors");
    Rng rng(3);
    io::NamedArrays tensors = {{"enc.weight", rng.normal_array({3, 5})}, {"enc.bias", rng.normal_array({5})}};
    io::save_safetensors(path, tensors, {{"lesson", "test"}});
    const std::string b = io_test::read_bytes(path);
    const std::uint64_t n = le_u64(b, 0);
    const auto header = nlohmann::json::parse(b.substr(8, n));
    CHECK(header["__metadata__"]["lesson"] == "test");
    std::size_t covered = 0;
    for (const auto& [name, array] : tensors) {
        const std::string& tensor = name;  // CAPTURE cannot take a structured binding (C++17)
        CAPTURE(tensor);
        const auto& entry = header.at(name);
        CHECK(entry["dtype"] == "F32");
        CHECK(entry["shape"].get<std::vector<std::size_t>>() ==
              std::vector<std::size_t>(array.shape().begin(), array.shape().end()));
        const auto begin = entry["data_offsets"][0].get<std::size_t>(),
                   end = entry["data_offsets"][1].get<std::size_t>();
        CHECK(end - begin == array.size() * 4);
        covered += end - begin;
        for (std::size_t i = 0; i < array.size(); ++i)
            CHECK(le_f32(b, 8 + n + begin + 4 * i) == array.data()[i]);
    }
    CHECK(covered == b.size() - 8 - n);  // no holes, nothing extra
}

TEST_CASE("saving refuses empty, duplicate and reserved tensor names") {
    CHECK_THROWS_AS(io::safetensors_bytes({{"", Array{1.0f}}}), ValueError);
    CHECK_THROWS_AS(io::safetensors_bytes({{"a", Array{1.0f}}, {"a", Array{2.0f}}}), ValueError);
    CHECK_THROWS_AS(io::safetensors_bytes({{"__metadata__", Array{1.0f}}}), ValueError);
}

TEST_CASE("read_safetensors_header gives names, shapes and metadata without the data") {
    TempDir dir;
    const std::string path = dir.file("h.safetensors");
    io::save_safetensors(path, {{"a", Array(Shape{2, 3})}, {"b", Array(Shape{4})}}, {{"config", "{}"}});
    const io::SafeTensorsHeader h = io::read_safetensors_header(path);
    REQUIRE(h.tensors.size() == 2);
    CHECK(h.tensors[1].name == "b");
    CHECK(h.tensors[1].shape == Shape{4});
    CHECK(h.tensors[1].begin == 24);
    CHECK(h.metadata.at("config") == "{}");
    CHECK(h.data_start % 8 == 0);
}

TEST_CASE("truncated files give an IoError naming the file") {
    TempDir dir;
    const std::string path = dir.file("cut.safetensors");
    const std::string good = io::safetensors_bytes({{"w", Array(Shape{4, 4})}});
    io_test::write_bytes(path, "");
    expect_io_error(path, "too short");
    io_test::write_bytes(path, good.substr(0, 5));
    expect_io_error(path, "too short");
    io_test::write_bytes(path, good.substr(0, 20));  // the header itself is cut
    expect_io_error(path, "truncated file");
    io_test::write_bytes(path, good.substr(0, good.size() - 3));  // the data is cut
    expect_io_error(path, "tensor 'w'");
    expect_io_error(dir.file("does-not-exist.safetensors"), "cannot open");
}

TEST_CASE("a huge claimed header length is refused before anything is allocated") {
    TempDir dir;
    const std::string path = dir.file("huge.safetensors");
    std::string b = io::safetensors_bytes({{"w", Array{1.0f}}});
    for (std::size_t i = 0; i < 8; ++i) b[i] = static_cast<char>(0xff);  // 2^64 - 1
    io_test::write_bytes(path, b);
    expect_io_error(path, "more than the");
    b[7] = 0;  // ~7e16: still above the cap
    io_test::write_bytes(path, b);
    expect_io_error(path, "more than the");
}

TEST_CASE("corrupt headers give an IoError naming the file and the tensor") {
    TempDir dir;
    const std::string path = dir.file("bad.safetensors");
    const std::string eight(8, '\0');
    const std::string sixteen(16, '\0');
    struct Case {
        const char* what;
        std::string json, data, expect;
    };
    const Case cases[] = {
        {"not JSON", R"({"w": {"dtype": "F32", )", eight, "not valid JSON"},
        {"not an object", "[1, 2]", "", "does not start with '{'"},
        {"other dtype", R"({"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})", eight,
         "tensor 'w' has dtype F16"},
        {"offsets past the end", R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", eight,
         "tensor 'w': data_offsets [0, 16] run past the end"},
        {"shape and bytes disagree", R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight,
         "tensor 'w': shape (3,) needs 12 bytes"},
        {"overlap",
         R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
         sixteen, "tensor 'b' overlaps tensor 'a'"},
        {"gap", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", sixteen,
         "gap before tensor 'a'"},
        {"extra bytes", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", sixteen,
         "belong to no tensor"},
        {"duplicate name",
         R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
         eight, "'a' appears twice"},
        {"negative size", R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", eight,
         "tensor 'w': shape entries"},
        {"begin after end", R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", eight,
         "tensor 'w': data_offsets [8, 0]"},
        {"overflowing shape", R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
         eight, "tensor 'w': shape"},
        {"metadata not strings", R"({"__metadata__":{"epochs":3}})", "", "__metadata__ value 'epochs'"},
        {"missing offsets", R"({"w":{"dtype":"F32","shape":[2]}})", eight, "tensor 'w': data_offsets"},
    };
    for (const Case& c : cases) {
        const std::string what = c.what;
        CAPTURE(what);
        io_test::write_bytes(path, raw_file(c.json, c.data));
        expect_io_error(path, c.expect);
    }
}

TEST_CASE("a hand-written minimal file from the spec loads (no padding, unsorted keys)") {
    TempDir dir;
    const std::string path = dir.file("min.safetensors");
    std::string data(8, '\0');
    const float two = 2.0f, three = 3.0f;
    std::memcpy(&data[0], &two, 4);  // x86 and ARM are little-endian, as the file must be
    std::memcpy(&data[4], &three, 4);
    io_test::write_bytes(
        path,
        raw_file(
            R"({"z":{"dtype":"F32","shape":[],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
            data));
    const io::SafeTensors t = io::load_safetensors(path);
    REQUIRE(t.tensors.size() == 2);
    CHECK(t.tensors[0].first == "a");  // file order: by offset
    CHECK(t.find("z")->shape() == Shape{});
    CHECK((*t.find("z"))() == 3.0f);
}
