#include "common.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <set>
#include <utility>

#include <dikkat/error.hpp>

namespace dikkat::gen {

std::string join(const std::vector<std::string>& words, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += sep;
        out += words[i];
    }
    return out;
}

std::string fix_articles(const std::string& text) {
    std::vector<std::string> w = split_words(text);
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        const std::string& nx = w[i + 1];
        bool vowel = std::string("aeiou").find(nx[0]) != std::string::npos && nx.rfind("eu", 0) != 0 &&
                     nx.rfind("uni", 0) != 0 && nx.rfind("one", 0) != 0;
        if (w[i] == "a" && (vowel || nx == "hour")) w[i] = "an";
    }
    return join(w);
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::filesystem::path p(path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    std::ofstream f(path, std::ios::binary);
    if (!f) throw IoError(path + ": cannot open for writing");
    for (const std::string& l : lines) f << l << '\n';
    if (!f) throw IoError(path + ": write failed");
}

void print_histogram(std::ostream& out, const std::map<std::string, std::size_t>& counts, std::size_t width) {
    std::size_t most = 1;
    for (const auto& [k, n] : counts) most = std::max(most, n);
    for (const auto& [k, n] : counts)
        out << "    " << std::setw(7) << k << " " << std::setw(6) << n << " "
            << std::string((n * width + most - 1) / most, '#') << "\n";
}

std::size_t vocabulary_size(const std::vector<std::string>& lines) {
    std::set<std::string> v;
    for (const std::string& l : lines)
        for (std::string& w : split_words(l)) v.insert(std::move(w));
    return v.size();
}

std::size_t word_count(const std::vector<std::string>& lines) {
    std::size_t n = 0;
    for (const std::string& l : lines) n += split_words(l).size();
    return n;
}

std::map<std::string, std::size_t> length_histogram(const std::vector<std::string>& lines,
                                                    std::size_t width) {
    std::map<std::string, std::size_t> hist;
    for (const std::string& line : lines) {
        const std::size_t bucket = split_words(line).size() / width * width;
        char key[32];
        std::snprintf(key, sizeof key, "%03zu-%03zu", bucket, bucket + width - 1);
        hist[key]++;
    }
    return hist;
}

void print_review_coverage(const std::string& text_dir, std::ostream& log) {
    const std::string general = text_dir + "/general/train.txt";
    const std::string unlabelled = text_dir + "/reviews_unlabelled/train.txt";
    std::vector<std::string> labelled;
    for (const char* split : {"train", "valid", "test"})
        labelled.push_back(text_dir + "/reviews_labelled/" + split + ".tsv");
    for (const std::string& f : {general, unlabelled, labelled[0], labelled[1], labelled[2]})
        if (!std::filesystem::exists(f)) return;

    std::set<std::string> vocab;
    for (const std::string& line : data::read_corpus(general))
        for (std::string& w : split_words(line)) vocab.insert(std::move(w));
    std::vector<std::string> reviews = data::read_corpus(unlabelled);
    for (const std::string& f : labelled)
        for (data::LabelledReview& r : data::read_labelled_reviews(f)) reviews.push_back(std::move(r.text));

    std::size_t tokens = 0, covered = 0;
    std::map<std::string, std::size_t> missing;  // word -> how often the reviews use it
    for (const std::string& line : reviews)
        for (const std::string& w : split_words(line)) {
            ++tokens;
            if (vocab.count(w))
                ++covered;
            else
                ++missing[w];
        }
    std::vector<std::pair<std::size_t, std::string>> by_count;
    for (const auto& [w, n] : missing) by_count.push_back({n, w});
    std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });

    const std::size_t hundredths = tokens ? (covered * 10000 + tokens / 2) / tokens : 0;  // of a percent
    char pct[32];
    std::snprintf(pct, sizeof pct, "%zu.%02zu %%", hundredths / 100, hundredths % 100);
    log << "## review words in the general text\n\n";
    log << "review tokens whose word occurs in general/train.txt: " << covered << " of " << tokens << " ("
        << pct << ")\n";
    log << "review word types never in general/train.txt: " << missing.size();
    for (std::size_t i = 0; i < by_count.size(); ++i)
        log << (i ? ", " : ": ") << by_count[i].second << " (" << by_count[i].first << ")";
    log << "\n\n";
}

}  // namespace dikkat::gen
