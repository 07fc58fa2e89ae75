#include "stages.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/data/text.hpp>
#include <dikkat/dikkat.hpp>
#include <dikkat/optim.hpp>
#include <dikkat/viz/progress.hpp>

using namespace dikkat;

// B batch, T positions, E the body's output size
namespace lesson6 {

namespace {
constexpr float clip_norm = 1.0f;
constexpr std::size_t read_batch = 256;  // reviews read side by side when nothing is trained

// Calls fn(indices, batch) for batches of `size` texts of similar lengths (sorted by length), so that
// little of each batch is padding: reading 2,000 reviews costs half as much as in file order.
template <class F>
void by_length(const std::vector<std::vector<Index>>& texts, std::size_t size, F fn) {
    std::vector<std::size_t> order(texts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return texts[a].size() < texts[b].size(); });
    for (std::size_t from = 0; from < order.size(); from += size) {
        const std::vector<std::size_t> indices(order.begin() + long(from),
                                               order.begin() + long(std::min(order.size(), from + size)));
        fn(indices, data::pad_batch(data::gather(texts, indices)));
    }
}

bool has_word(const std::vector<std::string>& words, const char* w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}
}  // namespace

Reviews Reviews::slice(std::size_t from, std::size_t to) const {
    Reviews r;
    for (std::size_t i = from; i < to; ++i) {
        r.ids.push_back(ids[i]);
        r.labels.push_back(labels[i]);
        r.negation.push_back(negation[i]);
        r.contrast.push_back(contrast[i]);
    }
    return r;
}

Reviews encode_reviews(const std::vector<data::LabelledReview>& reviews, const data::Vocab& vocab) {
    Reviews r;
    for (const data::LabelledReview& review : reviews) {
        const std::vector<std::string> words = data::split_words(review.text);
        std::vector<Index> ids = {data::Vocab::eos_id};  // a text starts after an <eos>, as in the streams
        for (const std::string& w : words) ids.push_back(vocab.id(w));
        r.ids.push_back(std::move(ids));
        r.labels.push_back(review.label);
        r.negation.push_back(has_word(words, "not"));
        r.contrast.push_back(has_word(words, "but"));
    }
    return r;
}

std::vector<std::vector<Index>> encode_texts(const std::vector<std::string>& lines,
                                             const data::Vocab& vocab) {
    std::vector<std::vector<Index>> out;
    for (const std::string& line : lines) {
        std::vector<Index> ids = {data::Vocab::eos_id};
        for (const std::string& w : data::split_words(line)) ids.push_back(vocab.id(w));
        out.push_back(std::move(ids));
    }
    return out;
}

