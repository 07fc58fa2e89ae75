// Checkpoints: a module's parameters (and buffers, such as BatchNorm2d's running statistics)
// in a safetensors file, by their dotted names, with string
// metadata (the model's config, the vocabulary, the lesson that wrote it).
//
// Loading matches tensors to parameters by name and reports what did not fit:
//   missing     — the module has it, the file does not
//   unexpected  — the file has it, the module does not
//   mismatched  — both have it, with different shapes
// A strict load (the default) accepts none of these and changes nothing if any exist:
//     checkpoint runs/05/gpt.safetensors: missing tensors [head.weight]; unexpected [lm_head.weight]
// A non-strict load copies what fits and reports the rest — how transfer learning keeps a
// pretrained body and a freshly initialised head ("load the body, keep the new head").
//
// Optimizer state goes in its own file with save_optimizer / load_optimizer, so training can
// resume exactly where it stopped.
#pragma once

#include <string>
#include <vector>

#include <dikkat/io/safetensors.hpp>
#include <dikkat/nn/module.hpp>
#include <dikkat/optim/optimizer.hpp>

namespace dikkat::io {

/// Every parameter of `model` (named as named_parameters() names them), then every buffer
/// (named_buffers()): the tensors of its checkpoint, as PyTorch's `model.state_dict()`.
NamedArrays state_dict(const nn::Module& model);

/// Writes state_dict(model) to `path`, atomically.
void save_checkpoint(const std::string& path, const nn::Module& model, const Metadata& metadata = {});

struct LoadOptions {
    bool strict = true;  ///< throw IoError unless every name and shape matches exactly
};

struct ShapeMismatch {
    std::string name;
    Shape expected;  ///< the module's
    Shape found;     ///< the file's
};

/// What load_checkpoint did.
struct LoadReport {
    std::string path;
    std::vector<std::string> loaded;        ///< copied into the module
    std::vector<std::string> missing;       ///< in the module, not in the file (kept as they were)
    std::vector<std::string> unexpected;    ///< in the file, not in the module (ignored)
    std::vector<ShapeMismatch> mismatched;  ///< in both with different shapes (kept as they were)
    Metadata metadata;                      ///< the file's metadata
    /// True when every parameter was loaded and nothing in the file was left over.
    bool complete() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
    /// "checkpoint a.safetensors: loaded 4 tensors; missing tensors [head.weight]; ..."
    std::string describe() const;
};

/// Copies the file's tensors into `model`'s parameters and buffers with the same names. Strict: throws
/// IoError naming every missing, unexpected and mis-shaped tensor, and loads nothing. Not
/// strict: loads what matches; the report says what it skipped. File errors are IoErrors too.
LoadReport load_checkpoint(const std::string& path, nn::Module& model, LoadOptions options = {});

/// The same from tensors already read (`source` names where they came from in messages, as
/// `path` does above): how a resumed run puts its model back (io/resume.hpp).
LoadReport load_state_dict(nn::Module& model, const NamedArrays& tensors, const std::string& source,
                           LoadOptions options = {});

/// Writes the optimizer's state (moments, momentum buffers, step counts, learning rates).
void save_optimizer(const std::string& path, const optim::Optimizer& optimizer);
/// Restores it into an optimizer built over the same (named) parameters. Throws IoError
/// naming the file when the state does not fit.
void load_optimizer(const std::string& path, optim::Optimizer& optimizer);

}  // namespace dikkat::io
