#include "figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <dikkat/blas.hpp>
#include <dikkat/data/batch.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/plot.hpp>
#include <dikkat/viz/svg.hpp>
#include <dikkat/viz/terminal.hpp>

using namespace dikkat;

// B batch, S source length, H heads
namespace lesson4 {

namespace {
// The mean entropy of attention rows, in nats, over every layer, head and real word's row
// (weights (B, H, S, S); sentence b has lengths[b] real positions).
double mean_entropy(const std::vector<Tensor>& weights, const std::vector<std::size_t>& lengths) {
    double total = 0;
    std::size_t rows = 0;
    for (const Tensor& w : weights) {
        const Array& a = w.value();
        for (std::size_t b = 0; b < a.shape()[0]; ++b)
            for (std::size_t h = 0; h < a.shape()[1]; ++h)
                for (std::size_t q = 0; q < lengths[b]; ++q, ++rows)
                    for (std::size_t k = 0; k < lengths[b]; ++k) {
                        const double p = double(a(b, h, q, k));
                        if (p > 0) total -= p * std::log(p);
                    }
    }
    return rows ? total / double(rows) : 0.0;
}
}  // namespace

void plot_bleu_vs_seconds(const seq2seq::BleuCurve& transformer, const seq2seq::BleuCurve& rnn,
                          const std::string& svg_path) {
    viz::LinePlot p("Validation BLEU against training time");
    auto with_origin = [](std::vector<double> v) {
        v.insert(v.begin(), 0.0);
        return v;
    };
    p.add_series("transformer", with_origin(transformer.seconds), with_origin(transformer.bleu));
    p.add_series("RNN with attention (lesson 3)", with_origin(rnn.seconds), with_origin(rnn.bleu));
    const blas::Info b = blas::info();
    p.x_label("seconds of training (core " + b.core + ", " + std::to_string(b.threads) +
              (b.threads == 1 ? " thread)" : " threads)"))
        .y_label("validation BLEU")
        .y_range(0, 1);
    p.write_svg(svg_path);
}

void plot_step_times(const std::vector<std::size_t>& lengths,
                     const std::vector<std::pair<Timing, Timing>>& timings, const std::string& svg_path) {
    viz::LinePlot p("One training step (" + std::to_string(timed_batch) + " sentences)");
    std::vector<double> xs(lengths.begin(), lengths.end());
    for (int th = 0; th < 2; ++th) {
        std::vector<double> t, r;
        for (const auto& [tt, rr] : timings) {
            t.push_back(tt.ms[th]);
            r.push_back(rr.ms[th]);
        }
        const std::string cores = th == 0 ? ", 1 core" : ", 2 cores";
        p.add_series("transformer" + cores, xs, t, th == 1);
        p.add_series("RNN with attention" + cores, xs, r, th == 1);
    }
    p.x_label("source length (words)").y_label("milliseconds");
    p.write_svg(svg_path);
}

void draw_attention(const seq2seq::TransformerTranslator& model, const data::ParallelCorpus& corpus,
                    const data::TranslationPair& pair, std::size_t layers, io::RunFolder& run) {
    NoGrad no_grad;
    nn::Transformer::Weights w;
    model.forward(
        seq2seq::make_batch({corpus.encode_source(pair.source)}, {corpus.encode_target(pair.target)}), w);
    std::vector<std::string> english = pair.source, french_in = {"<bos>"}, french_out = pair.target;
    english.push_back("<eos>");
    french_in.insert(french_in.end(), pair.target.begin(), pair.target.end());
    french_out.push_back("<eos>");
    Array mean_heads;  // (French + 1, English + 1): the heads' average, as --translate shows it
    model.forward(
        seq2seq::make_batch({corpus.encode_source(pair.source)}, {corpus.encode_target(pair.target)}),
        &mean_heads);
    mean_heads = Array(xt::view(mean_heads, 0, xt::all(), xt::all()));
    std::printf(
        "\n  Last layer's cross-attention, mean of the heads, for \"%s\" (rows: French, columns: "
        "English):\n\n%s",
        data::join_words(pair.source).c_str(),
        viz::terminal_heatmap(mean_heads, french_out, english, 0.0f, 1.0f).c_str());
    // Row j: what the decoder reads while writing French word j (as lesson 3's heatmaps).
    viz::write_text_file(
        run.file("cross_attention_heads.svg", "decoder cross-attention of the last layer, per head"),
        viz::head_panels({w.decoder_cross.back().value()}, layers, french_out, english, "cross-attention",
                         "French (written)", "English (read)"));
    std::vector<Array> encoder_self;
    for (const Tensor& t : w.encoder_self) encoder_self.push_back(t.value());
    viz::write_text_file(
        run.file("encoder_attention_heads.svg", "encoder self-attention, per layer and head"),
        viz::head_panels(encoder_self, 1, english, english, "encoder self-attention", "English (query)",
                         "English (key)"));
    viz::Heatmap(Array(causal_mask(french_in.size())))
        .title("The causal mask: what each French position may read")
        .row_labels(french_in)
        .col_labels(french_in)
        .colormap(viz::Colormap::blues)
        .range(0.0f, 1.0f)
        .y_label("query (writing the next word)")
        .x_label("key")
        .write_svg(run.file("causal_mask.svg", "the decoder's causal mask"));
}

void draw_positional_encoding(const seq2seq::TransformerTranslator& model,
                              const seq2seq::TransformerConfig& config, const std::string& svg_path) {
    const std::size_t shown = std::min<std::size_t>(config.max_length, 64);  // positions drawn
    viz::Heatmap pe(model.positions.table(shown));
    pe.title("Positional encoding (" + config.positions + "): a row per position")
        .colormap(viz::Colormap::red_blue)
        .extent(0, double(config.sizes.dim), 0, double(shown))
        .y_label("position")
        .x_label("feature");
    if (config.positions == "sinusoidal") pe.range(-1.0f, 1.0f);
    pe.write_svg(svg_path);
}

Entropy encoder_attention_entropy(const seq2seq::TransformerTranslator& model,
                                  const data::ParallelCorpus& corpus,
                                  const std::vector<data::TranslationPair>& test) {
    std::vector<Tensor> encoder_weights;
    std::vector<std::size_t> lengths;  // of the sentences scored, <eos> included
    double uniform = 0.0;              // the entropy of reading every word alike (log length), per row
    {
        NoGrad no_grad;
        const std::vector<std::size_t> first = {0, 1, 2, 3, 4, 5, 6, 7};
        const data::ParallelCorpus encoded = corpus.encode(test);
        nn::Transformer::Weights w;
        model.forward(
            seq2seq::make_batch(data::gather(encoded.source, first), data::gather(encoded.target, first)), w);
        encoder_weights = w.encoder_self;
        std::size_t rows = 0;
        for (std::size_t i : first) {  // a sentence of n words has n rows, each log n when uniform
            lengths.push_back(encoded.source[i].size());
            uniform += double(lengths.back()) * std::log(double(lengths.back()));
            rows += lengths.back();
        }
        uniform /= double(rows);
    }
    const double entropy = mean_entropy(encoder_weights, lengths);
    return {entropy, uniform};
}

}  // namespace lesson4
