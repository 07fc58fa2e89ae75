#include <dikkat/data/datasets.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>

#include <dikkat/data/tsv.hpp>
#include <dikkat/error.hpp>

namespace dikkat::data {

std::string find_dataset(const std::string& relative) {
    std::vector<std::string> tried;
    auto found = [&](const std::string& p) {
        if (std::filesystem::exists(p)) return true;
        tried.push_back(p);
        return false;
    };
    if (const char* env = std::getenv("DIKKAT_DATASETS"))
        if (std::string p = std::string(env) + "/" + relative; found(p)) return p;
    std::string up;
    for (int i = 0; i < 4; ++i, up += "../")
        if (std::string p = up + "datasets/" + relative; found(p)) return p;
    // The source tree this library was built from (lib/CMakeLists.txt defines it), so a
    // lesson finds its data from any folder: build/lessons/, /tmp, an IDE's run directory.
    if (std::string p = std::string(DIKKAT_SOURCE_DATASETS) + "/" + relative; found(p)) return p;
    // Then the build tree's datasets/: the sets the build draws instead of shipping (images/).
    if (std::string p = std::string(DIKKAT_BUILD_DATASETS) + "/" + relative; found(p)) return p;
    std::string msg = "dataset file " + relative + " not found; looked at:";
    for (const std::string& t : tried) msg += " " + t;
    if (relative == "images" || relative.rfind("images/", 0) == 0)
        msg += " (the images are drawn by the build: cmake --build build --target dikkat_images; or ";
    else
        msg += " (";
    throw IoError(msg + "set DIKKAT_DATASETS to the folder that holds it)");
}

std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> out;
    for (std::string& w : split_fields(line, ' '))
        if (!w.empty()) out.push_back(std::move(w));
    return out;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string s;
    for (const std::string& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

std::vector<std::pair<std::size_t, std::size_t>> parse_alignment(const std::string& text) {
    std::vector<std::pair<std::size_t, std::size_t>> links;
    for (const std::string& link : split_words(text)) {
        std::size_t dash = link.find('-');
        auto digits = [](const std::string& s) {
            return !s.empty() && s.size() < 6 && s.find_first_not_of("0123456789") == std::string::npos;
        };
        std::string a = dash == std::string::npos ? "" : link.substr(0, dash);
        std::string b = dash == std::string::npos ? "" : link.substr(dash + 1);
        if (!digits(a) || !digits(b))
            throw ValueError("alignment link \"" + link + "\" is not of the form i-j");
        links.emplace_back(std::stoul(a), std::stoul(b));
    }
    return links;
}

std::vector<TranslationPair> read_translation(const std::string& path, AlignmentColumn alignment) {
    std::vector<TranslationPair> pairs;
    const std::vector<TsvRow> rows = alignment == AlignmentColumn::required
                                         ? read_tsv(path, 3)
                                         : read_tsv(path, 2, 3, "english, french and an optional alignment");
    for (const TsvRow& row : rows) {
        const std::string where = path + ":" + std::to_string(row.line) + ": ";
        TranslationPair p;
        p.source = split_words(row.fields[0]);
        p.target = split_words(row.fields[1]);
        if (p.source.empty() || p.target.empty())
            throw IoError(where + "the " + (p.source.empty() ? "English" : "French") +
                          " sentence has no words");
        if (row.fields.size() == 2) {  // no alignment column (AlignmentColumn::optional)
            pairs.push_back(std::move(p));
            continue;
        }
        try {
            p.alignment = parse_alignment(row.fields[2]);
        } catch (const ValueError& e) {
            throw IoError(where + e.what());
        }
        std::vector<bool> covered(p.target.size(), false);
        for (const auto& [i, j] : p.alignment) {
            if (i >= p.source.size() || j >= p.target.size())
                throw IoError(where + "alignment link " + std::to_string(i) + "-" + std::to_string(j) +
                              " is out of range: the source has " + std::to_string(p.source.size()) +
                              " words, the target " + std::to_string(p.target.size()));
            covered[j] = true;
        }
        for (std::size_t j = 0; j < covered.size(); ++j)
            if (!covered[j])
                throw IoError(where + "target word " + std::to_string(j) + " (\"" + p.target[j] +
                              "\") has no alignment link");
        pairs.push_back(std::move(p));
    }
    return pairs;
}

std::vector<std::string> read_corpus(const std::string& path) {
    std::vector<std::string> lines = read_lines(path);
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].empty()) throw IoError(path + ":" + std::to_string(i + 1) + ": empty line");
    return lines;
}

std::vector<LabelledReview> read_labelled_reviews(const std::string& path) {
    std::vector<LabelledReview> out;
    for (const TsvRow& row : read_tsv(path, 2)) {
        const std::string& label = row.fields[0];
        if (label != "positive" && label != "negative")
            throw IoError(path + ":" + std::to_string(row.line) + ": label must be positive or " +
                          "negative, found \"" + label + "\"");
        out.push_back({label == "positive" ? 1 : 0, row.fields[1]});
    }
    return out;
}

std::vector<OpinionWord> read_opinion_words(const std::string& path) {
    std::vector<OpinionWord> out;
    std::map<std::string, std::size_t> first_line;  // word -> the line that listed it first
    for (const TsvRow& row : read_tsv(path, 3)) {   // also rejects an empty word
        const std::string where = path + ":" + std::to_string(row.line) + ": ";
        const std::string& word = row.fields[0];
        const std::string& polarity = row.fields[1];
        const std::string& kind = row.fields[2];
        if (word.find(' ') != std::string::npos)
            throw IoError(where + "an opinion word is one word, found \"" + word + "\"");
        if (polarity != "positive" && polarity != "negative")
            throw IoError(where + "polarity must be positive or negative, found \"" + polarity + "\"");
        if (kind != "core" && kind != "wide")
            throw IoError(where + "the third field must be core or wide, found \"" + kind + "\"");
        if (auto [it, fresh] = first_line.emplace(word, row.line); !fresh)
            throw IoError(where + "\"" + word + "\" is listed twice (first on line " +
                          std::to_string(it->second) + ")");
        out.push_back({word, polarity == "positive" ? 1 : -1, kind == "core"});
    }
    return out;
}

}  // namespace dikkat::data
