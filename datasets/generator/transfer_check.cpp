// dikkat_transfer_check — can a small language model learn the reviews' sentiment without
// labels? The text corpora exist for lesson 06 (ULMFiT's three stages); this program checks,
// on Dikkat itself and within the lesson's budget, that they can carry transfer:
//
//   stage 1  an LSTM language model reads text/general/            (the broad text)
//   stage 2  it goes on reading text/reviews_unlabelled/           (the domain, still no labels)
//   then     what did it learn?
//     - perplexities of both corpora before and after stage 2, beside a bigram model's;
//     - polarity: where the next word is an opinion word, does the model put more probability
//       on the right polarity (the 32 positive words against the 32 negative ones)? For the
//       first opinion word of a review it can only guess; for the later ones it can know, if
//       it tracks the review's sentiment;
//     - zero-shot: append "overall , it is a" to a test review — positive or negative words next?
//     - a probe: freeze the body, pool its outputs over a review ([last, max, mean]) and fit a
//       logistic regression on N labelled reviews; against the same network trained from
//       scratch on the same N labels, and against a bag of words. Three seeds: seed s uses pool
//       reviews s·N … (s+1)·N − 1 (balanced, as the pool comes in pairs) and its own
//       initialisation.
//
//   ./build/datasets/dikkat_transfer_check --threads 2      (about six minutes; two of training)
//   ./build/datasets/dikkat_transfer_check --quick --check  (ctest: a small model, about a minute)
//
// Writes runs/transfer_check/transfer_check.json. With --check, exits 1 when a claim fails.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dikkat/cli/cli.hpp>
#include <dikkat/data/datasets.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/data/vocab.hpp>
#include <dikkat/error.hpp>
#include <dikkat/eval/bigram.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/lm/lstm_lm.hpp>
#include <dikkat/nn/embedding.hpp>
#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/sequence.hpp>
#include <dikkat/nn/tied_linear.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/optim/adam.hpp>
#include <dikkat/optim/clip.hpp>
#include <dikkat/viz/progress.hpp>

#include "logistic.hpp"
#include "reviews.hpp"
#include "sentiment.hpp"

using namespace dikkat;
using nlohmann::json;

