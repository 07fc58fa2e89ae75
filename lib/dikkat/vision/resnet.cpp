#include <dikkat/vision/resnet.hpp>

#include <nlohmann/json.hpp>

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/model_config.hpp>
#include <dikkat/ops/conv.hpp>
#include <dikkat/ops/elementwise.hpp>

namespace dikkat::vision {

namespace {
constexpr std::size_t max_size = 4096;
}

nlohmann::json ResNetConfig::to_json() const { return {{"width", width}, {"stem_kernel", stem_kernel}}; }

ResNetConfig ResNetConfig::from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw ValueError("model configuration: expected a JSON object");
    ResNetConfig c;
    c.width = io::read_config_size(j, "width", max_size);
    c.stem_kernel = io::read_config_size(j, "stem_kernel", 15);
    if (c.stem_kernel % 2 == 0)
        throw ValueError("model configuration: 'stem_kernel' is " + std::to_string(c.stem_kernel) +
                         "; expected an odd size");
    return c;
}

void to_json(nlohmann::json& j, const ResNetConfig& config) { j = config.to_json(); }

ResNetBody::ResNetBody(const ResNetConfig& config, Rng& rng)
    : stem(3, config.width, config.stem_kernel, rng, /*stride=*/1, /*padding=*/config.stem_kernel / 2,
           /*with_bias=*/false),
      stem_bn(config.width),
      block1(config.width, config.width, rng),
      block2(config.width, 2 * config.width, rng, /*stride=*/2),
      block3(2 * config.width, 4 * config.width, rng, /*stride=*/2),
      config_(config) {
    if (config.width == 0 || config.stem_kernel % 2 == 0)
        throw ValueError("ResNetBody: the width must be positive and the stem's kernel odd");
    stem.weight.mutable_value() *= 0.1f;  // a small start: see the header
    register_module("stem", stem);
    register_module("stem_bn", stem_bn);
    register_module("block1", block1);
    register_module("block2", block2);
    register_module("block3", block3);
}

std::string ResNetBody::describe() const {
    return "ResNetBody(width=" + std::to_string(config_.width) +
           ", stem_kernel=" + std::to_string(config_.stem_kernel) + ")";
}

nn::Module& ResNetBody::part(const std::string& name) {
    if (name == "stem") return stem;
    if (name == "stem_bn") return stem_bn;
    if (name == "block1") return block1;
    if (name == "block2") return block2;
    if (name == "block3") return block3;
    throw ValueError(describe() + " has no part '" + name +
                     "'; its parts are stem, stem_bn, block1, block2, block3");
}

Tensor ResNetBody::stem_maps(const Tensor& images) const {
    if (images.dim() != 4 || images.shape()[1] != 3 || images.shape()[2] < 8 || images.shape()[3] < 8)
        throw ShapeError(describe() + ": images must be (N, 3, H, W) with H, W >= 8, got " +
                         shape_str(images.shape()));
    return relu(stem_bn(stem(images)));  // (N, w, H, W)
}

Tensor ResNetBody::forward(const Tensor& images) const {
    Tensor h = max_pool2d(stem_maps(images), /*kernel=*/2, /*stride=*/2);  // (N, w, H/2, W/2)
    h = block1(h);                                                         // (N, w, H/2, W/2)
    h = block2(h);                                                         // (N, 2w, H/4, W/4)
    h = block3(h);                                                         // (N, 4w, H/8, W/8)
    return global_avg_pool(h);                                             // (N, 4w)
}

ImageClassifier::ImageClassifier(std::shared_ptr<ResNetBody> body_, std::size_t classes, Rng& rng)
    : body(std::move(body_)), head(body ? body->features() : 1, classes, rng) {
    if (!body) throw ValueError("ImageClassifier: the body is null");
    register_module("body", body);
    register_module("head", head);
}

std::string ImageClassifier::describe() const {
    return "ImageClassifier(" + body->describe() + ", " + head.describe() + ")";
}

std::shared_ptr<ResNetBody> copy_body(const ResNetBody& body) {
    Rng rng(0);  // every parameter and buffer is overwritten below
    auto copy = std::make_shared<ResNetBody>(body.config(), rng);
    nn::load_snapshot(*copy, nn::snapshot(body));
    copy->train(body.training());
    return copy;
}

void save_body(const std::string& path, const ResNetBody& body, const std::string& lesson) {
    io::save_model(path, body, "resnet_body", body.config().to_json(), lesson);
}

std::shared_ptr<ResNetBody> load_body(const std::string& path, const std::string& make_it) {
    const io::ModelHeader h =
        io::read_model_header(path, "resnet_body", "a ResNet body", make_it, /*vocabulary=*/false);
    ResNetConfig config;
    try {
        config = ResNetConfig::from_json(h.config.json());
    } catch (const ValueError& e) {
        throw IoError(path + ": " + e.what());
    }
    Rng rng(0);  // every parameter and buffer is overwritten by the load
    auto body = std::make_shared<ResNetBody>(config, rng);
    io::load_checkpoint(path, *body);
    return body;
}

}  // namespace dikkat::vision
