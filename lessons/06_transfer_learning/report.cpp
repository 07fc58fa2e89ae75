#include "report.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <dikkat/io.hpp>
#include <dikkat/viz/plot.hpp>

using namespace dikkat;

namespace lesson6 {

const std::vector<std::string>& Results::methods() {
    static const std::vector<std::string> m = {"transfer_frozen", "transfer_unfrozen", "no_adaptation",
                                               "scratch"};
    return m;
}

const std::vector<Accuracy>* Results::runs(const std::string& method, std::size_t N) const {
    const auto m = runs_.find(method);
    if (m == runs_.end()) return nullptr;
    const auto n = m->second.find(N);
    return n == m->second.end() || n->second.empty() ? nullptr : &n->second;
}

double Results::first(const std::string& method, std::size_t N) const {
    const std::vector<Accuracy>* r = runs(method, N);
    return r ? r->front().all : std::nan("");
}

double Results::mean(const std::string& method, std::size_t N) const {
    const std::vector<Accuracy>* r = runs(method, N);
    if (!r) return std::nan("");
    std::vector<double> all;
    for (const Accuracy& a : *r) all.push_back(a.all);
    return io::mean_std(all).number("mean");
}

void Results::report(const std::vector<std::size_t>& Ns, io::JsonObject& summary) const {
    std::printf("\n6. Test accuracy (mean over seeds; all / negation / contrast)\n\n  %-18s", "N");
    for (std::size_t N : Ns) std::printf(" %16zu", N);
    std::printf("\n");
    for (const std::string& method : methods()) {
        std::printf("  %-18s", method.c_str());
        for (std::size_t N : Ns) {
            std::vector<double> all, neg, con;
            if (const std::vector<Accuracy>* r = runs(method, N))
                for (const Accuracy& a : *r)
                    all.push_back(a.all), neg.push_back(a.negation), con.push_back(a.contrast);
            const io::JsonObject m = io::mean_std(all), m_neg = io::mean_std(neg), m_con = io::mean_std(con);
            std::printf("  %4.1f %4.1f %4.1f", 100 * m.number("mean"), 100 * m_neg.number("mean"),
                        100 * m_con.number("mean"));
            summary.json()["accuracy"][method][std::to_string(N)] =
                all.size() == 1 ? nlohmann::json(all[0]) : m.json();
            summary.json()["subsets"][method][std::to_string(N)] = {{"negation", m_neg.json()},
                                                                    {"contrast", m_con.json()}};
        }
        std::printf("\n");
    }
}

void Results::plot(const std::vector<std::size_t>& Ns, const std::string& svg_path) const {
    viz::LinePlot p("Test accuracy against the number of labelled reviews");
    std::vector<double> xs;
    for (std::size_t N : Ns) xs.push_back(double(N));
    for (const std::string& method : methods()) {
        std::vector<double> ys;
        for (std::size_t N : Ns) ys.push_back(100 * mean(method, N));
        p.add_series(method, xs, ys, method == "no_adaptation");
    }
    p.log_x().x_label("labelled reviews N (log scale)").y_label("test accuracy (%)").y_range(40, 100);
    p.write_svg(svg_path);
}

void plot_lm_loss(const std::vector<double>& stage_1, const std::vector<double>& stage_2,
                  const std::string& svg_path) {
    viz::LinePlot p("Stages 1 and 2: the language model's training loss");
    std::vector<double> xs2;
    for (std::size_t i = 0; i < stage_2.size(); ++i) xs2.push_back(double(stage_1.size() + i + 1));
    if (!stage_1.empty()) p.add_series("stage 1: general text", viz::one_to(stage_1.size()), stage_1);
    if (!stage_2.empty()) p.add_series("stage 2: unlabelled reviews", xs2, stage_2);
    p.x_label("window").y_label("nats per word");
    p.write_svg(svg_path);
}

}  // namespace lesson6
