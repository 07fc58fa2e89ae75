#include <dikkat/lm/heads.hpp>

#include <nlohmann/json.hpp>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/ops/elementwise.hpp>

// B batch, T positions, E the body's output size, C classes, K tags
namespace dikkat::lm {

std::shared_ptr<LstmLM> copy_lstm_lm(const LstmLM& model) {
    Rng rng(0);  // every value is overwritten below
    auto copy = std::make_shared<LstmLM>(model.config(), rng);
    nn::load_snapshot(*copy, nn::snapshot(model));
    return copy;
}

LstmClassifier::LstmClassifier(std::shared_ptr<LstmLM> b, std::size_t classes, Rng& rng)
    : body(std::move(b)), head(3 * body->config().embed, classes, rng) {
    const std::size_t P = 3 * body->config().embed;
    register_module("body", body);
    mean = register_parameter("mean", xt::zeros<float>({P}), /*requires_grad=*/false);
    inv_std = register_parameter("inv_std", xt::ones<float>({P}), /*requires_grad=*/false);
    register_module("head", head);
}

std::string LstmClassifier::describe() const {
    return "LstmClassifier(" + body->describe() + ", " + std::to_string(head.out_features()) + " classes)";
}

void LstmClassifier::set_standardization(const Array& m, const Array& s) {
    const std::size_t P = mean.shape()[0];
    if (m.dimension() != 1 || s.dimension() != 1 || m.size() != P || s.size() != P)
        throw ShapeError(describe() + ": standardisation statistics are " + shape_str(m.shape()) + " and " +
                         shape_str(s.shape()) + "; expected (" + std::to_string(P) + ") each");
    mean.mutable_value() = m;
    Array inv = s;
    for (float& v : inv) v = v < 1e-6f ? 1.0f : 1.0f / v;
    inv_std.mutable_value() = inv;
}

void LstmClassifier::set_standardization_from(const Array& features) {
    if (features.dimension() != 2 || features.shape()[0] == 0)
        throw ShapeError(describe() + ": standardisation needs features (N, " +
                         std::to_string(mean.shape()[0]) + ") with N > 0, got " +
                         shape_str(features.shape()));
    set_standardization(xt::mean(features, {0}), xt::stddev(features, {0}));
}

Tensor LstmClassifier::pooled(const IndexArray& ids, const Array& keep) const {
    return pool(body->features(ids, keep), keep);  // (B, 3E)
}

// [classifier_head]
Tensor LstmClassifier::head_forward(const Tensor& p) const {
    return head((p - mean) * inv_std);  // (B, 3E) standardised -> (B, C)
}
// [classifier_head]

Tensor LstmClassifier::forward(const IndexArray& ids, const Array& keep) const {
    return head_forward(pooled(ids, keep));
}

LstmTagger::LstmTagger(std::shared_ptr<LstmLM> b, std::size_t tags, Rng& rng)
    : body(std::move(b)), head(body->config().embed, tags, rng) {
    register_module("body", body);
    register_module("head", head);
}

std::string LstmTagger::describe() const {
    return "LstmTagger(" + body->describe() + ", " + std::to_string(head.out_features()) + " tags)";
}

Tensor LstmTagger::forward(const IndexArray& ids, const Array& keep) const {
    return head(body->features(ids, keep));  // (B, T, K)
}

void save_classifier(const std::string& path, const LstmClassifier& model, const data::Vocab& vocab,
                     const std::string& lesson) {
    nlohmann::json config = model.body->config().to_json();
    config["classes"] = model.head.out_features();
    io::save_model(path, model, "lstm_classifier", config, vocab, lesson);
}

LoadedClassifier load_classifier(const std::string& path, const std::string& make_it) {
    const io::ModelHeader h = io::read_model_header(path, "lstm_classifier", "a review classifier", make_it);
    LstmLMConfig config;
    std::size_t classes = 0;
    try {
        config = LstmLMConfig::from_json(h.config.json());
        classes = io::read_config_size(h.config.json(), "classes", 1 << 10);
    } catch (const ValueError& e) {
        throw IoError(path + ": " + e.what());
    }
    if (h.vocab.size() != config.vocab)
        throw IoError(path + ": its vocabulary has " + std::to_string(h.vocab.size()) +
                      " tokens, its configuration says " + std::to_string(config.vocab));
    Rng rng(0);
    LoadedClassifier out{
        std::make_unique<LstmClassifier>(std::make_shared<LstmLM>(config, rng), classes, rng), h.vocab};
    io::load_checkpoint(path, *out.model);
    return out;
}

}  // namespace dikkat::lm
