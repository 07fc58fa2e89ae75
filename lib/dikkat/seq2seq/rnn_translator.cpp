#include <dikkat/seq2seq/rnn_translator.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::seq2seq {

// ---- configuration -------------------------------------------------------------------------

nlohmann::json RnnConfig::to_json() const {
    return {{"source_vocab", source_vocab},
            {"target_vocab", target_vocab},
            {"embed", embed},
            {"encoder_hidden", encoder_hidden},
            {"decoder_hidden", decoder_hidden},
            {"attention_size", attention_size},
            {"attention", attention},
            {"reverse_source", reverse_source}};
}

void to_json(nlohmann::json& j, const RnnConfig& config) { j = config.to_json(); }

RnnConfig RnnConfig::from_json(const nlohmann::json& j) {
    RnnConfig c;
    c.source_vocab = read_config_size(j, "source_vocab", max_size);
    c.target_vocab = read_config_size(j, "target_vocab", max_size);
    c.embed = read_config_size(j, "embed", max_size);
    c.encoder_hidden = read_config_size(j, "encoder_hidden", max_size);
    c.decoder_hidden = read_config_size(j, "decoder_hidden", max_size);
    c.attention_size = read_config_size(j, "attention_size", max_size);
    if (!j.contains("attention") || !j["attention"].is_string())
        throw ValueError("model configuration: 'attention' is missing or not a string");
    c.attention = j["attention"].get<std::string>();
    if (j.contains("reverse_source")) {
        if (!j["reverse_source"].is_boolean())
            throw ValueError("model configuration: 'reverse_source' is not true or false");
        c.reverse_source = j["reverse_source"].get<bool>();
    }
    return c;
}

// ---- the model -----------------------------------------------------------------------------

// What the encoder hands the decoder, for B sentences.
struct RnnTranslator::Encoded {
    Tensor states;  ///< (B, S, 2H) h_j for every source word
    Tensor keys;    ///< (B, S, A) the attention's view of each h_j, computed once per sentence
    Array keep;     ///< (B, S) 1 at real source words
    Tensor s0;      ///< (B, D) the decoder's first state, and lesson 2's fixed context
};

// [context_vector]
Tensor context_vector(const Tensor& h_forward_last, const Tensor& h_backward_first, const Tensor& W,
                      const Tensor& b) {
    Tensor ends = concat({h_forward_last, h_backward_first}, 1);  // (B, 2H): both ends of the sentence
    return tanh(nn::linear(ends, W, b));                          // (B, D)
}
// [context_vector]

RnnTranslator::RnnTranslator(const RnnConfig& config, Rng& rng, RnnParts parts)
    : source_embed(config.source_vocab, config.embed, rng),
      target_embed(config.target_vocab, config.embed, rng),
      encoder("gru", config.embed, config.encoder_hidden, rng, /*bidirectional=*/true),
      bridge(2 * config.encoder_hidden, config.decoder_hidden, rng),
      decoder(nn::make_cell("gru", config.embed + config.context_size(), config.decoder_hidden, rng)),
      output(config.decoder_hidden + config.context_size() + config.embed, config.target_vocab, rng),
      config_(config),
      parts_(std::move(parts)) {
    if (config.attention != "none")
        attention = parts_.attention
                        ? parts_.attention(config.decoder_hidden, 2 * config.encoder_hidden,
                                           config.attention_size, rng)
                        : nn::make_attention(config.attention, config.decoder_hidden,
                                             2 * config.encoder_hidden, config.attention_size, rng);
    register_module("source_embed", source_embed);
    register_module("target_embed", target_embed);
    register_module("encoder", encoder);
    register_module("bridge", bridge);
    register_module("decoder", decoder);
    if (attention) register_module("attention", attention);
    register_module("output", output);
}

std::string RnnTranslator::describe() const { return "RnnTranslator(attention " + config_.attention + ")"; }

namespace {
// Each sentence's words in reverse order, its <eos> (the last real id) and the padding in place:
// "the cat sleeps . <eos>" -> ". sleeps cat the <eos>".
IndexArray reversed_words(const IndexArray& source, const Array& keep) {
    IndexArray out = source;
    const std::size_t B = source.shape()[0], S = source.shape()[1];
    for (std::size_t b = 0; b < B; ++b) {
        std::size_t n = S;  // real ids in this row
        if (has_keep(keep))
            for (n = 0; n < S && keep(b, n) != 0.0f;) ++n;
        const auto row = out.begin() + static_cast<std::ptrdiff_t>(b * S);
        if (n > 1) std::reverse(row, row + static_cast<std::ptrdiff_t>(n - 1));
    }
    return out;
}
}  // namespace

