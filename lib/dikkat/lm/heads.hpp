// New heads on a pretrained body — "one body, many heads", the way task-specific model classes
// work in the libraries you will meet next (a `...ForSequenceClassification` and a
// `...ForTokenClassification` around one pretrained model):
//
//     body (an LstmLM, pretrained) --features (B, T, E)--+--> concat_pool -> standardise -> Linear  (B, C)
//                                                        |     a review's class (LstmClassifier)
//                                                        +--> Linear at every position           (B, T, K)
//                                                              each word's tag (LstmTagger)
//
// The body is shared, not copied: freeze it (`classifier.freeze("body")`) and only the head
// learns; leave it trainable and the whole network is fine-tuned. copy_lstm_lm() makes an
// independent copy when the pretrained body must stay as it is for the next experiment.
#pragma once

#include <memory>
#include <string>

#include <dikkat/data/vocab.hpp>
#include <dikkat/lm/lstm_lm.hpp>
#include <dikkat/nn/linear.hpp>

namespace dikkat::lm {

/// A pooling function with concat_pool()'s signature: a lesson's exercise may stand in for it.
using PoolFunction = Tensor (*)(const Tensor& features, const Array& keep);

/// An independent copy of `model`: the same configuration and parameter values.
std::shared_ptr<LstmLM> copy_lstm_lm(const LstmLM& model);

/// A review classifier: the body's outputs pooled ([last, max, mean], concat_pool), standardised
/// with fixed statistics (`mean`, `inv_std`: not trained, saved with the model), then a linear layer
/// to `classes` scores.
class LstmClassifier : public nn::Module {
  public:
    /// Parameters: body.* (shared), mean and inv_std (3E, frozen), head.{weight, bias} (3E, C).
    LstmClassifier(std::shared_ptr<LstmLM> body, std::size_t classes, Rng& rng);

    /// ids (B, T), keep (B, T) (1 at real words, each row's words first) -> scores (B, C).
    Tensor forward(const IndexArray& ids, const Array& keep) const;
    /// The head alone, on pooled features (B, 3E) -> (B, C): what a frozen body's cached features need.
    Tensor head_forward(const Tensor& pooled) const;
    /// The body's pooled features of a batch, (B, 3E), before standardisation.
    Tensor pooled(const IndexArray& ids, const Array& keep) const;
    /// Sets the fixed standardisation: mean (3E) and std (3E; a std below 1e-6 counts as 1).
    void set_standardization(const Array& mean, const Array& std);
    /// The same, with the mean and std over the rows of `features` (N, 3E): the pooled features
    /// of reviews the classifier is not trained on.
    void set_standardization_from(const Array& features);

    std::string describe() const override;

    std::shared_ptr<LstmLM> body;
    Tensor mean, inv_std;
    nn::Linear head;
    /// How the body's outputs become one vector (an exercise may replace it).
    PoolFunction pool = concat_pool;
};

/// A word tagger: a linear layer from the body's output at every position to `tags` scores.
class LstmTagger : public nn::Module {
  public:
    /// Parameters: body.* (shared), head.{weight, bias} (E, K).
    LstmTagger(std::shared_ptr<LstmLM> body, std::size_t tags, Rng& rng);
    /// ids (B, T), keep (B, T) -> scores (B, T, K).
    Tensor forward(const IndexArray& ids, const Array& keep) const;
    std::string describe() const override;

    std::shared_ptr<LstmLM> body;
    nn::Linear head;
};

/// Writes the classifier (body, standardisation and head) with the body's configuration, the class
/// count and the vocabulary in the metadata (io::save_model, kind "lstm_classifier").
void save_classifier(const std::string& path, const LstmClassifier& model, const data::Vocab& vocab,
                     const std::string& lesson);
/// A classifier read back from a checkpoint, with its vocabulary.
struct LoadedClassifier {
    std::unique_ptr<LstmClassifier> model;
    data::Vocab vocab;
};
/// Reads what save_classifier() wrote. Throws IoError naming the file (and `make_it` when missing).
LoadedClassifier load_classifier(const std::string& path, const std::string& make_it = "");

}  // namespace dikkat::lm
