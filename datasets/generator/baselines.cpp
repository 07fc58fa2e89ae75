// dikkat_baselines — the word-counting baselines datasets/text/reviews_labelled/README.md quotes.
//
//   ./build/datasets/dikkat_baselines            (from the repository root; about ten seconds)
//
// Two models that do not read word order, trained on the first N labelled reviews: a bag of
// words, and word vectors learned from co-occurrence counts in the unlabelled text (PPMI +
// truncated SVD), averaged over a review. Both stumble on negation ("not good") and contrast
// ("dull , but superb"), and the word vectors cannot tell "superb" from "dreadful" here: in this
// text opinion words of both polarities share their windows (concessions, "not", "A , but B"),
// so counting who stands near whom finds opinion words, not their polarity. What a model that
// reads order learns from the same unlabelled text is measured by dikkat_transfer_check.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>

#include <dikkat/data/datasets.hpp>
#include <dikkat/error.hpp>
#include <dikkat/tensor.hpp>

#include "logistic.hpp"
#include "reviews.hpp"

using namespace dikkat;
using data::LabelledReview;
using gen::accuracy;
using gen::BagOfWords;
using gen::Features;
using gen::Logistic;
using gen::train_logistic;

namespace {

// ---- word vectors from co-occurrence counts -------------------------------------------------
// Count how often two words occur within `window` words of each other in the unlabelled text,
// turn counts into positive pointwise mutual information, PPMI(a, b) = max(0, log p(a,b) /
// (p(a) p(b))), and keep the top `dim` directions of its SVD: words used in the same company
// get nearby vectors.
struct WordVectors {
    std::map<std::string, std::size_t> index;
    std::vector<std::string> words;
    Array vectors;  // (V, dim), rows of unit length
};

WordVectors learn_word_vectors(const std::vector<std::string>& lines, std::size_t window, std::size_t dim,
                               std::size_t min_count) {
    std::map<std::string, std::size_t> counts;
    for (const std::string& l : lines)
        for (const std::string& w : data::split_words(l)) counts[w]++;
    WordVectors wv;
    for (const auto& [w, c] : counts)
        if (c >= min_count) {
            wv.index.emplace(w, wv.words.size());
            wv.words.push_back(w);
        }
    const std::size_t V = wv.words.size();
    xt::xarray<double> C = xt::zeros<double>({V, V});
    for (const std::string& l : lines) {
        std::vector<std::size_t> ids;
        for (const std::string& w : data::split_words(l)) {
            auto it = wv.index.find(w);
            if (it != wv.index.end()) ids.push_back(it->second);
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (std::size_t j = i + 1; j < ids.size() && j <= i + window; ++j) {
                C(ids[i], ids[j]) += 1.0;
                C(ids[j], ids[i]) += 1.0;
            }
    }
    xt::xarray<double> row = xt::sum(C, {1});
    const double total = xt::sum(C)();
    xt::xarray<double> M = xt::zeros<double>({V, V});
    for (std::size_t a = 0; a < V; ++a)
        for (std::size_t b = 0; b < V; ++b)
            if (C(a, b) > 0) M(a, b) = std::max(0.0, std::log(C(a, b) * total / (row(a) * row(b))));
    auto [U, S, Vt] = xt::linalg::svd(M, /*full_matrices=*/false);
    wv.vectors = xt::zeros<float>({V, dim});
    for (std::size_t a = 0; a < V; ++a) {
        double norm = 0.0;
        for (std::size_t k = 0; k < dim; ++k) norm += U(a, k) * U(a, k) * S(k);
        norm = std::sqrt(norm) + 1e-12;
        for (std::size_t k = 0; k < dim; ++k)
            wv.vectors(a, k) = static_cast<float>(U(a, k) * std::sqrt(S(k)) / norm);
    }
    return wv;
}

// The mean of a review's word vectors.
std::vector<double> average_vector(const WordVectors& wv, const std::string& text) {
    const std::size_t dim = wv.vectors.shape()[1];
    std::vector<double> v(dim, 0.0);
    std::size_t n = 0;
    for (const std::string& w : data::split_words(text)) {
        auto it = wv.index.find(w);
        if (it == wv.index.end()) continue;
        for (std::size_t k = 0; k < dim; ++k) v[k] += static_cast<double>(wv.vectors(it->second, k));
        ++n;
    }
    for (double& x : v) x /= static_cast<double>(std::max<std::size_t>(n, 1));
    return v;
}

std::vector<std::string> nearest(const WordVectors& wv, const std::string& word, std::size_t k) {
    auto it = wv.index.find(word);
    if (it == wv.index.end()) return {};
    std::vector<std::pair<double, std::string>> sims;
    const std::size_t dim = wv.vectors.shape()[1];
    for (std::size_t b = 0; b < wv.words.size(); ++b) {
        if (b == it->second) continue;
        double s = 0.0;
        for (std::size_t d = 0; d < dim; ++d)
            s += static_cast<double>(wv.vectors(it->second, d) * wv.vectors(b, d));
        sims.emplace_back(-s, wv.words[b]);
    }
    std::sort(sims.begin(), sims.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < k && i < sims.size(); ++i) out.push_back(sims[i].second);
    return out;
}

}  // namespace

int main() {
    try {
        auto pool = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/train.tsv"));
        auto test = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/test.tsv"));
        std::vector<std::string> unlabelled = data::read_corpus(data::find_dataset("text/general/train.txt"));
        for (const std::string& l :
             data::read_corpus(data::find_dataset("text/reviews_unlabelled/train.txt")))
            unlabelled.push_back(l);

        std::vector<int> test_y;
        std::vector<bool> all, negation, contrast, plain;
        for (const LabelledReview& r : test) {
            test_y.push_back(r.label);
            bool n = gen::is_negation_review(r.text), c = gen::is_contrast_review(r.text);
            all.push_back(true);
            negation.push_back(n);
            contrast.push_back(c);
            plain.push_back(!n && !c);
        }
        auto count = [](const std::vector<bool>& v) { return std::count(v.begin(), v.end(), true); };
        std::printf(
            "test: %zu reviews; %ld with \"not\" (negation), %ld with \"but\" (contrast), "
            "%ld with neither\n\n",
            test.size(), count(negation), count(contrast), count(plain));

        // Majority class: the pool is balanced, so "always positive" (ties go to positive).
        std::size_t pos = static_cast<std::size_t>(std::count(test_y.begin(), test_y.end(), 1));
        std::printf("majority class (always positive): %.1f%%\n\n",
                    100.0 * static_cast<double>(pos) / static_cast<double>(test.size()));

        WordVectors wv = learn_word_vectors(unlabelled, /*window=*/10, /*dim=*/50, /*min_count=*/5);
        std::printf("word vectors: %zu words, 50 dimensions, from %zu unlabelled lines\n", wv.words.size(),
                    unlabelled.size());
        for (const char* w : {"superb", "dreadful", "great", "plot"}) {
            std::printf("  nearest to %-9s", w);
            for (const std::string& n : nearest(wv, w, 6)) std::printf(" %s", n.c_str());
            std::printf("\n");
        }
        // Standardise the averaged vectors with statistics of the unlabelled reviews (no labels).
        std::vector<std::vector<double>> un_avg;
        for (const std::string& l : unlabelled) un_avg.push_back(average_vector(wv, l));
        const std::size_t dim = 50;
        std::vector<double> mean(dim, 0.0), sd(dim, 0.0);
        for (const auto& v : un_avg)
            for (std::size_t k = 0; k < dim; ++k) mean[k] += v[k] / static_cast<double>(un_avg.size());
        for (const auto& v : un_avg)
            for (std::size_t k = 0; k < dim; ++k)
                sd[k] += (v[k] - mean[k]) * (v[k] - mean[k]) / static_cast<double>(un_avg.size());
        auto dense = [&](const std::string& text) {
            std::vector<double> v = average_vector(wv, text);
            Features x;
            for (std::size_t k = 0; k < dim; ++k)
                x.emplace_back(k, (v[k] - mean[k]) / std::sqrt(sd[k] + 1e-12));
            return x;
        };
        std::vector<Features> test_dense;
        for (const LabelledReview& r : test) test_dense.push_back(dense(r.text));

        std::printf(
            "\n| labelled reviews N | bag of words | PPMI+SVD average | gain |\n"
            "|---:|---:|---:|---:|\n");
        std::vector<double> subsets_bow, subsets_vec;
        for (std::size_t N : {16u, 64u, 256u, 4000u}) {
            std::vector<LabelledReview> first(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(N));
            std::vector<int> ys;
            for (const LabelledReview& r : first) ys.push_back(r.label);

            std::vector<std::string> first_text;
            for (const LabelledReview& r : first) first_text.push_back(r.text);
            BagOfWords bow(first_text);
            std::vector<Features> xs, test_x;
            for (const LabelledReview& r : first) xs.push_back(bow.features(r.text));
            for (const LabelledReview& r : test) test_x.push_back(bow.features(r.text));
            Logistic m_bow = train_logistic(xs, ys, bow.size());

            std::vector<Features> xd;
            for (const LabelledReview& r : first) xd.push_back(dense(r.text));
            Logistic m_vec = train_logistic(xd, ys, dim);

            double a_bow = accuracy(m_bow, test_x, test_y, all);
            double a_vec = accuracy(m_vec, test_dense, test_y, all);
            std::printf("| %zu | %.1f%% | %.1f%% | %+.1f |\n", N, a_bow, a_vec, a_vec - a_bow);
            if (N == 4000)
                for (const auto* subset : {&plain, &negation, &contrast}) {
                    subsets_bow.push_back(accuracy(m_bow, test_x, test_y, *subset));
                    subsets_vec.push_back(accuracy(m_vec, test_dense, test_y, *subset));
                }
        }
        std::printf(
            "\nWith all 4000 labels, by kind of review (test set):\n\n"
            "| test subset | bag of words | PPMI+SVD average |\n|---|---:|---:|\n");
        const char* names[] = {"neither \"not\" nor \"but\"", "negation (\"not\")", "contrast (\"but\")"};
        for (std::size_t i = 0; i < 3; ++i)
            std::printf("| %s | %.1f%% | %.1f%% |\n", names[i], subsets_bow[i], subsets_vec[i]);
    } catch (const dikkat::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
