// A small residual network for 32×32 colour images — lesson 7's body — and a classifier made of
// that body and a linear head.
//
//     image (N, 3, 32, 32)
//       stem     5×5 conv, 3 → w channels, BatchNorm, ReLU     (N, w, 32, 32)   edge and colour detectors
//       pool     2×2 max                                      (N, w, 16, 16)
//       block1   ResidualBlock(w, w)                          (N, w, 16, 16)
//       block2   ResidualBlock(w, 2w, stride 2)               (N, 2w, 8, 8)
//       block3   ResidualBlock(2w, 4w, stride 2)              (N, 4w, 4, 4)
//       average over the picture                              (N, 4w)          the body's features
//     head       Linear(4w, classes)                          (N, classes)
//
// The shape of torchvision's ResNet-18 (a stem, a max-pool, residual stages that halve the
// picture and double the channels, a global average pool, one linear layer), cut to three blocks
// and w = 16 so that it trains on two cores in a minute. The stem's 5×5 filters (instead of 3×3)
// make the first layer's weights large enough to look at, and they start at a tenth of Conv2d's
// usual scale: the BatchNorm after the stem makes its output the same whatever the scale, so
// this changes nothing the network computes — but from a small start, the filters it ends with
// show what it learned rather than the random numbers it began with (lesson 7, §4).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/nn/linear.hpp>
#include <dikkat/nn/residual.hpp>
#include <dikkat/random.hpp>

namespace dikkat::vision {

struct ResNetConfig {
    std::size_t width = 16;       ///< the stem's channels w; the blocks have w, 2w and 4w
    std::size_t stem_kernel = 5;  ///< the stem's filter size (odd)
    /// {"width": 16, "stem_kernel": 5}, for a checkpoint's metadata and summary.json.
    nlohmann::json to_json() const;
    /// Reads to_json()'s object; throws ValueError naming the field that is missing or wrong.
    static ResNetConfig from_json(const nlohmann::json& j);
};
/// Its to_json(), for nlohmann::json and io::JsonObject::set.
void to_json(nlohmann::json& j, const ResNetConfig& config);

/// The body: an image to a vector of 4w features.
class ResNetBody : public nn::Module {
  public:
    ResNetBody(const ResNetConfig& config, Rng& rng);

    /// images (N, 3, H, W) -> features (N, 4w). H and W must be at least 8 (32 in the lesson).
    Tensor forward(const Tensor& images) const;
    Tensor operator()(const Tensor& images) const { return forward(images); }
    /// What the stem sees: its w feature maps after the ReLU, (N, w, H, W).
    Tensor stem_maps(const Tensor& images) const;

    /// One of the body's top-level parts by name — "stem", "stem_bn", "block1", "block2",
    /// "block3" — e.g. to put just that part in train mode. Throws ValueError listing the names.
    nn::Module& part(const std::string& name);

    std::size_t features() const { return 4 * config_.width; }
    const ResNetConfig& config() const { return config_; }
    std::string describe() const override;

    nn::Conv2d stem;
    nn::BatchNorm2d stem_bn;
    nn::ResidualBlock block1, block2, block3;

  private:
    ResNetConfig config_;
};

/// A body and a head: images (N, 3, H, W) -> class scores (N, classes). The body is shared (a
/// pretrained body can carry several heads); its parameters are named "body.…", the head's "head.…".
class ImageClassifier : public nn::Module {
  public:
    ImageClassifier(std::shared_ptr<ResNetBody> body, std::size_t classes, Rng& rng);

    Tensor forward(const Tensor& images) const { return head(body->forward(images)); }
    Tensor operator()(const Tensor& images) const { return forward(images); }
    std::string describe() const override;

    std::shared_ptr<ResNetBody> body;
    nn::Linear head;
};

/// A new body with the same configuration, parameters and BatchNorm statistics (each experiment
/// fine-tunes its own copy).
std::shared_ptr<ResNetBody> copy_body(const ResNetBody& body);

/// Writes the body (parameters and BatchNorm statistics) with metadata lesson, kind "resnet_body"
/// and config.
void save_body(const std::string& path, const ResNetBody& body, const std::string& lesson);
/// Builds a body from the file's config and loads it. Throws IoError naming the file, and
/// `make_it` (the command that writes it) when the file does not exist.
std::shared_ptr<ResNetBody> load_body(const std::string& path, const std::string& make_it);

}  // namespace dikkat::vision
