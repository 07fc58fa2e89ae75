#include "figures.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include <dikkat/dikkat.hpp>
#include <dikkat/viz/heatmap.hpp>
#include <dikkat/viz/svg.hpp>

using namespace dikkat;

namespace lesson5 {

void draw_attention(const lm::TransformerLM* gpt, const lm::TransformerLM* bert,
                    const std::vector<Index>& valid, const data::Vocab& vocab, std::size_t context,
                    io::RunFolder& run) {
    const std::size_t drawn = std::min<std::size_t>(12, context);  // words in the figures
    std::vector<Index> sentence;  // the first words of the first paragraph that has 4 or more
    for (std::size_t t = 0; t < valid.size() && sentence.size() < drawn; ++t) {
        if (valid[t] != data::Vocab::eos_id) {
            sentence.push_back(valid[t]);
        } else if (sentence.size() < 4) {
            sentence.clear();  // too short to show anything: the next paragraph
        } else {
            break;
        }
    }
    if (sentence.size() < 2) return;  // the text has no sentence to draw
    std::vector<std::string> labels;
    for (Index id : sentence) labels.push_back(vocab.token(id));
    IndexArray row(IndexArray::shape_type{1, sentence.size()});
    std::copy(sentence.begin(), sentence.end(), row.begin());
    const Array gpt_mask = causal_mask(sentence.size()),
                bert_mask = xt::ones<float>({sentence.size(), sentence.size()});
    std::vector<std::string> mask_panels;
    for (const auto& [title, mask] :
         {std::pair<std::string, const Array*>{"GPT: causal (the decoder's)", &gpt_mask},
          {"BERT: everything (the encoder's)", &bert_mask}})
        mask_panels.push_back(viz::Heatmap(*mask)
                                  .title(title)
                                  .row_labels(labels)
                                  .col_labels(labels)
                                  .colormap(viz::Colormap::blues)
                                  .range(0.0f, 1.0f)
                                  .y_label("query (reading)")
                                  .x_label("key (read)")
                                  .to_svg());
    viz::write_text_file(run.file("masks.svg", "the two attention masks side by side"),
                         viz::panels(mask_panels, 2));
    for (const lm::TransformerLM* m : {gpt, bert}) {  // BERT reads it with one word hidden
        if (!m) continue;
        NoGrad no_grad;
        IndexArray input = row;
        std::vector<std::string> shown = labels;
        if (m == bert) {
            input(0, sentence.size() / 2) = data::Vocab::mask_id;
            shown[sentence.size() / 2] = "<mask>";
        }
        std::vector<Tensor> weights;
        m->forward(input, {}, &weights);
        const std::string name = lm::to_string(m->config().objective);
        std::vector<Array> layers;  // (1, H, T, T) each
        for (const Tensor& w : weights) layers.push_back(w.value());
        viz::write_text_file(run.file("attention_" + name + ".svg",
                                      name + "'s attention, every layer and head, on one sentence"),
                             viz::head_panels(layers, 1, shown, shown, m == gpt ? "GPT" : "BERT",
                                              "query (reading)", "key (read)"));
    }
}

}  // namespace lesson5
