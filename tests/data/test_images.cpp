// Lesson 07's images (datasets/images/README.md): the generator is deterministic, the build drew
// the sizes and order the README promises, and read_image_set reads them back exactly and names
// file:line for every malformed file.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include <unistd.h>

#include <dikkat/data/datasets.hpp>
#include <dikkat/data/images.hpp>
#include <dikkat/error.hpp>

#include "../support/error_of.hpp"
#include "common.hpp"  // datasets/generator/: make_images

using namespace dikkat;
namespace fs = std::filesystem;

namespace {

/// A fresh directory, removed when the test ends (ctest runs cases in parallel processes, so the
/// name carries the process id).
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("dikkat-images-test-" + std::to_string(::getpid()));
    TempDir() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string str() const { return path.string(); }
};

std::string read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

/// A PPM header as the generator writes it, for a sheet of `columns` × `rows` tiles.
std::string ppm_header(std::size_t columns, std::size_t rows, std::size_t count) {
    return "P6\n# dikkat-images tile 32 count " + std::to_string(count) + "\n" +
           std::to_string(columns * 32) + " " + std::to_string(rows * 32) + "\n255\n";
}

/// A small valid set in `dir`: classes a, b, c; a 2 × 2 sheet whose tile i is filled with bytes
/// (10i, 10i + 1, 10i + 2); three labels c, a, b (the fourth tile unused).
void write_small_set(const std::string& dir) {
    write_bytes(dir + "/classes.txt", "a\nb\nc\n");
    write_bytes(dir + "/train.labels.txt", "c\na\nb\n");
    std::string pixels(64 * 64 * 3, '\0');
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x) {
            const std::size_t tile = y / 32 * 2 + x / 32;
            for (std::size_t c = 0; c < 3; ++c)
                pixels[(y * 64 + x) * 3 + c] = static_cast<char>(10 * tile + c);
        }
    write_bytes(dir + "/train.ppm", ppm_header(2, 2, 3) + pixels);
}

std::string error_reading(const std::string& dir) {
    return error_of<IoError>([&] { data::read_image_set(dir, "train"); });
}

bool has(const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
}

std::uint64_t hash_image(const data::ImageSet& set, std::size_t i) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the image's bytes
    const float* p = set.images.data() + i * 3 * 32 * 32;
    for (std::size_t k = 0; k < 3 * 32 * 32; ++k)
        h = (h ^ static_cast<std::uint64_t>(p[k] * 255.0f)) * 1099511628211ull;
    return h;
}

data::ImageSet build_set(const std::string& task, const std::string& split) {
    return data::read_image_set(data::find_dataset("images/" + task), split);
}

}  // namespace

TEST_CASE("images: the generator draws the build's bytes from the same seed, other bytes from another") {
    const std::string built = fs::path(data::find_dataset("images/source")).parent_path().string();
    TempDir dir;
    std::ostringstream log;
    gen::make_images(dir.str() + "/same", 2024 + 3, log);  // dikkat_datasets images: --seed 2024, + 3
    gen::make_images(dir.str() + "/other", 2028 + 3, log);
    for (const char* task : {"source", "target"})
        for (const char* file :
             {"classes.txt", "train.ppm", "train.labels.txt", "test.ppm", "test.labels.txt"}) {
            const std::string name = std::string(task) + "/" + file;
            const std::string ours = read_bytes(dir.str() + "/same/" + name);
            const bool same_seed_same_bytes = ours == read_bytes(built + "/" + name);
            CHECK_MESSAGE(same_seed_same_bytes, name);
            // Every sheet and shuffled order changes with the seed; the class lists and the target's
            // round-robin training order do not.
            if (name.find(".ppm") != std::string::npos || name.find("test.labels") != std::string::npos ||
                name == "source/train.labels.txt") {
                const bool other_seed_other_bytes = ours != read_bytes(dir.str() + "/other/" + name);
                CHECK_MESSAGE(other_seed_other_bytes, name);
            }
        }
    for (const char* preview : {"preview_source.svg", "preview_target.svg"}) {
        const bool same_preview =
            read_bytes(dir.str() + "/same/" + preview) == read_bytes(built + "/" + preview);
        CHECK_MESSAGE(same_preview, preview);
    }
}

TEST_CASE("images: the shipped previews are the ones the build draws") {
    const std::string built = fs::path(data::find_dataset("images/source")).parent_path().string();
    const fs::path shipped =
        fs::path(__FILE__).parent_path().parent_path().parent_path() / "datasets" / "images";
    for (const char* preview : {"preview_source.svg", "preview_target.svg"}) {
        const std::string bytes = read_bytes((shipped / preview).string());
        const bool same = bytes == read_bytes(built + "/" + preview);
        CHECK_MESSAGE(same, "datasets/images/" << preview
                                               << " is not the build's; after changing the generator: cp "
                                               << built << "/preview_*.svg datasets/images/");
        CHECK(bytes.size() < 1500000);
    }
}