namespace {

constexpr float clip_norm = 1.0f;
constexpr std::size_t review_batch = 64;  // reviews side by side when reading them one by one
constexpr std::size_t eval_streams = 16, eval_window = 64;

// ---- the model -------------------------------------------------------------------------------
// lm::LstmLM: embedding (E) -> LSTM (H) -> Linear down to E -> scores through the embedding's own
// matrix (tied, as ULMFiT's AWD-LSTM): after every word, scores for the next one. A review read by
// the body is lm::concat_pool of its outputs, [last, max, mean] over time of down(h_t): what the
// LM predicts from, pooled as ULMFiT pools its last layer.
using LanguageModel = lm::LstmLM;

// Classifier for the from-scratch baseline: the same body, a linear head on pooled states.
struct Classifier : nn::Module {
    LanguageModel body;
    nn::Linear head;
    Classifier(std::size_t V, std::size_t E, std::size_t H, Rng& rng)
        : body({V, E, H}, rng), head(3 * E, 2, rng) {
        register_module("body", body);
        register_module("head", head);
    }
    std::string describe() const override { return "Classifier"; }
    Tensor forward(const IndexArray& x, const Array& keep) const {
        return head(lm::concat_pool(body.features(x, keep), keep));
    }
};

// ---- data ------------------------------------------------------------------------------------

// A batch of texts, each read after an <eos> (where a text starts in the streams): ids (B, T),
// right-padded, and keep (B, T).
struct Batch {
    IndexArray x;
    Array keep;
};

Batch batch_of(const std::vector<std::vector<Index>>& texts, std::size_t from, std::size_t to) {
    std::size_t T = 0;
    for (std::size_t i = from; i < to; ++i) T = std::max(T, texts[i].size() + 1);
    Batch b{IndexArray(IndexArray::shape_type{to - from, T}, data::Vocab::pad_id),
            Array(Array::shape_type{to - from, T}, 0.0f)};
    for (std::size_t i = from; i < to; ++i) {
        b.x(i - from, 0) = data::Vocab::eos_id;
        b.keep(i - from, 0) = 1.0f;
        for (std::size_t t = 0; t < texts[i].size(); ++t) {
            b.x(i - from, t + 1) = texts[i][t];
            b.keep(i - from, t + 1) = 1.0f;
        }
    }
    return b;
}

std::vector<std::vector<Index>> encode_all(const std::vector<std::string>& texts, const data::Vocab& vocab) {
    std::vector<std::vector<Index>> out;
    for (const std::string& t : texts) out.push_back(vocab.encode(data::split_words(t)));
    return out;
}

// ---- language modelling ----------------------------------------------------------------------
double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Trains on `tokens` for `steps` windows of truncated backpropagation; returns the seconds taken.
double train_lm(LanguageModel& model, const std::vector<Index>& tokens, int steps, float lr,
                std::size_t batch, std::size_t bptt, const std::string& label) {
    const auto t0 = std::chrono::steady_clock::now();
    optim::Adam adam(model, {lr});
    data::StreamBatcher streams(tokens, batch, bptt);
    const std::vector<Tensor> params = model.parameters();
    nn::CellState state;
    IndexArray x, y;
    viz::ProgressBar bar(static_cast<std::size_t>(steps), label);
    double smooth = 0.0;
    for (int step = 1; step <= steps; ++step) {
        streams.next(x, y);
        if (streams.at_start()) state = {};
        LanguageModel::Output o = model.forward(x, state);
        Tensor loss = cross_entropy(o.scores, y);
        model.zero_grad();
        loss.backward();
        optim::clip_grad_norm(params, clip_norm);
        adam.step();
        state = o.run.last.detach();
        const double l = double(loss.item());
        smooth = step == 1 ? l : 0.98 * smooth + 0.02 * l;
        bar.update(static_cast<std::size_t>(step), {{"ppl", std::exp(smooth)}});
    }
    bar.finish();
    return seconds_since(t0);
}

double perplexity(const LanguageModel& model, const std::vector<Index>& tokens) {
    return lm::stream_perplexity(model, tokens, eval_streams, eval_window);
}

// ---- what the body learned -------------------------------------------------------------------
struct Polarity {
    std::size_t first_right = 0, first_total = 0, later_right = 0, later_total = 0;
    double first() const { return double(first_right) / double(std::max<std::size_t>(first_total, 1)); }
    double later() const { return double(later_right) / double(std::max<std::size_t>(later_total, 1)); }
};

// At every position whose next word is an opinion word: is more probability on its polarity?
Polarity polarity(const LanguageModel& model, const std::vector<std::vector<Index>>& texts,
                  const std::vector<int>& word_polarity) {
    NoGrad no_grad;
    Polarity p;
    for (std::size_t from = 0; from < texts.size(); from += review_batch) {
        const std::size_t to = std::min(texts.size(), from + review_batch);
        Batch b = batch_of(texts, from, to);
        Array probs = softmax(model.forward(b.x, {}, b.keep).scores, -1).value();
        const std::size_t V = probs.shape()[2];
        for (std::size_t i = from; i < to; ++i) {
            bool seen = false;
            for (std::size_t t = 0; t < texts[i].size(); ++t) {  // input position t predicts texts[i][t]
                const int pol = word_polarity[static_cast<std::size_t>(texts[i][t])];
                if (pol == 0) continue;
                double pos = 0.0, neg = 0.0;
                for (std::size_t v = 0; v < V; ++v) {
                    if (word_polarity[v] > 0) pos += double(probs(i - from, t, v));
                    if (word_polarity[v] < 0) neg += double(probs(i - from, t, v));
                }
                const bool right = pol > 0 ? pos > neg : neg > pos;
                (seen ? p.later_right : p.first_right) += right;
                (seen ? p.later_total : p.first_total) += 1;
                seen = true;
            }
        }
    }
    return p;
}

// "<review> overall , it is a" -> more probability on positive or on negative words next?
std::vector<int> zero_shot(const LanguageModel& model, std::vector<std::vector<Index>> texts,
                           const std::vector<Index>& prompt, const std::vector<int>& word_polarity) {
    NoGrad no_grad;
    for (auto& t : texts) t.insert(t.end(), prompt.begin(), prompt.end());
    std::vector<int> guesses;
    for (std::size_t from = 0; from < texts.size(); from += review_batch) {
        const std::size_t to = std::min(texts.size(), from + review_batch);
        Batch b = batch_of(texts, from, to);
        Array probs = softmax(model.forward(b.x, {}, b.keep).scores, -1).value();
        for (std::size_t i = from; i < to; ++i) {
            const std::size_t last = texts[i].size();  // input position of the prompt's last word
            double pos = 0.0, neg = 0.0;
            for (std::size_t v = 0; v < word_polarity.size(); ++v) {
                if (word_polarity[v] > 0) pos += double(probs(i - from, last, v));
                if (word_polarity[v] < 0) neg += double(probs(i - from, last, v));
            }
            guesses.push_back(pos > neg ? 1 : 0);
        }
    }
    return guesses;
}

// The frozen body's pooled outputs for each text: (n, 3E) as rows of doubles.
std::vector<std::vector<double>> features(const LanguageModel& model,
                                          const std::vector<std::vector<Index>>& texts) {
    NoGrad no_grad;
    std::vector<std::vector<double>> out;
    for (std::size_t from = 0; from < texts.size(); from += review_batch) {
        const std::size_t to = std::min(texts.size(), from + review_batch);
        Batch b = batch_of(texts, from, to);
        Array f = lm::concat_pool(model.features(b.x, b.keep), b.keep).value();
        for (std::size_t i = 0; i < to - from; ++i) {
            std::vector<double> row(f.shape()[1]);
            for (std::size_t k = 0; k < row.size(); ++k) row[k] = f(i, k);
            out.push_back(std::move(row));
        }
    }
    return out;
}

// Accuracy (%) of 0/1 guesses on the texts where keep is true.
double percent_right(const std::vector<int>& guesses, const std::vector<int>& labels,
                     const std::vector<bool>& keep) {
    std::size_t right = 0, total = 0;
    for (std::size_t i = 0; i < guesses.size(); ++i)
        if (keep[i]) {
            ++total;
            right += guesses[i] == labels[i];
        }
    return total ? 100.0 * double(right) / double(total) : 0.0;
}

// The same architecture trained from scratch on the labelled texts; its guesses on `test`.
std::vector<int> scratch_guesses(const std::vector<std::vector<Index>>& train, const std::vector<int>& labels,
                                 const std::vector<std::vector<Index>>& test, std::size_t V, std::size_t E,
                                 std::size_t H, int steps, float lr, std::uint64_t seed) {
    Rng rng(seed);
    Classifier model(V, E, H, rng);
    optim::Adam adam(model, {lr});
    const std::vector<Tensor> params = model.parameters();
    const std::size_t batch = std::min<std::size_t>(train.size(), 32);
    std::vector<std::size_t> order(train.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::size_t at = order.size();
    for (int step = 0; step < steps; ++step) {
        if (at + batch > order.size()) {
            rng.shuffle(order);
            at = 0;
        }
        std::vector<std::vector<Index>> texts;
        IndexArray y(IndexArray::shape_type{batch});
        for (std::size_t i = 0; i < batch; ++i) {
            texts.push_back(train[order[at + i]]);
            y(i) = labels[order[at + i]];
        }
        at += batch;
        Batch b = batch_of(texts, 0, batch);
        Tensor loss = cross_entropy(model.forward(b.x, b.keep), y);
        model.zero_grad();
        loss.backward();
        optim::clip_grad_norm(params, clip_norm);
        adam.step();
    }
    NoGrad no_grad;
    std::vector<int> guesses;
    for (std::size_t from = 0; from < test.size(); from += review_batch) {
        const std::size_t to = std::min(test.size(), from + review_batch);
        Batch b = batch_of(test, from, to);
        Array scores = model.forward(b.x, b.keep).value();
        for (std::size_t i = 0; i < to - from; ++i) guesses.push_back(scores(i, 1) > scores(i, 0) ? 1 : 0);
    }
    return guesses;
}

json mean_and_spread(const std::vector<double>& xs) {
    double m = 0.0, s = 0.0;
    for (double x : xs) m += x / double(xs.size());
    for (double x : xs) s += (x - m) * (x - m) / double(std::max<std::size_t>(xs.size() - 1, 1));
    std::vector<double> rounded;
    for (double x : xs) rounded.push_back(std::round(x * 10) / 10);
    return {{"mean", std::round(m * 10) / 10}, {"sd", std::round(std::sqrt(s) * 10) / 10}, {"runs", rounded}};
}

double round3(double x) { return std::round(x * 1000) / 1000; }

}  // namespace

int main(int argc, char** argv) try {
    cli::Options opt;
    opt.lr = 3e-3f;
    int general_steps = 300, review_steps = 600, scratch_steps = 150, seeds = 3;
    std::size_t embed = 128, hidden = 256, batch = 32, bptt = 64;
    float adapt_lr = 3e-3f;
    std::string sizes = "16,64,256";
    bool check = false;
    cli::Parser cli("transfer_check",
                    "Can a small language model learn the reviews' sentiment without labels? Pretrain on "
                    "text/general, adapt on text/reviews_unlabelled, then probe the frozen body",
                    opt);
    cli.add_option("--general-steps", general_steps, "stage 1: training windows on text/general");
    cli.add_option("--review-steps", review_steps, "stage 2: training windows on text/reviews_unlabelled");
    cli.add_option("--adapt-lr", adapt_lr, "stage 2's learning rate (stage 1's is --lr)");
    cli.add_option("--embed", embed, "word embedding size (tied with the output layer)");
    cli.add_option("--hidden", hidden, "LSTM hidden size");
    cli.add_option("--batch", batch, "text streams per training window");
    cli.add_option("--bptt", bptt, "words per training window");
    cli.add_option("--sizes", sizes, "labelled reviews N for the probe, comma-separated");
    cli.add_option("--seeds", seeds, "runs per N (seed s uses pool reviews s*N to (s+1)*N - 1)");
    cli.add_option("--scratch-steps", scratch_steps, "training steps of the from-scratch classifier");
    cli.add_flag("--check", check, "exit 1 if a claim of datasets/README.md does not hold");
    if (opt.out.empty()) opt.out = "runs/transfer_check";
    if (auto code = cli.parse(argc, argv)) return *code;
    if (opt.quick) {  // a quarter of the network, a third of the windows: about a minute on one thread
        general_steps = std::min(general_steps, 100);
        review_steps = std::min(review_steps, 400);
        adapt_lr = 1e-2f;  // the small model finds the sentiment in 400 windows only with larger steps
        embed = std::min<std::size_t>(embed, 64);
        hidden = std::min<std::size_t>(hidden, 128);
        sizes = "64";
        scratch_steps = std::min(scratch_steps, 60);
    }
    std::vector<std::size_t> Ns;
    for (std::size_t p = 0, q; p < sizes.size(); p = q + 1) {
        q = sizes.find(',', p);
        if (q == std::string::npos) q = sizes.size();
        const std::string n = sizes.substr(p, q - p);
        if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos)
            throw ValueError("--sizes: expected numbers separated by commas, like 16,64,256; got '" + sizes +
                             "'");
        Ns.push_back(std::stoul(n));
        if (Ns.back() == 0 || Ns.back() % 2)
            throw ValueError("--sizes: each N must be even and positive, got '" + sizes + "'");
    }
    if (seeds < 1) throw ValueError("--seeds must be at least 1");
    cli.print_config();

