// Every shipped dataset file parses, and has the sizes and properties its README promises.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include <dikkat/data/datasets.hpp>

using namespace dikkat;

namespace {

std::vector<data::TranslationPair> translation(const std::string& split) {
    return data::read_translation(data::find_dataset("translation/" + split + ".tsv"));
}

std::size_t words_in(const std::vector<std::string>& lines) {
    std::size_t n = 0;
    for (const std::string& l : lines) n += data::split_words(l).size();
    return n;
}

std::string joined(const std::vector<std::string>& w) {
    std::string s;
    for (const std::string& x : w) s += x + " ";
    return s;
}

}  // namespace

TEST_CASE("translation: every line parses and every French word is aligned") {
    // read_translation checks the alignment links (in range, every target word covered).
    for (const char* split : {"train", "valid", "test"}) {
        for (const auto& p : translation(split)) {
            REQUIRE(p.source.size() >= 3);
            REQUIRE(p.source.size() <= 40);
        }
    }
}

TEST_CASE("translation: split sizes and a stratified test set") {
    CHECK(translation("train").size() >= 30000);
    CHECK(translation("valid").size() >= 2000);
    std::size_t buckets[4] = {0, 0, 0, 0};
    for (const auto& p : translation("test")) {
        std::size_t n = p.source.size();
        buckets[n <= 10 ? 0 : n <= 20 ? 1 : n <= 30 ? 2 : 3]++;
    }
    for (std::size_t b : buckets) CHECK(b >= 500);
}

TEST_CASE("translation: no sentence appears in two splits (or twice in one)") {
    std::set<std::string> en, fr;
    std::size_t total = 0;
    for (const char* split : {"train", "valid", "test"})
        for (const auto& p : translation(split)) {
            en.insert(joined(p.source));
            fr.insert(joined(p.target));
            ++total;
        }
    CHECK(en.size() == total);
    CHECK(fr.size() == total);
}

TEST_CASE("translation: the european economic area becomes la zone économique européenne") {
    std::size_t found = 0;
    for (const auto& p : translation("train")) {
        for (std::size_t i = 0; i + 3 < p.source.size(); ++i) {
            if (p.source[i] != "the" || p.source[i + 1] != "european" || p.source[i + 2] != "economic" ||
                p.source[i + 3] != "area")
                continue;
            // Follow the alignment: area -> zone, economic -> économique, european -> européenne.
            auto target_of = [&](std::size_t s) {
                for (const auto& [a, b] : p.alignment)
                    if (a == s) return p.target[b];
                return std::string();
            };
            CHECK(target_of(i + 3) == "zone");
            CHECK(target_of(i + 2) == "économique");
            CHECK(target_of(i + 1) == "européenne");
            ++found;
        }
    }
    CHECK(found > 0);
}

TEST_CASE("text: the general corpus has at least 500,000 words") {
    std::size_t n = words_in(data::read_corpus(data::find_dataset("text/general/train.txt"))) +
                    words_in(data::read_corpus(data::find_dataset("text/general/valid.txt")));
    CHECK(n >= 500000);
}

TEST_CASE("text: the unlabelled reviews have at least 300,000 words") {
    std::size_t n = words_in(data::read_corpus(data::find_dataset("text/reviews_unlabelled/train.txt"))) +
                    words_in(data::read_corpus(data::find_dataset("text/reviews_unlabelled/valid.txt")));
    CHECK(n >= 300000);
}

TEST_CASE("text: labelled reviews are balanced, and every prefix of the pool is too") {
    auto pool = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/train.tsv"));
    auto valid = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/valid.tsv"));
    auto test = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/test.tsv"));
    CHECK(pool.size() >= 4000);
    CHECK(valid.size() == 1000);
    CHECK(test.size() == 2000);
    auto positives = [](const std::vector<data::LabelledReview>& v, std::size_t n) {
        std::size_t p = 0;
        for (std::size_t i = 0; i < n; ++i) p += static_cast<std::size_t>(v[i].label);
        return p;
    };
    for (std::size_t n : {16u, 64u, 256u}) CHECK(positives(pool, n) == n / 2);
    CHECK(positives(pool, pool.size()) == pool.size() / 2);
    CHECK(positives(valid, valid.size()) == 500);
    CHECK(positives(test, test.size()) == 1000);
}

TEST_CASE("datasets/ stays under 25 MB") {
    std::uintmax_t bytes = 0;
    std::string root = data::find_dataset("README.md");
    root = root.substr(0, root.size() - std::string("README.md").size());
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.is_regular_file()) bytes += e.file_size();
    CHECK(bytes < 25u * 1024u * 1024u);
}
