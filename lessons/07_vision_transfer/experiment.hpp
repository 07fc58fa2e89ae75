// Lesson 7's machinery: batches of images, the training loop, accuracy, and a frozen body's
// features computed once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <dikkat/data/images.hpp>
#include <dikkat/io/resume.hpp>
#include <dikkat/vision/resnet.hpp>

namespace lesson7 {

using dikkat::Array;
using dikkat::Index;
using dikkat::data::ImageSet;

/// Images [from, to) of a set (a labelled subset: any 10·k target training images in a row hold k
/// of each class).
ImageSet slice(const ImageSet& set, std::size_t from, std::size_t to);

/// The first `k` images of each class, class by class (for a figure of examples).
ImageSet first_of_each(const ImageSet& set, std::size_t k);

/// The class names of a set's images, image by image (captions for viz::image_grid).
std::vector<std::string> class_names(const ImageSet& set);

/// How fit() trains.
struct Fit {
    int steps = 100;
    std::size_t batch = 64;
    float lr = 3e-3f;
    float weight_decay = 5e-4f;
    bool flips = true;       ///< mirror each training image left-right with probability 1/2
    std::string label;       ///< a progress bar with this label; none if empty
    std::uint64_t seed = 0;  ///< the batches and flips
    std::string job;         ///< the training's name in the run (Ctrl-C, --resume)
};

/// Trains the classifier's trainable parameters (frozen ones are skipped by the optimizer) on the
/// set: AdamW, shuffled batches, a short warm-up then the learning rate decayed by a cosine to 0. The model must
/// already be in the mode wanted (train(), or a frozen body in eval()). Returns every step's loss.
/// A job of `resume` named how.job.
std::vector<double> fit(dikkat::vision::ImageClassifier& model, const ImageSet& train, const Fit& how,
                        dikkat::io::Resume& resume);

/// Rows [from, to) of a (N, ...) array.
Array slice_rows(const Array& a, std::size_t from, std::size_t to);

/// The class the model scores highest for each image, 250 images at a time. Puts the model in eval
/// mode first (BatchNorm then uses its running statistics, and an image's guess does not depend on
/// the others in its batch).
std::vector<Index> predict(dikkat::vision::ImageClassifier& model, const Array& images);

/// Fraction of `truth` that `guesses` gets right.
double accuracy(const std::vector<Index>& guesses, const std::vector<Index>& truth);

/// The body's features of every image (N, 4w), after putting it in eval mode: what a frozen body
/// gives, computed once.
Array features(dikkat::vision::ResNetBody& body, const Array& images);

/// Fine-tuning's setup: the whole body frozen and in eval mode, then each of `parts` ("block3",
/// comma-separated; any top-level name of the body) trainable and in train mode. Throws ValueError
/// naming a part the body does not have.
void unfreeze_parts(dikkat::vision::ResNetBody& body, const std::string& parts);

/// Trains only the head, full batch on cached features of a frozen body (AdamW, `steps` steps).
void train_head(dikkat::nn::Linear& head, const Array& features, const std::vector<Index>& labels, int steps,
                float lr, float weight_decay);

/// The head's guesses on cached features.
std::vector<Index> head_guesses(const dikkat::nn::Linear& head, const Array& features);

/// "10,50,all" -> {10, 50, pool}. Throws ValueError naming --sizes for anything but sizes from 2 to
/// `pool` (the labelled images there are), or 'all'.
std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t pool);

/// A confusion matrix (classes, classes): row = the true class, column = the guess, each row in %.
Array confusion(const std::vector<Index>& guesses, const std::vector<Index>& truth, std::size_t classes);

}  // namespace lesson7