    // Data: one vocabulary from both unlabelled corpora (design §4).
    const auto general = data::read_corpus(data::find_dataset("text/general/train.txt"));
    const auto general_valid = data::read_corpus(data::find_dataset("text/general/valid.txt"));
    const auto reviews = data::read_corpus(data::find_dataset("text/reviews_unlabelled/train.txt"));
    const auto reviews_valid = data::read_corpus(data::find_dataset("text/reviews_unlabelled/valid.txt"));
    const auto pool = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/train.tsv"));
    const auto test = data::read_labelled_reviews(data::find_dataset("text/reviews_labelled/test.tsv"));
    data::TokenCounts counts;
    for (const auto* corpus : {&general, &reviews})
        for (const std::string& l : *corpus)
            for (const std::string& w : data::split_words(l)) counts[w]++;
    const data::Vocab vocab = data::Vocab::from_counts(counts);
    const std::size_t V = vocab.size();
    const std::vector<Index> general_ids = data::word_stream(general, vocab),
                             general_valid_ids = data::word_stream(general_valid, vocab);
    const std::vector<Index> review_ids = data::word_stream(reviews, vocab),
                             review_valid_ids = data::word_stream(reviews_valid, vocab);

    gen::SentimentLexicon lex;
    std::vector<int> word_polarity(V, 0);
    for (int sign : {1, -1})
        for (const std::string& w : lex.all(sign > 0))
            if (vocab.contains(w)) word_polarity[static_cast<std::size_t>(vocab.id(w))] = sign;

