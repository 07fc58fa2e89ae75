#include <dikkat/data/images.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <dikkat/data/tsv.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

namespace {

constexpr std::size_t kTile = 32;  // every image is kTile × kTile pixels

void require_file(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw IoError(path + ": no such file. The image sets are drawn by the build, not shipped: " +
                      "cmake --build build --target dikkat_images (datasets/images/README.md)");
}

std::vector<std::string> read_classes(const std::string& path) {
    const std::vector<std::string> names = read_lines(path);
    if (names.empty()) throw IoError(path + ": no class names (one per line: line k names label k)");
    std::map<std::string, std::size_t> first_line;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string where = path + ":" + std::to_string(i + 1) + ": ";
        if (names[i].empty()) throw IoError(where + "empty class name");
        if (auto [it, fresh] = first_line.emplace(names[i], i + 1); !fresh)
            throw IoError(where + "class \"" + names[i] + "\" is listed twice (first on line " +
                          std::to_string(it->second) + ")");
    }
    return names;
}

std::vector<Index> read_labels(const std::string& path, const std::vector<std::string>& classes,
                               const std::string& classes_path) {
    std::map<std::string, Index> label_of;
    for (std::size_t k = 0; k < classes.size(); ++k) label_of[classes[k]] = static_cast<Index>(k);
    const std::vector<std::string> lines = read_lines(path);
    if (lines.empty()) throw IoError(path + ": no labels (one class name per line: line i labels tile i)");
    std::vector<Index> labels;
    labels.reserve(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string where = path + ":" + std::to_string(i + 1) + ": ";
        if (lines[i].empty()) throw IoError(where + "empty line; expected a class name");
        auto it = label_of.find(lines[i]);
        if (it == label_of.end()) {
            std::string known;
            for (std::size_t k = 0; k < classes.size() && k < 12; ++k) known += (k ? ", " : "") + classes[k];
            if (classes.size() > 12) known += ", … (" + std::to_string(classes.size()) + " in all)";
            throw IoError(where + "unknown class \"" + lines[i] + "\"; " + classes_path + " has " + known);
        }
        labels.push_back(it->second);
    }
    return labels;
}

/// The header of a binary PPM: "P6", width, height, maxval, separated by whitespace and
/// `#` comments, then one whitespace byte before the pixels.
struct PpmHeader {
    std::size_t width = 0, height = 0, maxval = 0;
    std::size_t pixels_at = 0;          // offset of the first pixel byte
    std::vector<std::string> comments;  // without the '#'
};

PpmHeader read_ppm_header(const std::string& bytes, const std::string& path) {
    if (bytes.compare(0, 2, "P6") != 0 ||
        (bytes.size() > 2 && !std::isspace(static_cast<unsigned char>(bytes[2])))) {
        std::string start;
        for (std::size_t i = 0;
             i < bytes.size() && i < 3 && !std::isspace(static_cast<unsigned char>(bytes[i])); ++i)
            start += std::isprint(static_cast<unsigned char>(bytes[i])) ? bytes[i] : '?';
        throw IoError(path + ": not a binary PPM: it must start with \"P6\", found \"" + start + "\"");
    }
    PpmHeader h;
    std::size_t at = 2;
    auto is_space = [&](std::size_t i) { return std::isspace(static_cast<unsigned char>(bytes[i])) != 0; };
    auto number = [&](const char* what) {
        while (at < bytes.size() && (is_space(at) || bytes[at] == '#')) {
            if (bytes[at] != '#') {
                ++at;
                continue;
            }
            const std::size_t end = std::min(bytes.find('\n', at), bytes.size());
            h.comments.push_back(bytes.substr(at + 1, end - at - 1));
            at = end;
        }
        const std::size_t start = at;
        while (at < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[at])) && at - start < 8)
            ++at;
        if (at == start || (at < bytes.size() && !is_space(at))) {
            std::string found = bytes.substr(start, 12);
            for (char& c : found)
                if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
            throw IoError(path + ": bad PPM header: expected the " + what +
                          " (a number up to 8 digits), found " +
                          (found.empty() ? "the end of the file" : "\"" + found + "\""));
        }
        return static_cast<std::size_t>(std::stoul(bytes.substr(start, at - start)));
    };
    h.width = number("width");
    h.height = number("height");
    h.maxval = number("maxval");
    h.pixels_at = at + 1;  // number() stopped at the one whitespace byte before the pixels
    if (h.maxval != 255)
        throw IoError(path + ": maxval is " + std::to_string(h.maxval) +
                      "; expected 255 (one byte per channel)");
    if (h.width == 0 || h.height == 0 || h.width % kTile != 0 || h.height % kTile != 0)
        throw IoError(path + ": the sheet is " + std::to_string(h.width) + " × " + std::to_string(h.height) +
                      " pixels; both must be positive multiples of the " + std::to_string(kTile) +
                      "-pixel tile");
    return h;
}

