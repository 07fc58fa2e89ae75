#include <dikkat/lm/lstm_lm.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include <dikkat/data/streams.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/lm/stream_loss.hpp>
#include <dikkat/ops/elementwise.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/ops/mask.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/ops/reduce.hpp>
#include <dikkat/ops/shape.hpp>

// B batch, T positions, E embedding, H hidden, V vocabulary
namespace dikkat::lm {

nlohmann::json LstmLMConfig::to_json() const {
    return {{"vocab", vocab}, {"embed", embed}, {"hidden", hidden}};
}

void to_json(nlohmann::json& j, const LstmLMConfig& config) { j = config.to_json(); }

LstmLMConfig LstmLMConfig::from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw ValueError("model configuration: expected a JSON object");
    LstmLMConfig c;
    c.vocab = io::read_config_size(j, "vocab", max_size);
    c.embed = io::read_config_size(j, "embed", max_size);
    c.hidden = io::read_config_size(j, "hidden", max_size);
    return c;
}

LstmLM::LstmLM(const LstmLMConfig& config, Rng& rng)
    : embed(config.vocab, config.embed, rng),
      cell(nn::make_cell("lstm", config.embed, config.hidden, rng)),
      down(config.hidden, config.embed, rng),
      out(embed, /*with_bias=*/true),
      config_(config) {
    register_module("embed", embed);
    register_module("cell", cell);
    register_module("down", down);
    register_module("out", out);
}

std::string LstmLM::describe() const {
    return "LstmLM(E=" + std::to_string(config_.embed) + ", H=" + std::to_string(config_.hidden) +
           ", V=" + std::to_string(config_.vocab) + ")";
}

nn::Unrolled LstmLM::read(const IndexArray& ids, const nn::CellState& state, const Array& keep) const {
    if (ids.dimension() != 2 || ids.shape()[0] == 0 || ids.shape()[1] == 0)
        throw ShapeError(describe() + ": ids are " +
                         shape_str(Shape(ids.shape().begin(), ids.shape().end())) +
                         "; expected (B, T) with B, T >= 1");
    return nn::unroll(*cell, embed(ids), state, keep);  // h_t: (B, T, H)
}

LstmLM::Output LstmLM::forward(const IndexArray& ids, const nn::CellState& state, const Array& keep) const {
    nn::Unrolled run = read(ids, state, keep);
    Tensor features = down(run.outputs);  // (B, T, E)
    Tensor scores = out(features);        // (B, T, V)
    return {scores, features, std::move(run)};
}

Tensor LstmLM::features(const IndexArray& ids, const Array& keep) const {
    return down(read(ids, {}, keep).outputs);  // (B, T, E)
}

// [concat_pool]
Tensor concat_pool(const Tensor& features, const Array& keep) {
    if (features.dim() != 3 || keep.dimension() != 2 || keep.shape()[0] != features.shape()[0] ||
        keep.shape()[1] != features.shape()[1])
        throw ShapeError("concat_pool: features " + shape_str(features.shape()) + " and keep " +
                         shape_str(keep.shape()) + "; expected (B, T, E) and (B, T)");
    const std::size_t B = keep.shape()[0], T = keep.shape()[1], E = features.shape()[2];
    IndexArray last_rows(IndexArray::shape_type{B});  // row b·T + (length_b - 1) of (B·T, E)
    Array inv_length(Shape{B, 1});
    for (std::size_t b = 0; b < B; ++b) {
        std::size_t length = 0;
        while (length < T && keep(b, length) != 0.0f) ++length;
        if (length == 0)
            throw ShapeError("concat_pool: row " + std::to_string(b) +
                             " has no real word (keep is 0 at its start)");
        last_rows(b) = static_cast<Index>(b * T + length - 1);
        inv_length(b, 0) = 1.0f / float(length);
    }
    Array keep3 = keep;
    keep3.reshape({B, T, std::size_t{1}});  // over the features' E
    const Tensor last =
        embedding(reshape(features, {-1, static_cast<std::ptrdiff_t>(E)}), last_rows);  // (B, E)
    const Tensor highest = max(fill_hidden(features, keep3, -1e9f), 1);                 // (B, E)
    const Tensor mean = sum(features * Tensor(keep3), {1}) * Tensor(inv_length);        // (B, E)
    return concat({last, highest, mean}, 1);                                            // (B, 3E)
}
// [concat_pool]

double stream_perplexity(const LstmLM& model, const std::vector<Index>& tokens, std::size_t streams,
                         std::size_t window) {
    return std::exp(stream_nats(model, tokens, streams, window));
}

void save_lstm_lm(const std::string& path, const LstmLM& model, const data::Vocab& vocab,
                  const std::string& lesson) {
    if (vocab.size() != model.config().vocab)
        throw ValueError("save_lstm_lm: the vocabulary has " + std::to_string(vocab.size()) +
                         " tokens, the model " + std::to_string(model.config().vocab));
    io::save_model(path, model, "lstm_lm", model.config().to_json(), vocab, lesson);
}

LoadedLstmLM load_lstm_lm(const std::string& path, const std::string& make_it) {
    const io::ModelHeader h = io::read_model_header(path, "lstm_lm", "an LSTM language model", make_it);
    LstmLMConfig config;
    try {
        config = LstmLMConfig::from_json(h.config.json());
    } catch (const ValueError& e) {
        throw IoError(path + ": " + e.what());
    }
    if (h.vocab.size() != config.vocab)
        throw IoError(path + ": its vocabulary has " + std::to_string(h.vocab.size()) +
                      " tokens, its configuration says " + std::to_string(config.vocab));
    Rng rng(0);  // every parameter is overwritten by the load
    LoadedLstmLM out{std::make_unique<LstmLM>(config, rng), h.vocab, h.lesson};
    io::load_checkpoint(path, *out.model);
    return out;
}

}  // namespace dikkat::lm