    std::size_t max_n = 0;
    for (std::size_t N : Ns) max_n = std::max(max_n, N * static_cast<std::size_t>(seeds));
    if (max_n > pool.size())
        throw ValueError("--sizes and --seeds need " + std::to_string(max_n) +
                         " labelled reviews; the pool has " + std::to_string(pool.size()));
    std::vector<std::string> pool_text, test_text;
    std::vector<int> pool_y, test_y;
    for (const auto& r : pool) pool_text.push_back(r.text), pool_y.push_back(r.label);
    for (const auto& r : test) test_text.push_back(r.text), test_y.push_back(r.label);
    const auto pool_ids = encode_all(pool_text, vocab), test_ids = encode_all(test_text, vocab);
    const auto review_valid_texts = encode_all(reviews_valid, vocab);
    std::map<std::string, std::vector<bool>> subsets;
    for (const std::string& t : test_text) {
        subsets["all"].push_back(true);
        subsets["negation"].push_back(gen::is_negation_review(t));
        subsets["contrast"].push_back(gen::is_contrast_review(t));
    }

    json report;
    report["corpora"] = {{"vocabulary", V},
                         {"general_train_words", general_ids.size() - general.size()},
                         {"review_train_words", review_ids.size() - reviews.size()},
                         {"general_bigram_perplexity",
                          round3(std::exp(eval::bigram_nats_per_token(general_ids, general_valid_ids, V)))},
                         {"review_bigram_perplexity",
                          round3(std::exp(eval::bigram_nats_per_token(review_ids, review_valid_ids, V)))}};

