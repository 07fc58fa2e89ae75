// A numbered list of layers of one kind, as PyTorch's nn.ModuleList: the children are named
// "0", "1", ..., so the parameters of a model's third layer are `layers.2.…`, the names a
// PyTorch state dict uses for the same tree.
//
//     nn::ModuleList<nn::EncoderLayer> layers;                       // a member of the model
//     register_module("layers", layers);
//     for (std::size_t i = 0; i < L; ++i) layers.add(std::make_shared<nn::EncoderLayer>(...));
//     for (const auto& layer : layers) x = layer->forward(x, keep).output;
//
// It holds the layers and names them; it does not run them (the model's forward decides how
// each is called).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <dikkat/error.hpp>
#include <dikkat/nn/module.hpp>

namespace dikkat::nn {

template <class M>
class ModuleList : public Module {
  public:
    /// Appends `layer` as child number size() and returns it.
    M& add(std::shared_ptr<M> layer) {
        items_.push_back(layer);
        return register_module(std::to_string(items_.size() - 1), std::move(layer));
    }
    std::size_t size() const { return items_.size(); }
    /// Layer i. Throws ValueError when there is no layer i.
    const std::shared_ptr<M>& operator[](std::size_t i) const {
        if (i >= items_.size())
            throw ValueError(describe() + ": no layer " + std::to_string(i) + " (they are numbered from 0)");
        return items_[i];
    }
    typename std::vector<std::shared_ptr<M>>::const_iterator begin() const { return items_.begin(); }
    typename std::vector<std::shared_ptr<M>>::const_iterator end() const { return items_.end(); }
    std::string describe() const override { return "ModuleList(" + std::to_string(items_.size()) + ")"; }

  private:
    std::vector<std::shared_ptr<M>> items_;
};

}  // namespace dikkat::nn
