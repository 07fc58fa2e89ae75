#include <dikkat/eval/translation_scores.hpp>

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>

namespace dikkat::eval {

// ---- LengthBuckets ---------------------------------------------------------------------------

LengthBuckets::LengthBuckets(std::vector<LengthRange> ranges) : ranges_(std::move(ranges)) {
    if (ranges_.empty()) throw ValueError("LengthBuckets: no ranges given; give at least one, e.g. {3, 10}");
    for (std::size_t k = 0; k < ranges_.size(); ++k) {
        const LengthRange& r = ranges_[k];
        if (r.lo > r.hi)
            throw ValueError("LengthBuckets: range " + std::to_string(k) + " is " + r.name() +
                             ", which is empty; lo must not exceed hi");
        if (k > 0 && r.lo != ranges_[k - 1].hi + 1)
            throw ValueError("LengthBuckets: range " + r.name() + " does not start right after " +
                             ranges_[k - 1].name() +
                             "; ranges must be ascending, without gaps or overlaps (lo = " +
                             std::to_string(ranges_[k - 1].hi + 1) + ")");
    }
}

LengthBuckets LengthBuckets::standard() { return LengthBuckets({{3, 10}, {11, 20}, {21, 30}, {31, 40}}); }

std::vector<std::string> LengthBuckets::names() const {
    std::vector<std::string> names{"<" + std::to_string(ranges_.front().lo)};
    for (const LengthRange& r : ranges_) names.push_back(r.name());
    names.push_back(">" + std::to_string(ranges_.back().hi));
    return names;
}

std::size_t LengthBuckets::index_of(std::size_t source_length) const {
    if (source_length < ranges_.front().lo) return 0;
    for (std::size_t k = 0; k < ranges_.size(); ++k)
        if (source_length <= ranges_[k].hi) return k + 1;
    return ranges_.size() + 1;  // above the last range
}

// ---- TranslationScores -----------------------------------------------------------------------

void TranslationScores::Tally::add(const std::vector<std::string>& hypothesis,
                                   const std::vector<std::string>& reference) {
    bleu.add(hypothesis, reference);
    ++sentences;
    if (hypothesis == reference) ++exact;
    for (std::size_t i = 0; i < reference.size(); ++i)
        if (i < hypothesis.size() && hypothesis[i] == reference[i]) ++correct_tokens;
    reference_tokens += reference.size();
}

Scores TranslationScores::Tally::scores() const {
    Scores s;
    s.bleu = bleu.bleu();
    s.exact_match = sentences == 0 ? 0.0 : double(exact) / double(sentences);
    s.token_accuracy = reference_tokens == 0 ? 0.0 : double(correct_tokens) / double(reference_tokens);
    s.sentences = sentences;
    return s;
}

TranslationScores::TranslationScores(LengthBuckets buckets)
    : buckets_(std::move(buckets)), by_bucket_(buckets_.names().size()) {}

void TranslationScores::add(std::size_t source_length, const std::vector<std::string>& hypothesis,
                            const std::vector<std::string>& reference) {
    all_.add(hypothesis, reference);
    by_bucket_[buckets_.index_of(source_length)].add(hypothesis, reference);
}

Scores TranslationScores::overall() const { return all_.scores(); }

std::vector<std::pair<std::string, Scores>> TranslationScores::by_bucket() const {
    const std::vector<std::string> names = buckets_.names();
    std::vector<std::pair<std::string, Scores>> out;
    for (std::size_t k = 0; k < names.size(); ++k)
        if (by_bucket_[k].sentences > 0) out.emplace_back(names[k], by_bucket_[k].scores());
    return out;
}

nlohmann::json TranslationScores::to_json() const {
    const Scores all = overall();
    nlohmann::json bleu = nlohmann::json::object(), exact = nlohmann::json::object(),
                   accuracy = nlohmann::json::object(), sentences = nlohmann::json::object();
    for (const auto& [name, s] : by_bucket()) {
        bleu[name] = s.bleu;
        exact[name] = s.exact_match;
        accuracy[name] = s.token_accuracy;
        sentences[name] = s.sentences;
    }
    return {{"bleu", all.bleu},
            {"bleu_by_length", bleu},
            {"exact_match", all.exact_match},
            {"exact_match_by_length", exact},
            {"token_accuracy", all.token_accuracy},
            {"token_accuracy_by_length", accuracy},
            {"sentences", all.sentences},
            {"sentences_by_length", sentences}};
}

void to_json(nlohmann::json& j, const TranslationScores& scores) { j = scores.to_json(); }

std::string TranslationScores::table() const {
    std::vector<std::pair<std::string, Scores>> rows = by_bucket();
    rows.emplace_back("all", overall());
    int width = 6;  // "bucket"
    for (const auto& row : rows) width = std::max(width, int(row.first.size()));

    char line[160];
    std::snprintf(line, sizeof line, "%-*s  %9s  %5s  %5s  %9s\n", width, "bucket", "sentences", "BLEU",
                  "exact", "token acc");
    std::string out = line;
    for (const auto& [name, s] : rows) {
        std::snprintf(line, sizeof line, "%-*s  %9zu  %5.3f  %5.3f  %9.3f\n", width, name.c_str(),
                      s.sentences, s.bleu, s.exact_match, s.token_accuracy);
        out += line;
    }
    return out;
}

}  // namespace dikkat::eval