TEST_CASE("images: 32 source classes of 300 + 50, 10 new target classes of 300 + 100") {
    struct Expect {
        const char* task;
        const char* split;
        std::size_t classes, per_class;
    };
    std::set<std::string> source_shapes;
    for (const Expect& e : {Expect{"source", "train", 32, 300}, Expect{"source", "test", 32, 50},
                            Expect{"target", "train", 10, 300}, Expect{"target", "test", 10, 100}}) {
        CAPTURE(e.task);
        CAPTURE(e.split);
        const data::ImageSet set = build_set(e.task, e.split);
        REQUIRE(set.classes.size() == e.classes);
        REQUIRE(set.size() == e.classes * e.per_class);
        CHECK(set.images.shape() == Shape{set.size(), 3, 32, 32});
        CHECK(xt::amin(set.images)() >= 0.0f);
        CHECK(xt::amax(set.images)() <= 1.0f);
        std::vector<std::size_t> count(e.classes, 0);
        for (Index label : set.labels) count[static_cast<std::size_t>(label)]++;
        for (std::size_t n : count) CHECK(n == e.per_class);
        // Shuffled or interleaved, never in blocks: the first 20 images per class hold every class.
        std::set<Index> seen(set.labels.begin(), set.labels.begin() + static_cast<long>(20 * e.classes));
        CHECK(seen.size() == e.classes);
        if (std::string(e.task) == "source") {
            for (std::size_t k = 0; k < e.classes; ++k) {
                const std::string& name = set.classes[k];
                const std::string suffix = k % 2 == 0 ? "_solid" : "_textured";
                REQUIRE(name.size() > suffix.size());
                CHECK(name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
                source_shapes.insert(name.substr(0, name.size() - suffix.size()));
            }
            CHECK(source_shapes.size() == 16);
        } else {
            for (const std::string& name : set.classes) CHECK_MESSAGE(source_shapes.count(name) == 0, name);
        }
    }
}

TEST_CASE("images: the target's training images go round the classes, so 10·N images hold N of each") {
    const data::ImageSet train = build_set("target", "train");
    for (std::size_t i = 0; i < train.size(); ++i) REQUIRE(train.labels[i] == static_cast<Index>(i % 10));
}

TEST_CASE("images: no two images of a class are the same") {
    for (const char* task : {"source", "target"})
        for (const char* split : {"train", "test"}) {
            const data::ImageSet set = build_set(task, split);
            std::set<std::pair<Index, std::uint64_t>> seen;
            for (std::size_t i = 0; i < set.size(); ++i) seen.insert({set.labels[i], hash_image(set, i)});
            CHECK_MESSAGE(seen.size() == set.size(), task << "/" << split);
        }
}

TEST_CASE("images: textured shapes have many more sharp colour edges than solid ones") {
    // Background and shape are flat but for ±6 of noise; the outline and the strokes of clutter give
    // every image some sharp edges (about 62), and a texture adds stripes, checks or dots (about 52
    // more, measured).
    const data::ImageSet set = build_set("source", "test");
    double edges[2] = {0, 0};
    for (std::size_t i = 0; i < set.size(); ++i) {
        const float* p = set.images.data() + i * 3 * 32 * 32;
        std::size_t n = 0;
        for (std::size_t y = 0; y < 32; ++y)
            for (std::size_t x = 0; x + 1 < 32; ++x) {
                float d = 0;
                for (std::size_t c = 0; c < 3; ++c)
                    d += std::abs(p[(c * 32 + y) * 32 + x] - p[(c * 32 + y) * 32 + x + 1]);
                n += d > 0.25f;
            }
        edges[set.labels[i] % 2] += static_cast<double>(n) / static_cast<double>(set.size() / 2);
    }
    MESSAGE("sharp horizontal edges per image: solid " << edges[0] << ", textured " << edges[1]);
    CHECK(edges[1] > edges[0] + 40.0);
}

TEST_CASE("read_image_set reads back every pixel and label the generator wrote") {
    const std::string dir = data::find_dataset("images/target");
    const data::ImageSet set = data::read_image_set(dir, "test");
    const std::string bytes = read_bytes(dir + "/test.ppm");
    const std::string header = ppm_header(64, 16, 1000);  // 1000 images: 15 full rows and 40 tiles
    REQUIRE(bytes.compare(0, header.size(), header) == 0);
    REQUIRE(bytes.size() == header.size() + 2048 * 512 * 3);
    const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data() + header.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < 64 * 16; ++i)
        for (std::size_t y = 0; y < 32; ++y)
            for (std::size_t x = 0; x < 32; ++x)
                for (std::size_t c = 0; c < 3; ++c) {
                    const unsigned char b = pixels[((i / 64 * 32 + y) * 2048 + i % 64 * 32 + x) * 3 + c];
                    if (i >= set.size())
                        mismatches += b != 0;  // the unused tiles of the last row are black
                    else
                        mismatches += set.images(i, c, y, x) != static_cast<float>(b) / 255.0f;
                }
    CHECK(mismatches == 0);
    std::istringstream labels(read_bytes(dir + "/test.labels.txt"));
    std::string line;
    for (std::size_t i = 0; std::getline(labels, line); ++i) {
        REQUIRE(i < set.size());
        CHECK(set.classes[static_cast<std::size_t>(set.labels[i])] == line);
    }
}

