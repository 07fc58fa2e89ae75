#include <dikkat/seq2seq/transformer_translator.hpp>

#include <nlohmann/json.hpp>

#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/reduce.hpp>
#include <dikkat/ops/shape.hpp>

namespace dikkat::seq2seq {

// ---- configuration -------------------------------------------------------------------------

nlohmann::json TransformerConfig::to_json() const {
    return {{"source_vocab", source_vocab},
            {"target_vocab", target_vocab},
            {"dim", sizes.dim},
            {"heads", sizes.heads},
            {"ff", sizes.ff},
            {"encoder_layers", sizes.encoder_layers},
            {"decoder_layers", sizes.decoder_layers},
            {"dropout", sizes.dropout},
            {"scaled", sizes.scaled},
            {"positions", positions},
            {"max_length", max_length}};
}

void to_json(nlohmann::json& j, const TransformerConfig& config) { j = config.to_json(); }

TransformerConfig TransformerConfig::from_json(const nlohmann::json& j) {
    TransformerConfig c;
    c.source_vocab = read_config_size(j, "source_vocab", max_size);
    c.target_vocab = read_config_size(j, "target_vocab", max_size);
    c.sizes.dim = read_config_size(j, "dim", max_size);
    c.sizes.heads = read_config_size(j, "heads", max_size);
    c.sizes.ff = read_config_size(j, "ff", max_size);
    c.sizes.encoder_layers = read_config_size(j, "encoder_layers", max_size);
    c.sizes.decoder_layers = read_config_size(j, "decoder_layers", max_size);
    c.max_length = read_config_size(j, "max_length", max_size);
    c.sizes.dropout = io::read_config_dropout(j);
    if (!j.contains("positions") || !j["positions"].is_string())
        throw ValueError("model configuration: 'positions' is missing or not a string");
    c.positions = j["positions"].get<std::string>();
    if (!j.contains("scaled") || !j["scaled"].is_boolean())
        throw ValueError("model configuration: 'scaled' is missing or not true or false");
    c.sizes.scaled = j["scaled"].get<bool>();
    return c;
}

// ---- the model -----------------------------------------------------------------------------

Array key_keep(const Array& source_keep) {
    if (!has_keep(source_keep)) return source_keep;
    if (source_keep.dimension() != 2)
        throw ShapeError("key_keep: source_keep is " + shape_str(source_keep.shape()) + "; expected (B, S)");
    Array keep = source_keep;
    keep.reshape({source_keep.shape()[0], std::size_t{1}, std::size_t{1}, source_keep.shape()[1]});
    return keep;
}

TransformerTranslator::TransformerTranslator(const TransformerConfig& config, Rng& rng)
    : source_embed(config.source_vocab, config.sizes.dim, rng),
      target_embed(config.target_vocab, config.sizes.dim, rng),
      positions(config.positions, config.max_length, config.sizes.dim, rng),
      transformer(config.sizes, rng),
      output(config.sizes.dim, config.target_vocab, rng),
      config_(config) {
    register_module("source_embed", source_embed);
    register_module("target_embed", target_embed);
    register_module("positions", positions);
    register_module("transformer", transformer);
    register_module("output", output);
}

std::string TransformerTranslator::describe() const {
    return "TransformerTranslator(" + config_.positions + " positions)";
}

Tensor TransformerTranslator::embed_source(const IndexArray& source) const {
    return positions(source_embed(source));  // (B, S, D): what each word is, and where
}

namespace {
// The heads' average of the last layer's cross-attention: (B, H, T, S) -> (B, T, S).
Array mean_over_heads(const Tensor& weights) { return mean(weights, {1}).value(); }
}  // namespace

// [forward]
Tensor TransformerTranslator::forward(const Batch& batch, nn::Transformer::Weights& weights) const {
    const Array keep = key_keep(batch.source_keep);                                        // (B, 1, 1, S)
    const Tensor memory = transformer.encode(embed_source(batch.source), keep, &weights);  // (B, S, D)
    const Tensor y = positions(target_embed(batch.target_in));                             // (B, T, D)
    const Array causal = causal_mask(batch.target_in.shape()[1]);                          // (T, T)
    const Tensor h = transformer.decode(y, transformer.project_memory(memory), causal, keep, &weights);
    return output(h);  // (B, T, V): every target position in one pass
}
// [forward]

Tensor TransformerTranslator::forward(const Batch& batch, Array* attention) const {
    nn::Transformer::Weights weights;
    Tensor scores = forward(batch, weights);
    if (attention && !weights.decoder_cross.empty())
        *attention = mean_over_heads(weights.decoder_cross.back());
    return scores;
}

std::vector<std::vector<Array>> TransformerTranslator::source_attention(const Batch& batch) const {
    NoGrad no_grad;
    nn::Transformer::Weights weights;
    forward(batch, weights);
    std::vector<std::vector<Array>> maps;
    for (const Tensor& layer : weights.decoder_cross) {  // (B, H, T, S)
        maps.emplace_back();
        for (std::size_t h = 0; h < layer.shape()[1]; ++h)
            maps.back().push_back(Array(xt::view(layer.value(), xt::all(), h, xt::all(), xt::all())));
    }
    return maps;
}

// ---- decoding with a key/value cache -------------------------------------------------------

struct TransformerTranslator::CachedState : State {
    std::vector<nn::MultiHeadAttention::KeyValues> memory;  ///< per layer, the source's (B, H, S, d)
    std::vector<nn::MultiHeadAttention::KeyValues> cache;   ///< per layer, the words so far (B, H, t, d)
    Array keep;                                             ///< (B, 1, 1, S) or {}
    std::size_t t = 0;                                      ///< words fed so far
    void select_rows(const std::vector<std::size_t>& rows) override {
        auto take = [&](Tensor& x) {
            if (x.defined()) x = Tensor(Array(xt::view(x.value(), xt::keep(rows))));
        };
        for (auto* kvs : {&memory, &cache})
            for (auto& kv : *kvs) {
                take(kv.keys);
                take(kv.values);
            }
        if (has_keep(keep)) keep = Array(xt::view(keep, xt::keep(rows)));
        if (attention.dimension() == 2) attention = Array(xt::view(attention, xt::keep(rows)));
    }
};

std::unique_ptr<Translator::State> TransformerTranslator::start(const IndexArray& source,
                                                                const Array& source_keep) const {
    auto state = std::make_unique<CachedState>();
    state->keep = key_keep(source_keep);
    state->memory = transformer.project_memory(transformer.encode(embed_source(source), state->keep));
    state->cache.resize(transformer.decoder.size());
    return state;
}

// [step]
Tensor TransformerTranslator::step(State& state, const IndexArray& previous) const {
    auto* st = dynamic_cast<CachedState*>(&state);
    if (!st) throw ValueError(describe() + ": step() needs the state its own start() returned");
    const std::size_t B = previous.size();
    IndexArray ids = previous;
    ids.reshape({B, std::size_t{1}});                      // (B, 1): one new word each
    const Tensor y = positions(target_embed(ids), st->t);  // at position t
    nn::Transformer::Weights weights;
    const Tensor h = transformer.decode(y, st->memory, {}, st->keep, &weights, &st->cache);  // (B, 1, D)
    ++st->t;
    Array a = mean_over_heads(weights.decoder_cross.back());  // (B, 1, S)
    a.reshape({B, a.shape()[2]});
    st->attention = a;
    return output(select(h, 1, 0));  // (B, V)
}
// [step]

}  // namespace dikkat::seq2seq