    Rng rng(opt.seed);
    LanguageModel model({V, embed, hidden}, rng);
    std::cout << "\n" << model.summary() << "\n";
    report["model"] = {{"embed", embed},
                       {"hidden", hidden},
                       {"parameters", model.num_parameters()},
                       {"batch", batch},
                       {"bptt", bptt}};

    const double s1 = train_lm(model, general_ids, general_steps, opt.lr, batch, bptt, "stage 1 general");
    const double g1 = perplexity(model, general_valid_ids), r1 = perplexity(model, review_valid_ids);
    const Polarity pol1 = polarity(model, review_valid_texts, word_polarity);
    const double s2 = train_lm(model, review_ids, review_steps, adapt_lr, batch, bptt, "stage 2 reviews");
    const double g2 = perplexity(model, general_valid_ids), r2 = perplexity(model, review_valid_ids);
    report["training"] = {{"general_steps", general_steps},
                          {"review_steps", review_steps},
                          {"general_seconds", std::round(s1)},
                          {"review_seconds", std::round(s2)},
                          {"threads", opt.threads}};
    report["perplexity"] = {{"general_before_adaptation", round3(g1)},
                            {"general_after_adaptation", round3(g2)},
                            {"reviews_before_adaptation", round3(r1)},
                            {"reviews_after_adaptation", round3(r2)}};