TEST_CASE("read_image_set takes tiles row by row, any number to a row, and ignores unused tiles") {
    TempDir dir;
    write_small_set(dir.str());
    const data::ImageSet set = data::read_image_set(dir.str(), "train");
    CHECK(set.classes == std::vector<std::string>{"a", "b", "c"});
    CHECK(set.labels == std::vector<Index>{2, 0, 1});
    REQUIRE(set.images.shape() == Shape{3, 3, 32, 32});
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t c = 0; c < 3; ++c) {
            CHECK(set.images(i, c, 0, 0) == static_cast<float>(10 * i + c) / 255.0f);
            CHECK(set.images(i, c, 31, 31) == static_cast<float>(10 * i + c) / 255.0f);
        }
}

TEST_CASE("read_image_set names a missing file and the build target that draws it") {
    for (const char* file : {"classes.txt", "train.ppm", "train.labels.txt"}) {
        TempDir dir;
        write_small_set(dir.str());
        fs::remove(dir.path / file);
        const std::string msg = error_reading(dir.str());
        CHECK_MESSAGE(has(msg, dir.str() + "/" + file + ": no such file"), msg);
        CHECK_MESSAGE(has(msg, "cmake --build build --target dikkat_images"), msg);
    }
}

TEST_CASE("read_image_set names the sheet when its PPM header is wrong") {
    const std::string pixels(64 * 64 * 3, '\0');
    struct Bad {
        std::string bytes, says;
    };
    for (const Bad& bad : {
             Bad{"P3\n64 64\n255\n" + pixels, "not a binary PPM: it must start with \"P6\", found \"P3\""},
             Bad{"P6\n64 abc\n255\n" + pixels, "bad PPM header: expected the height"},
             Bad{"P6\n64",
                 "bad PPM header: expected the height (a number up to 8 digits), found the end of the file"},
             Bad{"P6\n64 64\n65535\n" + pixels, "maxval is 65535; expected 255"},
             Bad{"P6\n48 64\n255\n" + pixels,
                 "the sheet is 48 × 64 pixels; both must be positive multiples of the 32"},
             Bad{"P6\n64 64\n255\n" + pixels.substr(0, 1000),
                 "pixel data truncated: a 64 × 64 sheet needs 12288 bytes"
                 " after the header, the file has 1000"},
             Bad{ppm_header(2, 2, 4) + pixels, "the header says count 4, but "},
             Bad{"P6\n# dikkat-images tile 16 count 3\n64 64\n255\n" + pixels, "the header says tile 16"},
         }) {
        TempDir dir;
        write_small_set(dir.str());
        write_bytes(dir.str() + "/train.ppm", bad.bytes);
        const std::string msg = error_reading(dir.str());
        CHECK_MESSAGE(has(msg, dir.str() + "/train.ppm: " + bad.says), msg);
    }
}

TEST_CASE("read_image_set names file:line for a bad class list or label") {
    struct Bad {
        std::string file, bytes, says;
    };
    for (const Bad& bad : {
             Bad{"classes.txt", "a\n\nc\n", "classes.txt:2: empty class name"},
             Bad{"classes.txt", "a\nb\na\n", "classes.txt:3: class \"a\" is listed twice (first on line 1)"},
             Bad{"classes.txt", "", "classes.txt: no class names"},
             Bad{"train.labels.txt", "c\nblob\nb\n", "train.labels.txt:2: unknown class \"blob\"; "},
             Bad{"train.labels.txt", "c\n\nb\n", "train.labels.txt:2: empty line; expected a class name"},
             Bad{"train.labels.txt", "a\nb\nc\na\nb\n", "train.labels.txt:5: more labels than tiles: "},
             Bad{"train.labels.txt", "", "train.labels.txt: no labels"},
         }) {
        TempDir dir;
        write_small_set(dir.str());
        write_bytes(dir.str() + "/" + bad.file, bad.bytes);
        if (bad.file == "train.labels.txt")  // a sheet without the count comment: only the labels are wrong
            write_bytes(dir.str() + "/train.ppm", "P6\n64 64\n255\n" + std::string(64 * 64 * 3, '\0'));
        const std::string msg = error_reading(dir.str());
        CHECK_MESSAGE(has(msg, dir.str() + "/" + bad.says), msg);
    }
    // A short class list is spelled out in the error.
    TempDir dir;
    write_small_set(dir.str());
    write_bytes(dir.str() + "/train.labels.txt", "blob\n");
    write_bytes(dir.str() + "/train.ppm", "P6\n64 64\n255\n" + std::string(64 * 64 * 3, '\0'));
    CHECK(has(error_reading(dir.str()), "unknown class \"blob\"; " + dir.str() + "/classes.txt has a, b, c"));
}