Corpora read_corpora(const std::string& labelled_file) {
    Corpora c;
    const auto general = data::read_corpus(data::find_dataset("text/general/train.txt"));
    const auto reviews = data::read_corpus(data::find_dataset("text/reviews_unlabelled/train.txt"));
    c.reviews_valid_lines = data::read_corpus(data::find_dataset("text/reviews_unlabelled/valid.txt"));
    data::TokenCounts counts;
    for (const auto* lines : {&general, &reviews})
        for (const std::string& l : *lines)
            for (const std::string& w : data::split_words(l)) counts[w]++;
    c.vocab = data::Vocab::from_counts(counts);
    c.general = data::word_stream(general, c.vocab);
    c.reviews = data::word_stream(reviews, c.vocab);
    c.reviews_valid = data::word_stream(c.reviews_valid_lines, c.vocab);
    c.opinion_words = data::read_opinion_words(data::find_dataset("text/reviews_labelled/opinion_words.tsv"));
    if (labelled_file.empty()) {
        c.pool = encode_reviews(
            data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/train.tsv")), c.vocab);
        c.test = encode_reviews(
            data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/test.tsv")), c.vocab);
        return c;
    }
    std::vector<data::LabelledReview> mine = data::read_labelled_reviews(labelled_file);
    for (data::LabelledReview& r : mine) r.text = data::normalize_sentence(r.text);
    const Reviews all = encode_reviews(mine, c.vocab);
    const std::size_t cut = (all.size() * 4 / 5) / 2 * 2;  // even, as every size N must be
    if (cut < 2 || cut == all.size())
        throw ValueError(labelled_file + ": " + std::to_string(all.size()) +
                         " labelled lines; --labelled needs at least 4");
    c.pool = all.slice(0, cut);
    c.test = all.slice(cut, all.size());
    return c;
}

Array rows(const Array& a, std::size_t from, std::size_t to) {
    return Array(xt::view(a, xt::range(from, to), xt::all()));
}

std::vector<double> train_lm(lm::LstmLM& model, const std::vector<Index>& tokens, int windows, float lr,
                             std::size_t batch, std::size_t bptt, const std::string& label,
                             io::Resume& resume) {
    optim::Adam adam(model, {lr});
    data::StreamBatcher streams(tokens, batch, bptt);
    const std::vector<Tensor> params = model.parameters();
    nn::CellState state;
    IndexArray x, y;
    std::vector<double> losses;
    // What Ctrl-C saves and --resume puts back: all that the next step and the caller read.
    io::Job job = resume.job(label, static_cast<std::size_t>(windows));
    job.track("model", model).track("adam", adam).track("streams", streams).track("state", state);
    job.track("losses", losses);
    const std::size_t done = job.restore();  // steps done before an interruption (0: none)
    viz::ProgressBar bar(static_cast<std::size_t>(windows), label);
    bar.unit("word", double(batch * bptt)).from(done);
    for (int step = int(done) + 1; step <= windows; ++step) {
        streams.next(x, y);                  // (B, T) and the next words
        if (streams.at_start()) state = {};  // a new pass: no past to carry
        lm::LstmLM::Output o = model.forward(x, state);
        Tensor loss = cross_entropy(o.scores, y);
        model.zero_grad();
        loss.backward();
        const float norm = optim::clip_grad_norm(params, clip_norm);
        optim::check_finite_step(std::size_t(step), double(loss.item()), double(norm), [&] {
            model.zero_grad();  // diverged: the same step again, to name the op that made NaN
            cross_entropy(model.forward(x, state).scores, y).backward();
        });
        adam.step();
        state = o.run.last.detach();  // carried on; the gradient stops here
        losses.push_back(double(loss.item()));
        bar.update(static_cast<std::size_t>(step), {{"ppl", std::exp(losses.back())}});
        job.step_done(static_cast<std::size_t>(step));  // after Ctrl-C: saves the run, stops here
    }
    bar.finish();
    return losses;
}

Array pooled_features(const lm::LstmLM& body, const std::vector<std::vector<Index>>& texts,
                      lm::PoolFunction pool) {
    NoGrad no_grad;
    const std::size_t P = 3 * body.config().embed;
    Array out(Shape{texts.size(), P});
    by_length(texts, read_batch, [&](const std::vector<std::size_t>& indices, const data::Batch& b) {
        const Array f = pool(body.features(b.ids, b.keep), b.keep).value();  // (B, 3E)
        for (std::size_t i = 0; i < indices.size(); ++i)
            std::copy_n(f.begin() + long(i * P), P, out.begin() + long(indices[i] * P));
    });
    return out;
}

Array gpt_pooled_features(const lm::TransformerLM& gpt, const std::vector<std::vector<Index>>& texts) {
    NoGrad no_grad;
    const std::size_t C = gpt.config().context, D = gpt.config().dim;
    Array out(Shape{texts.size(), 3 * D});
    for (std::size_t from = 0; from < texts.size(); from += 32) {  // 32 reviews' windows in one batch
        const std::size_t to = std::min(texts.size(), from + 32);
        std::vector<std::vector<Index>> windows;  // each review, C words at a time
        std::vector<std::size_t> first;           // where each review's windows start
        for (std::size_t i = from; i < to; ++i) {
            first.push_back(windows.size());
            for (std::size_t at = 0; at < texts[i].size(); at += C)
                windows.emplace_back(texts[i].begin() + long(at),
                                     texts[i].begin() + long(std::min(texts[i].size(), at + C)));
        }
        first.push_back(windows.size());
        const data::Batch b = data::pad_batch(windows);
        const Array f = gpt.features(b.ids, b.keep).value();  // (W, C, D)
        for (std::size_t i = from; i < to; ++i) {
            const std::size_t w0 = first[i - from], w1 = first[i - from + 1];
            for (std::size_t d = 0; d < D; ++d) {
                float highest = -1e30f, total = 0.0f;
                for (std::size_t w = w0; w < w1; ++w)
                    for (std::size_t t = 0; t < b.lengths[w]; ++t) {
                        highest = std::max(highest, f(w, t, d));
                        total += f(w, t, d);
                    }
                out(i, d) = f(w1 - 1, b.lengths[w1 - 1] - 1, d);  // the review's last word
                out(i, D + d) = highest;
                out(i, 2 * D + d) = total / float(texts[i].size());
            }
        }
    }
    return out;
}

// [train_head]
void train_head(lm::LstmClassifier& model, const Array& features, const std::vector<int>& labels, int steps,
                float lr, float weight_decay) {
    optim::AdamW adam({optim::group(model, "head", lr, weight_decay)});  // the body is not even in the graph
    const Tensor x(features);                                            // (N, 3E), computed once
    IndexArray y(IndexArray::shape_type{labels.size()});
    std::copy(labels.begin(), labels.end(), y.begin());
    for (int step = 0; step < steps; ++step) {
        Tensor loss = cross_entropy(model.head_forward(x), y);
        model.zero_grad();
        loss.backward();
        adam.step();
    }
}
// [train_head]

std::vector<int> head_guesses(const lm::LstmClassifier& model, const Array& features) {
    NoGrad no_grad;
    const Array scores = model.head_forward(Tensor(features)).value();  // (N, 2)
    std::vector<int> out;
    for (std::size_t i = 0; i < scores.shape()[0]; ++i) out.push_back(scores(i, 1) > scores(i, 0) ? 1 : 0);
    return out;
}

// [fine_tune]
void fine_tune(lm::LstmClassifier& model, const Reviews& train, const std::vector<Phase>& phases,
               std::size_t batch, std::uint64_t seed, io::Resume& resume, const std::string& job_name) {
    Rng rng(seed);
    batch = std::min(batch, train.size());
    std::vector<std::size_t> order;
    std::size_t at = 0;
    // Each phase's optimizer: its groups, each with its own learning rate. Made up front, so that
    // the job can save the one at work when Ctrl-C comes.
    std::vector<std::unique_ptr<optim::Adam>> adams;
    std::size_t steps = 0;
    for (const Phase& phase : phases) {
        std::vector<optim::ParamGroup> groups;
        for (const auto& [prefix, lr] : phase.groups) groups.push_back(optim::group(model, prefix, lr));
        adams.push_back(std::make_unique<optim::Adam>(groups));
        steps += static_cast<std::size_t>(phase.steps);
    }
    io::Job job = resume.job(job_name, steps);  // all the phases, one step count
    job.track("model", model).track("rng", rng).track_value("order", order).track_value("at", at);
    for (std::size_t p = 0; p < adams.size(); ++p) job.track("adam" + std::to_string(p), *adams[p]);
    std::size_t done = job.restore();  // steps done before an interruption (0: none)
    for (std::size_t p = 0, end = 0; p < phases.size(); ++p) {
        const Phase& phase = phases[p];
        const std::size_t first = end;  // the phase's steps are first + 1 .. end of the job's
        end += static_cast<std::size_t>(phase.steps);
        if (done >= end) continue;  // done before an interruption
        model.freeze();             // then unfreeze this phase's groups
        for (const auto& group : phase.groups) model.unfreeze(group.first);
        optim::Adam& adam = *adams[p];
        const std::vector<Tensor> params = model.parameters();
        optim::SlantedTriangular slanted(static_cast<std::size_t>(phase.steps));
        // The phase's steps, counted from 0 within it (after an interruption: from the one it stopped at).
        for (std::size_t step = done - first; step < end - first; ++step) {
            if (at + batch > order.size()) {  // a new epoch, in a new order
                order = data::shuffled_indices(train.size(), rng);
                at = 0;
            }
            std::vector<std::vector<Index>> texts;
            IndexArray y(IndexArray::shape_type{batch});
            for (std::size_t i = 0; i < batch; ++i, ++at) {
                texts.push_back(train.ids[order[at]]);
                y(i) = train.labels[order[at]];
            }
            const data::Batch b = data::pad_batch(texts);
            Tensor loss = cross_entropy(model.forward(b.ids, b.keep), y);
            model.zero_grad();
            loss.backward();
            const float norm = optim::clip_grad_norm(params, clip_norm);
            optim::check_finite_step(step + 1, double(loss.item()), double(norm));
            if (phase.slanted) adam.set_lr_factor(slanted.factor(step));
            adam.step();
            done = first + step + 1;
            job.step_done(done);  // after Ctrl-C: saves the run, stops here
        }
    }
    model.unfreeze();
}
// [fine_tune]

std::vector<int> guesses(const lm::LstmClassifier& model, const std::vector<std::vector<Index>>& texts) {
    NoGrad no_grad;
    std::vector<int> out(texts.size());
    by_length(texts, read_batch, [&](const std::vector<std::size_t>& indices, const data::Batch& b) {
        const Array scores = model.forward(b.ids, b.keep).value();  // (B, 2)
        for (std::size_t i = 0; i < indices.size(); ++i)
            out[indices[i]] = scores(i, 1) > scores(i, 0) ? 1 : 0;
    });
    return out;
}

Accuracy accuracy(const std::vector<int>& g, const Reviews& truth) {
    std::size_t right[3] = {0, 0, 0}, total[3] = {0, 0, 0};
    for (std::size_t i = 0; i < g.size(); ++i) {
        const bool ok = g[i] == truth.labels[i];
        const bool in[3] = {true, truth.negation[i], truth.contrast[i]};
        for (int k = 0; k < 3; ++k)
            if (in[k]) {
                ++total[k];
                right[k] += ok;
            }
    }
    auto frac = [&](int k) { return total[k] ? double(right[k]) / double(total[k]) : 0.0; };
    return {frac(0), frac(1), frac(2)};
}

}  // namespace lesson6

namespace lesson6 {

namespace {
// Micro F1 over the opinion tags (1, 2): a tag counts when it is the gold tag.
struct Counts {
    std::size_t right = 0, said = 0, gold = 0;
    void add(int guess, int truth) {
        said += guess != 0;
        gold += truth != 0;
        right += guess != 0 && guess == truth;
    }
    double f1() const { return right ? 2.0 * double(right) / double(said + gold) : 0.0; }
    double recall() const { return gold ? double(right) / double(gold) : 0.0; }
};
}  // namespace

TaggingScores opinion_tagging(const std::shared_ptr<lm::LstmLM>& body, const Reviews& train,
                              const Reviews& test, const std::vector<int>& tag_of, int steps, float lr,
                              std::uint64_t seed) {
    Rng rng(seed);
    lm::LstmTagger tagger(body, 3, rng);
    tagger.freeze("body");
    // The frozen body's output at every real position of the training reviews, once: (n, E).
    std::vector<float> rows;
    std::vector<Index> tags;
    std::vector<bool> seen(tag_of.size(), false);  // words the training reviews show
    {
        NoGrad no_grad;
        const data::Batch b = data::pad_batch(train.ids);
        const Array f = body->features(b.ids, b.keep).value();  // (B, T, E)
        const std::size_t E = f.shape()[2];
        for (std::size_t i = 0; i < b.lengths.size(); ++i)
            for (std::size_t t = 1; t < b.lengths[i]; ++t) {  // t = 0 is the <eos> the review starts after
                const Index id = b.ids(i, t);
                for (std::size_t e = 0; e < E; ++e) rows.push_back(f(i, t, e));
                tags.push_back(tag_of[static_cast<std::size_t>(id)]);
                seen[static_cast<std::size_t>(id)] = true;
            }
    }
    const std::size_t E = body->config().embed, n = tags.size();
    Array x(Shape{n, E});
    std::copy(rows.begin(), rows.end(), x.begin());
    IndexArray y(IndexArray::shape_type{n});
    std::copy(tags.begin(), tags.end(), y.begin());
    optim::AdamW adam({optim::group(tagger, "head", lr, 1e-2f)});
    for (int step = 0; step < steps; ++step) {
        Tensor loss = cross_entropy(tagger.head(Tensor(x)), y);
        tagger.zero_grad();
        loss.backward();
        adam.step();
    }
    // The lookup table: the tag each word had wherever training showed it (opinion words only).
    Counts head_all, lookup_all, head_unseen, lookup_unseen;
    std::vector<bool> unseen_type(tag_of.size(), false);
    NoGrad no_grad;
    by_length(test.ids, read_batch, [&](const std::vector<std::size_t>&, const data::Batch& b) {
        const Array scores = tagger.forward(b.ids, b.keep).value();  // (B, T, 3)
        for (std::size_t i = 0; i < b.lengths.size(); ++i)
            for (std::size_t t = 1; t < b.lengths[i]; ++t) {
                const auto id = static_cast<std::size_t>(b.ids(i, t));
                int guess = 0;
                for (int k = 1; k < 3; ++k)
                    if (scores(i, t, std::size_t(k)) > scores(i, t, std::size_t(guess))) guess = k;
                const int truth = tag_of[id], lookup = seen[id] ? tag_of[id] : 0;
                head_all.add(guess, truth);
                lookup_all.add(lookup, truth);
                if (truth != 0 && !seen[id]) {
                    head_unseen.add(guess, truth);
                    lookup_unseen.add(lookup, truth);
                    unseen_type[id] = true;
                }
            }
    });
    TaggingScores s;
    s.f1 = head_all.f1();
    s.lookup_f1 = lookup_all.f1();
    s.unseen_recall = head_unseen.recall();
    s.lookup_unseen_recall = lookup_unseen.recall();
    s.unseen_words = std::size_t(std::count(unseen_type.begin(), unseen_type.end(), true));
    return s;
}

bool frozen_body_stays_unchanged(lm::LstmClassifier& model, const Reviews& train, std::uint64_t seed,
                                 io::Resume& resume) {
    model.freeze("body");
    std::printf("\n  The frozen classifier (only the head trains):\n\n%s", model.summary().c_str());
    const std::vector<Array> before = nn::snapshot(*model.body);
    fine_tune(model, train, {{{{"head", 1e-2f}}, 20, false}}, 32, seed, resume, "freeze check");
    const bool unchanged = nn::unchanged_since(*model.body, before);
    std::printf("  After 20 steps of training: the body's %zu tensors are %s\n", before.size(),
                unchanged ? "bitwise unchanged" : "CHANGED");
    return unchanged;
}

double gpt_frozen_accuracy(const lm::TransformerLM& gpt, const std::vector<std::vector<Index>>& unlabelled,
                           const Reviews& train, const Reviews& test, int head_steps, std::uint64_t seed) {
    Rng rng(seed);  // a classifier whose body never runs: its head reads the GPT's features
    const std::size_t vocab = gpt.config().vocab;
    lm::LstmClassifier head_only(
        std::make_shared<lm::LstmLM>(lm::LstmLMConfig{vocab, gpt.config().dim, 8}, rng), 2, rng);
    head_only.set_standardization_from(gpt_pooled_features(gpt, unlabelled));
    train_head(head_only, gpt_pooled_features(gpt, train.ids), train.labels, head_steps, 1e-2f, 1e-2f);
    return accuracy(head_guesses(head_only, gpt_pooled_features(gpt, test.ids)), test).all;
}

void classify(const std::string& dir, const std::string& text, const std::string& make_it) {
    const lm::LoadedClassifier c = lm::load_classifier(dir + "/classifier.safetensors", make_it);
    const std::vector<std::string> words = data::split_words(data::normalize_sentence(text));
    if (words.empty()) throw ValueError("--classify: \"" + text + "\" has no words");
    data::check_known_words(words, c.vocab, "", "the general and review corpora");
    std::vector<Index> ids = {data::Vocab::eos_id};
    for (const std::string& w : words) ids.push_back(c.vocab.id(w));
    IndexArray x(IndexArray::shape_type{1, ids.size()});
    std::copy(ids.begin(), ids.end(), x.begin());
    NoGrad no_grad;
    const Array p = softmax(c.model->forward(x, xt::ones<float>({std::size_t{1}, ids.size()})), -1).value();
    std::printf("\"%s\"\n  positive %.3f   negative %.3f\n", data::join_words(words).c_str(), double(p(0, 1)),
                double(p(0, 0)));
}

// "16,64,all" -> {16, 64, pool}. Each N must be even (the pool comes in pairs, one of each label).
std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t pool) {
    std::vector<std::size_t> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        std::size_t n = 0;
        if (item == "all") {
            n = pool;
        } else {
            try {
                std::size_t used = 0;
                n = std::stoul(item, &used);
                if (used != item.size()) throw std::invalid_argument(item);
            } catch (const std::exception&) {
                throw ValueError("--sizes: expected numbers (or 'all') separated by commas, got '" + text +
                                 "'");
            }
        }
        if (n == 0 || n % 2 || n > pool)
            throw ValueError("--sizes: each N must be even, between 2 and the pool's " +
                             std::to_string(pool) + ", got " + item);
        out.push_back(n);
    }
    if (out.empty()) throw ValueError("--sizes: no size given");
    return out;
}

}  // namespace lesson6