RnnTranslator::Encoded RnnTranslator::encode(const IndexArray& source, const Array& source_keep) const {
    const IndexArray ids = config_.reverse_source ? reversed_words(source, source_keep) : source;  // (B, S)
    nn::RNN::Output enc = encoder(source_embed(ids), source_keep);                            // (B, S, 2H)
    Tensor s0 = parts_.context(enc.last.h, enc.last_backward.h, bridge.weight, bridge.bias);  // (B, D)
    Tensor keys = attention ? attention->project_keys(enc.outputs) : Tensor();                // (B, S, A)
    return {enc.outputs, keys, source_keep, s0};
}

// [decode_step]
Tensor RnnTranslator::decode_step(const Tensor& y_prev, const Encoded& enc, Tensor& s, Array* weights) const {
    Tensor c = enc.s0;  // no attention: the same context at every step, (B, D)
    if (attention) {    // attention: look at every source word, queried with s_{t-1}
        nn::Attention::Output a = attention->forward(s, enc.keys, enc.states, enc.keep);
        c = a.context;                              // (B, 2H)
        if (weights) *weights = a.weights.value();  // (B, S)
    }
    s = decoder->forward(concat({y_prev, c}, 1), {s, Tensor()}).h;  // (B, E + C) -> s_t (B, D)
    return concat({s, c, y_prev}, 1);                               // (B, D + C + E)
}
// [decode_step]

Tensor RnnTranslator::forward(const Batch& batch, Array* weights) const {
    const Encoded enc = encode(batch.source, batch.source_keep);
    const Tensor y = target_embed(batch.target_in);  // (B, T, E): the reference, shifted right
    const std::size_t T = batch.target_in.shape()[1];
    Tensor s = enc.s0;
    std::vector<Tensor> features(T);
    std::vector<Array> step_weights(weights && attention ? T : 0);
    for (std::size_t t = 0; t < T; ++t)
        features[t] = decode_step(select(y, 1, t), enc, s, step_weights.empty() ? nullptr : &step_weights[t]);
    if (!step_weights.empty()) {  // (B, T, S)
        const std::size_t B = batch.source.shape()[0], S = batch.source.shape()[1];
        *weights = Array(Shape{B, T, S});
        for (std::size_t t = 0; t < T; ++t) xt::view(*weights, xt::all(), t, xt::all()) = step_weights[t];
    }
    return output(stack(features, 1));  // (B, T, D + C + E) -> (B, T, V): one GEMM for every step
}

// ---- decoding, one word at a time ---------------------------------------------------------

struct RnnTranslator::RnnState : State {
    Encoded enc;
    Tensor s;  ///< (B, D)
    RnnState(Encoded e, Tensor s0) : enc(std::move(e)), s(std::move(s0)) {}
    void select_rows(const std::vector<std::size_t>& rows) override {
        auto take = [&](const Tensor& t) {
            return t.defined() ? Tensor(Array(xt::view(t.value(), xt::keep(rows)))) : t;
        };
        enc.states = take(enc.states);
        enc.keys = take(enc.keys);
        enc.s0 = take(enc.s0);
        if (has_keep(enc.keep)) enc.keep = Array(xt::view(enc.keep, xt::keep(rows)));
        s = take(s);
        if (attention.dimension() == 2) attention = Array(xt::view(attention, xt::keep(rows)));
    }
};

std::unique_ptr<Translator::State> RnnTranslator::start(const IndexArray& source,
                                                        const Array& source_keep) const {
    Encoded enc = encode(source, source_keep);
    Tensor s0 = enc.s0;
    return std::make_unique<RnnState>(std::move(enc), std::move(s0));
}

Tensor RnnTranslator::step(State& state, const IndexArray& previous) const {
    auto* st = dynamic_cast<RnnState*>(&state);
    if (!st) throw ValueError(describe() + ": step() needs the state its own start() returned");
    const Tensor y_prev = target_embed(previous);                          // (B, E)
    return output(decode_step(y_prev, st->enc, st->s, &state.attention));  // (B, V)
}

}  // namespace dikkat::seq2seq
