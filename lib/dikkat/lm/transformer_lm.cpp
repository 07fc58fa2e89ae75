#include <dikkat/lm/transformer_lm.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/ops/loss.hpp>
#include <dikkat/ops/nn_ops.hpp>
#include <dikkat/ops/shape.hpp>

// B batch, T positions, D model size, H heads, V vocabulary
namespace dikkat::lm {

std::string to_string(Objective objective) { return objective == Objective::gpt ? "gpt" : "bert"; }

Objective objective_from_string(const std::string& name) {
    if (name == "gpt") return Objective::gpt;
    if (name == "bert") return Objective::bert;
    throw ValueError("objective '" + name + "': expected gpt (causal) or bert (masked words)");
}

// ---- configuration -------------------------------------------------------------------------

nlohmann::json LMConfig::to_json() const {
    return {{"objective", to_string(objective)},
            {"vocab", vocab},
            {"dim", dim},
            {"heads", heads},
            {"ff", ff},
            {"layers", layers},
            {"context", context},
            {"positions", positions},
            {"dropout", std::round(double(dropout) * 1e6) / 1e6}};  // 0.1, not 0.10000000149
}

void to_json(nlohmann::json& j, const LMConfig& config) { j = config.to_json(); }

LMConfig LMConfig::from_json(const nlohmann::json& j) {
    LMConfig c;
    if (!j.is_object()) throw ValueError("model configuration: expected a JSON object");
    if (!j.contains("objective") || !j["objective"].is_string())
        throw ValueError("model configuration: 'objective' is missing or not a string");
    c.objective = objective_from_string(j["objective"].get<std::string>());
    c.vocab = io::read_config_size(j, "vocab", max_size);
    c.dim = io::read_config_size(j, "dim", max_size);
    c.heads = io::read_config_size(j, "heads", max_size);
    c.ff = io::read_config_size(j, "ff", max_size);
    c.layers = io::read_config_size(j, "layers", 256);
    c.context = io::read_config_size(j, "context", max_size);
    c.dropout = io::read_config_dropout(j);
    if (!j.contains("positions") || !j["positions"].is_string())
        throw ValueError("model configuration: 'positions' is missing or not a string");
    c.positions = j["positions"].get<std::string>();
    if (c.positions != "learned" && c.positions != "sinusoidal")
        throw ValueError("model configuration: 'positions' is '" + c.positions +
                         "'; expected learned or sinusoidal");
    return c;
}

// ---- the model -----------------------------------------------------------------------------

TransformerLM::TransformerLM(const LMConfig& config, Rng& rng)
    : embed(config.vocab, config.dim, rng),
      positions(config.positions, config.context, config.dim, rng),
      norm(config.dim),
      head(embed, /*with_bias=*/true),
      config_(config) {
    if (config.vocab < 6)
        throw ValueError("TransformerLM: a vocabulary of " + std::to_string(config.vocab) +
                         " ids has no words besides the 5 special tokens");
    register_module("embed", embed);
    register_module("positions", positions);
    register_module("layers", layers);
    for (std::size_t i = 0; i < config.layers; ++i)
        layers.add(
            std::make_shared<nn::EncoderLayer>(config.dim, config.heads, config.ff, config.dropout, rng));
    register_module("norm", norm);
    register_module("head", head);
    // GPT-2's start (see the header): every weight matrix N(0, 0.02²), every bias 0, and the two
    // layers that write into the residual stream (attention.output, ff.down) smaller still.
    const float residual_std = 0.02f / std::sqrt(2.0f * float(std::max<std::size_t>(config.layers, 1)));
    for (auto& [name, p] : named_parameters()) {
        const bool bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
        if (name.rfind("norm", 0) == 0 || name.find(".norm") != std::string::npos)
            continue;  // LayerNorm: 1 and 0
        const bool residual = name.find("attention.output.weight") != std::string::npos ||
                              name.find("ff.down.weight") != std::string::npos;
        for (float& w : p.mutable_value())
            w = bias ? 0.0f : rng.normal(0.0f, residual ? residual_std : 0.02f);
    }
}

std::string TransformerLM::describe() const {
    return std::string(config_.objective == Objective::gpt ? "GPT" : "BERT") +
           "(D=" + std::to_string(config_.dim) + ", heads=" + std::to_string(config_.heads) +
           ", ff=" + std::to_string(config_.ff) + ", " + std::to_string(config_.layers) +
           (config_.layers == 1 ? " layer" : " layers") + ", context " + std::to_string(config_.context) +
           ", V=" + std::to_string(config_.vocab) + ")";
}

// [attention_keep]
Array TransformerLM::attention_keep(std::size_t T, const Array& keep) const {
    Array padding;  // (B, 1, 1, T): hides padded keys from every head and query
    if (has_keep(keep)) {
        if (keep.dimension() != 2 || keep.shape()[1] != T)
            throw ShapeError(describe() + ": keep is " + shape_str(keep.shape()) + "; expected (B, " +
                             std::to_string(T) + "), 1 for a token and 0 for padding");
        padding = keep;
        padding.reshape({keep.shape()[0], std::size_t{1}, std::size_t{1}, T});
    }
    if (config_.objective == Objective::bert) return padding;  // every position reads every other
    const Array mask = causal(T);                              // (T, T): position t reads positions <= t
    if (mask.dimension() != 2 || mask.shape()[0] != T || mask.shape()[1] != T)
        throw ShapeError(describe() + ": the causal mask for " + std::to_string(T) + " positions is " +
                         shape_str(mask.shape()) + "; expected (" + std::to_string(T) + ", " +
                         std::to_string(T) + ")");
    if (!has_keep(keep)) return mask;
    return Array(mask * padding);  // (B, 1, T, T)
}
// [attention_keep]

// [lm_features]
Tensor TransformerLM::features(const IndexArray& ids, const Array& keep, std::vector<Tensor>* weights) const {
    if (ids.dimension() != 2 || ids.shape()[1] == 0 || ids.shape()[0] == 0)
        throw ShapeError(describe() + ": ids are " + shape_str(ids.shape()) +
                         "; expected (B, T) with B, T >= 1");
    const std::size_t T = ids.shape()[1];
    if (T > config_.context)
        throw ValueError(describe() + ": a sequence of " + std::to_string(T) +
                         " tokens; this model reads at most " + std::to_string(config_.context) +
                         " (its context)");
    Tensor x = positions(embed(ids));  // (B, T, D): the word, and where it stands
    const Array mask = attention_keep(T, keep);
    for (const auto& layer : layers) {
        nn::AttentionResult r = layer->forward(x, mask);  // (B, T, D), weights (B, H, T, T)
        x = r.output;
        if (weights) weights->push_back(r.weights);
    }
    return norm(x);  // (B, T, D)
}
// [lm_features]

Tensor TransformerLM::forward(const IndexArray& ids, const Array& keep, std::vector<Tensor>* weights) const {
    return head(features(ids, keep, weights));  // (B, T, V)
}

// [masked_lm_loss]
Tensor masked_lm_loss(const TransformerLM& model, const IndexArray& inputs, const IndexArray& targets,
                      Index ignore_index) {
    if (targets.shape() != inputs.shape())
        throw ShapeError("masked_lm_loss: inputs " +
                         shape_str(Shape(inputs.shape().begin(), inputs.shape().end())) + ", targets " +
                         shape_str(Shape(targets.shape().begin(), targets.shape().end())) +
                         "; expected the same shape");
    std::vector<Index> rows, words;  // the hidden positions (flat, b·T + t) and their words
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets.data()[i] != ignore_index) {
            rows.push_back(static_cast<Index>(i));
            words.push_back(targets.data()[i]);
        }
    if (rows.empty())
        throw ValueError("masked_lm_loss: no position is hidden (every target is the ignore index)");
    const auto D = static_cast<std::ptrdiff_t>(model.config().dim);
    const Tensor h = reshape(model.features(inputs), {-1, D});  // (B·T, D)
    IndexArray picked(IndexArray::shape_type{rows.size()}), y(IndexArray::shape_type{words.size()});
    std::copy(rows.begin(), rows.end(), picked.begin());
    std::copy(words.begin(), words.end(), y.begin());
    const Tensor hidden = embedding(h, picked);   // (N, D): a lookup of rows, its backward a scatter-add
    return cross_entropy(model.head(hidden), y);  // (N, V) scores, one hidden word per row
}
// [masked_lm_loss]

