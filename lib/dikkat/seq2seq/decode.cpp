#include <dikkat/seq2seq/decode.hpp>

#include <algorithm>
#include <cmath>

#include <dikkat/data/vocab.hpp>
#include <dikkat/ops/softmax.hpp>
#include <dikkat/ops/topk.hpp>

namespace dikkat::seq2seq {

namespace {
using data::Vocab;

// Appends row b of `attention` (B, S) to a translation's attention rows.
void add_attention_row(std::vector<Array>& rows, const Array& attention, std::size_t b) {
    if (attention.dimension() == 2) rows.emplace_back(xt::view(attention, b, xt::all()));
}

Array stack_rows(const std::vector<Array>& rows) {
    if (rows.empty()) return Array();
    Array out(Shape{rows.size(), rows.front().size()});
    for (std::size_t i = 0; i < rows.size(); ++i) xt::view(out, i, xt::all()) = rows[i];
    return out;
}
}  // namespace

std::size_t max_target_length(std::size_t source_length) { return 2 * source_length + 10; }

// [greedy_decode]
std::vector<Translation> greedy_decode(const Translator& model, const IndexArray& source,
                                       const Array& source_keep, std::size_t max_length) {
    NoGrad no_grad;
    const std::size_t B = source.shape()[0];
    std::unique_ptr<Translator::State> state = model.start(source, source_keep);
    IndexArray previous(IndexArray::shape_type{B}, Vocab::bos_id);  // (B): every sentence starts at <bos>
    std::vector<Translation> out(B);
    std::vector<std::vector<Array>> rows(B);
    std::vector<bool> done(B, false);
    std::size_t finished = 0;
    for (std::size_t t = 0; t <= max_length && finished < B; ++t) {
        const Array log_probs = log_softmax(model.step(*state, previous), 1).value();  // (B, V)
        const IndexArray next = argmax(log_probs, 1);                                  // (B)
        for (std::size_t b = 0; b < B; ++b) {
            if (done[b]) continue;
            out[b].log_prob += double(log_probs(b, static_cast<std::size_t>(next(b))));
            add_attention_row(rows[b], state->attention, b);
            if (next(b) == Vocab::eos_id || t == max_length) {
                done[b] = true;
                out[b].ended = next(b) == Vocab::eos_id;
                ++finished;
            } else {
                out[b].ids.push_back(next(b));
            }
        }
        previous = next;
    }
    for (std::size_t b = 0; b < B; ++b) out[b].attention = stack_rows(rows[b]);
    return out;
}
// [greedy_decode]

// [beam_search]
Translation beam_search(const Translator& model, const std::vector<Index>& source, std::size_t beam,
                        std::size_t max_length, float length_alpha) {
    if (beam == 0) throw ValueError("beam_search: the beam needs at least 1 hypothesis");
    if (source.empty()) throw ValueError("beam_search: the source sentence is empty");
    NoGrad no_grad;
    const std::size_t S = source.size();
    IndexArray src(IndexArray::shape_type{1, S});
    std::copy(source.begin(), source.end(), src.begin());
    std::unique_ptr<Translator::State> state = model.start(src, xt::ones<float>({std::size_t{1}, S}));

    struct Hypothesis {
        std::vector<Index> ids;
        std::vector<Array> rows;  // attention, one row per word
        double log_prob = 0.0;
        bool ended = false;  // with <eos>
    };
    auto normalised = [&](const Hypothesis& h) {  // score / (words + 1)^alpha, <eos> counted
        return h.log_prob / std::pow(double(h.ids.size() + 1), double(length_alpha));
    };
    std::vector<Hypothesis> alive(1), finished;
    for (std::size_t t = 0; t <= max_length && !alive.empty() && finished.size() < beam; ++t) {
        IndexArray previous(IndexArray::shape_type{alive.size()});  // (K): each hypothesis's last word
        for (std::size_t k = 0; k < alive.size(); ++k)
            previous(k) = alive[k].ids.empty() ? Vocab::bos_id : alive[k].ids.back();
        const Array log_probs = log_softmax(model.step(*state, previous), 1).value();  // (K, V)
        // Every hypothesis's `beam` best continuations, then the best `beam` of all of them.
        const TopK best = topk(log_probs, std::min(beam, log_probs.shape()[1]), 1);  // (K, beam)
        struct Candidate {
            double log_prob;
            std::size_t from;
            Index word;
        };
        std::vector<Candidate> candidates;
        for (std::size_t k = 0; k < alive.size(); ++k)
            for (std::size_t i = 0; i < best.indices.shape()[1]; ++i)
                candidates.push_back({alive[k].log_prob + double(best.values(k, i)), k, best.indices(k, i)});
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.log_prob > b.log_prob; });
        std::vector<Hypothesis> next;
        std::vector<std::size_t> parents;
        for (const Candidate& c : candidates) {
            if (next.size() == beam || finished.size() == beam) break;
            Hypothesis h{alive[c.from].ids, alive[c.from].rows, c.log_prob, c.word == Vocab::eos_id};
            add_attention_row(h.rows, state->attention, c.from);
            if (c.word == Vocab::eos_id || t == max_length) {
                finished.push_back(std::move(h));
            } else {
                h.ids.push_back(c.word);
                next.push_back(std::move(h));
                parents.push_back(c.from);
            }
        }
        alive = std::move(next);
        if (!alive.empty()) state->select_rows(parents);
    }
    if (finished.empty()) finished = std::move(alive);  // max_length reached by every hypothesis
    const auto best = std::max_element(
        finished.begin(), finished.end(),
        [&](const Hypothesis& a, const Hypothesis& b) { return normalised(a) < normalised(b); });
    return {best->ids, stack_rows(best->rows), best->log_prob, best->ended};
}
// [beam_search]

}  // namespace dikkat::seq2seq
