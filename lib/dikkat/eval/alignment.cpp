#include <dikkat/eval/alignment.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>

namespace dikkat::eval {

AlignmentScores::AlignmentScores(LengthBuckets buckets)
    : buckets_(std::move(buckets)), by_bucket_(buckets_.names().size()) {}

void AlignmentScores::add(std::size_t source_length, std::size_t target_length, const Array& attention,
                          const std::vector<std::pair<std::size_t, std::size_t>>& links) {
    add_words(source_length, target_length, attention, links, nullptr);
}

void AlignmentScores::add(std::size_t source_length, const std::vector<std::string>& target,
                          const Array& attention,
                          const std::vector<std::pair<std::size_t, std::size_t>>& links) {
    add_words(source_length, target.size(), attention, links, &target);
}

std::vector<AlignmentScores::Missed> AlignmentScores::most_missed(std::size_t k) const {
    std::vector<Missed> all;
    for (const auto& entry : by_word_) all.push_back(entry.second);
    std::stable_sort(all.begin(), all.end(),
                     [](const Missed& a, const Missed& b) { return a.misses > b.misses; });
    if (all.size() > k) all.resize(k);
    return all;
}

void AlignmentScores::add_words(std::size_t source_length, std::size_t target_length, const Array& attention,
                                const std::vector<std::pair<std::size_t, std::size_t>>& links,
                                const std::vector<std::string>* target) {
    if (attention.dimension() != 2 || attention.shape()[0] < target_length ||
        attention.shape()[1] < source_length)
        throw ShapeError("AlignmentScores: attention is " + shape_str(attention.shape()) +
                         "; expected at least (" + std::to_string(target_length) + ", " +
                         std::to_string(source_length) +
                         "), a row per target word and a column per source word");
    std::vector<std::vector<std::size_t>> gold(target_length);  // target word -> its source words
    for (const auto& [i, j] : links)
        if (j < target_length && i < source_length) gold[j].push_back(i);
    Tally& bucket = by_bucket_[buckets_.index_of(source_length)];
    for (std::size_t j = 0; j < target_length; ++j) {
        if (gold[j].empty()) continue;
        std::size_t best = 0;  // arg-max over the real source words (first of a tie)
        for (std::size_t i = 1; i < source_length; ++i)
            if (attention(j, i) > attention(j, best)) best = i;
        std::sort(gold[j].begin(), gold[j].end());
        gold[j].erase(std::unique(gold[j].begin(), gold[j].end()), gold[j].end());
        const std::size_t guess = (2 * j + 1) * source_length / (2 * target_length);  // the diagonal
        bool hit = false, near = false, diagonal = false;
        for (std::size_t i : gold[j]) {
            diagonal = diagonal || i == guess;
            hit = hit || i == best;
            near = near || (i + 1 >= best && i <= best + 1);
        }
        if (target) {
            Missed& m = by_word_[(*target)[j]];
            m.word = (*target)[j];
            ++m.count;
            m.misses += !hit;
        }
        for (Tally* t : {&all_, &bucket}) {
            ++t->words;
            t->hits += hit;
            t->near += near;
            t->diagonal += diagonal;
            t->chance += double(gold[j].size()) / double(source_length);
        }
    }
}

std::vector<std::pair<std::string, double>> AlignmentScores::by_bucket() const {
    std::vector<std::pair<std::string, double>> out;
    const std::vector<std::string> names = buckets_.names();
    for (std::size_t b = 0; b < names.size(); ++b)
        if (by_bucket_[b].words) out.emplace_back(names[b], ratio(by_bucket_[b].hits, by_bucket_[b].words));
    return out;
}

std::vector<std::pair<std::string, double>> AlignmentScores::chance_by_bucket() const {
    std::vector<std::pair<std::string, double>> out;
    const std::vector<std::string> names = buckets_.names();
    for (std::size_t b = 0; b < names.size(); ++b)
        if (by_bucket_[b].words)
            out.emplace_back(names[b], by_bucket_[b].chance / double(by_bucket_[b].words));
    return out;
}

nlohmann::json AlignmentScores::to_json() const {
    nlohmann::json by = nlohmann::json::object(), chance_by = nlohmann::json::object();
    for (const auto& [name, acc] : by_bucket()) by[name] = acc;
    for (const auto& [name, c] : chance_by_bucket()) chance_by[name] = c;
    return {
        {"alignment_accuracy", accuracy()},        {"alignment_accuracy_within_one", accuracy_within_one()},
        {"alignment_accuracy_by_length", by},      {"alignment_chance", chance()},
        {"alignment_chance_by_length", chance_by}, {"aligned_words", words()}};
}

void to_json(nlohmann::json& j, const AlignmentScores& scores) { j = scores.to_json(); }

}  // namespace dikkat::eval