/// Checks the comment "dikkat-images tile 32 count <n>" the generator writes, if the header has one.
void check_sheet_comment(const PpmHeader& h, const std::string& path, std::size_t labels,
                         const std::string& labels_path) {
    for (const std::string& comment : h.comments) {
        std::istringstream in(comment);
        std::string tag, tile_word, count_word;
        std::size_t tile = 0, count = 0;
        if (!(in >> tag) || tag != "dikkat-images") continue;
        if (!(in >> tile_word >> tile >> count_word >> count) || tile_word != "tile" || count_word != "count")
            throw IoError(path + ": header comment \"#" + comment +
                          "\" should read \"# dikkat-images tile 32 count <images>\"");
        if (tile != kTile)
            throw IoError(path + ": the header says tile " + std::to_string(tile) + "; images are " +
                          std::to_string(kTile) + " × " + std::to_string(kTile));
        if (count != labels)
            throw IoError(path + ": the header says count " + std::to_string(count) + ", but " + labels_path +
                          " has " + std::to_string(labels) + " labels");
    }
}

}  // namespace

ImageSet read_image_set(const std::string& dir, const std::string& split) {
    const std::string classes_path = dir + "/classes.txt";
    const std::string sheet_path = dir + "/" + split + ".ppm";
    const std::string labels_path = dir + "/" + split + ".labels.txt";
    for (const std::string& p : {classes_path, sheet_path, labels_path}) require_file(p);

    ImageSet set;
    set.classes = read_classes(classes_path);
    set.labels = read_labels(labels_path, set.classes, classes_path);

    std::ifstream f(sheet_path, std::ios::binary);
    if (!f) throw IoError(sheet_path + ": cannot open file");
    const std::string bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    const PpmHeader h = read_ppm_header(bytes, sheet_path);
    check_sheet_comment(h, sheet_path, set.size(), labels_path);
    const std::size_t need = h.width * h.height * 3;
    const std::size_t have = bytes.size() > h.pixels_at ? bytes.size() - h.pixels_at : 0;
    if (have < need)
        throw IoError(sheet_path + ": pixel data truncated: a " + std::to_string(h.width) + " × " +
                      std::to_string(h.height) + " sheet needs " + std::to_string(need) +
                      " bytes after the header, the file has " + std::to_string(have));
    const std::size_t columns = h.width / kTile, tiles = columns * (h.height / kTile);
    if (set.size() > tiles)
        throw IoError(labels_path + ":" + std::to_string(tiles + 1) +
                      ": more labels than tiles: " + sheet_path + " holds " + std::to_string(tiles) + " (" +
                      std::to_string(columns) + " × " + std::to_string(h.height / kTile) +
                      "), this file has " + std::to_string(set.size()) + " lines");

    // Tile i sits at column i % columns, row i / columns of the sheet; its pixel (y, x) channel c
    // goes to images[i, c, y, x].
    const std::size_t N = set.size();
    set.images = Array(Shape{N, 3, kTile, kTile});
    const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data() + h.pixels_at);
    float* out = set.images.data();
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t y = 0; y < kTile; ++y) {
            const unsigned char* row =
                pixels + ((i / columns * kTile + y) * h.width + i % columns * kTile) * 3;
            for (std::size_t x = 0; x < kTile; ++x)
                for (std::size_t c = 0; c < 3; ++c)
                    out[((i * 3 + c) * kTile + y) * kTile + x] = static_cast<float>(row[3 * x + c]) / 255.0f;
        }
    return set;
}

}  // namespace dikkat::data
