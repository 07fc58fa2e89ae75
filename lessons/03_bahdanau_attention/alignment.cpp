#include "alignment.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/io.hpp>
#include <dikkat/seq2seq/train.hpp>

using namespace dikkat;

// B batch, S source length, T target length
namespace lesson3 {

namespace {
constexpr std::size_t alignment_batch = 100;  // sentences per teacher-forced pass
}  // namespace

// [alignment]
// Teacher-forced attention against the gold links, batch by batch: row j of a sentence's
// weights is what the decoder looked at while writing French word j.
eval::AlignmentScores alignment_accuracy(const seq2seq::Translator& model, const data::ParallelCorpus& corpus,
                                         const std::vector<data::TranslationPair>& pairs) {
    NoGrad no_grad;
    eval::AlignmentScores scores;
    const data::ParallelCorpus encoded = corpus.encode(pairs);
    for (std::size_t from = 0; from < pairs.size(); from += alignment_batch) {
        std::vector<std::size_t> pick;
        for (std::size_t i = from; i < std::min(pairs.size(), from + alignment_batch); ++i) pick.push_back(i);
        Array weights;  // (B, T, S)
        model.forward(
            seq2seq::make_batch(data::gather(encoded.source, pick), data::gather(encoded.target, pick)),
            &weights);
        if (weights.dimension() != 3) return scores;  // a model without attention
        for (std::size_t b = 0; b < pick.size(); ++b) {
            const data::TranslationPair& p = pairs[pick[b]];
            scores.add(p.source.size(), p.target, Array(xt::view(weights, b, xt::all(), xt::all())),
                       p.alignment);
        }
    }
    return scores;
}
// [alignment]

Array teacher_forced_attention(const seq2seq::Translator& model, const data::ParallelCorpus& corpus,
                               const data::TranslationPair& pair) {
    NoGrad no_grad;
    Array weights;
    model.forward(
        seq2seq::make_batch({corpus.encode_source(pair.source)}, {corpus.encode_target(pair.target)}),
        &weights);
    return Array(xt::view(weights, 0, xt::all(), xt::all()));
}

std::optional<io::JsonObject> lesson_2_summary(const std::string& path, const io::JsonObject& ours) {
    if (!std::filesystem::exists(path)) {
        std::printf(
            "\n  (no %s: run ./build/lessons/02_encoder_decoder first to see both lessons on one chart)\n",
            path.c_str());
        return std::nullopt;
    }
    nlohmann::json theirs;
    try {
        theirs = io::read_summary_json(path);
        if (!theirs.at("bleu_by_length").is_object())
            throw ValueError(path + ": its bleu_by_length is not an object");
    } catch (const std::exception& e) {
        std::printf("\n  (not a lesson 2 summary: %s; the chart shows lesson 3 alone)\n", e.what());
        return std::nullopt;
    }
    auto budget = [](const nlohmann::json& s) {  // what must match for a fair comparison
        nlohmann::json c = s.value("config", nlohmann::json::object());
        for (const char* attention_only : {"attention", "attention_size"}) c.erase(attention_only);
        c["steps"] = s.value("steps", 0);
        return c;
    };
    if (budget(theirs) != budget(ours.json()))
        std::printf(
            "\n  note: %s was trained with other settings (%s) than this run (%s): the chart compares "
            "more than attention\n",
            path.c_str(), budget(theirs).dump().c_str(), budget(ours.json()).dump().c_str());
    return io::JsonObject(std::move(theirs));
}

}  // namespace lesson3