// ---- checkpoints ---------------------------------------------------------------------------

void save_lm(const std::string& path, const TransformerLM& model, const data::Vocab& vocab,
             const std::string& lesson) {
    if (vocab.size() != model.config().vocab)
        throw ValueError("save_lm: the vocabulary has " + std::to_string(vocab.size()) +
                         " tokens, the model " + std::to_string(model.config().vocab));
    io::save_model(path, model, "transformer_lm", model.config().to_json(), vocab, lesson);
}

LoadedLM load_lm(const std::string& path, const std::string& make_it) {
    const io::ModelHeader h =
        io::read_model_header(path, "transformer_lm", "a transformer language model", make_it);
    LMConfig config;
    try {
        config = LMConfig::from_json(h.config.json());
    } catch (const ValueError& e) {
        throw IoError(path + ": " + e.what());
    }
    if (h.vocab.size() != config.vocab)
        throw IoError(path + ": its vocabulary has " + std::to_string(h.vocab.size()) +
                      " tokens, its configuration says " + std::to_string(config.vocab));
    LoadedLM out{nullptr, h.vocab, h.lesson};
    Rng rng(0);  // every parameter is overwritten by the load
    try {
        out.model = std::make_unique<TransformerLM>(config, rng);
    } catch (const ValueError& e) {
        throw IoError(path + ": its configuration makes no model: " + e.what());
    }
    io::load_checkpoint(path, *out.model);
    out.model->eval();
    return out;
}

}  // namespace dikkat::lm