    const Polarity pol = polarity(model, review_valid_texts, word_polarity);
    const double first = pol.first(), later = pol.later();
    report["polarity"] = {{"first_opinion_word", round3(first)},
                          {"later_opinion_words", round3(later)},
                          {"first_opinion_word_before_adaptation", round3(pol1.first())},
                          {"later_opinion_words_before_adaptation", round3(pol1.later())},
                          {"first_count", pol.first_total},
                          {"later_count", pol.later_total},
                          {"on", "text/reviews_unlabelled/valid.txt"}};
    const std::vector<Index> prompt = vocab.encode(data::split_words("overall , it is a"));
    const double zero =
        percent_right(zero_shot(model, test_ids, prompt, word_polarity), test_y, subsets["all"]);
    report["zero_shot_overall_it_is_a"] = std::round(zero * 10) / 10;

    // The probe: the frozen body's pooled outputs, standardised with the unlabelled reviews'
    // statistics (no labels), and a logistic regression on N labelled reviews.
    std::vector<std::vector<Index>> pool_needed(pool_ids.begin(),
                                                pool_ids.begin() + static_cast<std::ptrdiff_t>(max_n));
    const auto pool_f = features(model, pool_needed), test_f = features(model, test_ids);
    const auto stats_f = features(model, review_valid_texts);
    const std::size_t D = stats_f.front().size();
    std::vector<double> mu(D, 0.0), sd(D, 0.0);
    for (const auto& f : stats_f)
        for (std::size_t k = 0; k < D; ++k) mu[k] += f[k] / double(stats_f.size());
    for (const auto& f : stats_f)
        for (std::size_t k = 0; k < D; ++k) sd[k] += (f[k] - mu[k]) * (f[k] - mu[k]) / double(stats_f.size());
    auto standard = [&](const std::vector<double>& f) {
        std::vector<double> z(D);
        for (std::size_t k = 0; k < D; ++k) z[k] = (f[k] - mu[k]) / std::sqrt(sd[k] + 1e-12);
        return gen::dense_features(z);
    };
    std::vector<gen::Features> test_x;
    for (const auto& f : test_f) test_x.push_back(standard(f));

    json probe;
    viz::ProgressBar bar(Ns.size() * static_cast<std::size_t>(seeds), "probe and scratch");
    std::size_t runs = 0;
    for (std::size_t N : Ns) {
        std::map<std::string, std::map<std::string, std::vector<double>>> acc;  // method -> subset -> runs
        for (int s = 0; s < seeds; ++s) {
            const std::size_t from = static_cast<std::size_t>(s) * N;
            std::vector<gen::Features> xs;
            std::vector<int> ys;
            std::vector<std::vector<Index>> texts;
            for (std::size_t i = from; i < from + N; ++i) {
                xs.push_back(standard(pool_f[i]));
                ys.push_back(pool_y[i]);
                texts.push_back(pool_ids[i]);
            }
            const gen::Logistic m = gen::train_logistic(xs, ys, D);
            std::vector<int> frozen;
            for (const auto& x : test_x) frozen.push_back(m.score(x) > 0 ? 1 : 0);
            // The baseline that needs no pretraining at all: a bag of words on the same N reviews.
            const std::vector<std::string> train_text(
                pool_text.begin() + static_cast<std::ptrdiff_t>(from),
                pool_text.begin() + static_cast<std::ptrdiff_t>(from + N));
            const gen::BagOfWords bow(train_text);
            std::vector<gen::Features> bow_x;
            for (const std::string& t : train_text) bow_x.push_back(bow.features(t));
            const gen::Logistic m_bow = gen::train_logistic(bow_x, ys, bow.size());
            std::vector<int> counted;
            for (const std::string& t : test_text)
                counted.push_back(m_bow.score(bow.features(t)) > 0 ? 1 : 0);
            const std::vector<int> scratch =
                scratch_guesses(texts, ys, test_ids, V, embed, hidden, scratch_steps, opt.lr,
                                opt.seed + 1000 + static_cast<std::uint64_t>(s));
            for (const auto& [name, keep] : subsets) {
                acc["frozen_body"][name].push_back(percent_right(frozen, test_y, keep));
                acc["scratch"][name].push_back(percent_right(scratch, test_y, keep));
                acc["bag_of_words"][name].push_back(percent_right(counted, test_y, keep));
            }
            bar.update(++runs);
        }
        for (const auto& [method, by_subset] : acc)
            for (const auto& [subset, xs] : by_subset)
                probe[std::to_string(N)][method][subset] = mean_and_spread(xs);
    }
    bar.finish();
    report["probe_accuracy_percent"] = probe;
    report["probe_how"] =
        "[last, max, mean] over the review of down(h_t), the body's E-sized output, standardised; logistic "
        "regression, L2 0.01; "
        "scratch: the same network from random weights, Adam, " +
        std::to_string(scratch_steps) +
        " steps; bag_of_words: logistic regression on word presence; seed s uses pool reviews s*N to (s+1)*N "
        "- 1; test.tsv";

    // The claims (datasets/README.md).
    std::vector<std::string> failed;
    const std::size_t probe_n = std::find(Ns.begin(), Ns.end(), 64) != Ns.end() ? 64 : Ns.front();
    const double frozen64 = probe[std::to_string(probe_n)]["frozen_body"]["all"]["mean"].get<double>();
    const double scratch64 = probe[std::to_string(probe_n)]["scratch"]["all"]["mean"].get<double>();
    const double bow64 = probe[std::to_string(probe_n)]["bag_of_words"]["all"]["mean"].get<double>();
    if (opt.quick) {  // the direction at small scale
        if (later < first + 0.10)
            failed.push_back("later opinion words not better predicted than the first by 0.10");
        if (frozen64 < scratch64 + 5.0) failed.push_back("frozen probe not 5 points above scratch");
        if (frozen64 < bow64 + 5.0) failed.push_back("frozen probe not 5 points above a bag of words");
    } else {
        if (later < 0.80) failed.push_back("polarity of later opinion words below 0.80");
        if (frozen64 < 85.0) failed.push_back("frozen probe at N=64 below 85%");
        if (frozen64 < scratch64 + 15.0) failed.push_back("frozen probe at N=64 not 15 points above scratch");
    }
    report["claims_hold"] = failed.empty();
    report["claims_failed"] = failed;

    io::RunFolder run(opt.out);
    const std::string path = run.file("transfer_check.json", "the check's numbers");
    io::write_summary_json(path, report);
    std::cout << report.dump(2) << "\n\n" << run.written() << "\n";
    for (const std::string& f : failed) std::cout << "CHECK FAILED: " << f << "\n";
    if (failed.empty()) std::cout << "every claim holds\n";
    return check && !failed.empty() ? 1 : 0;
} catch (const dikkat::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
}
