// torch_peer: the PyTorch peers of tests/perf/bench, written with libtorch's C++ frontend.
//
// tests/perf/torch_peer.py builds each benchmark configuration in eager Python PyTorch.
// This program builds the very same models (same shapes, same layer order, so the same
// initialisation from torch::manual_seed(0); the same random tokens from a generator seeded
// 1234), float32, and times the same step
//     zero_grad -> forward -> cross-entropy -> backward -> Adam(lr 1e-3).step
// but with no Python interpreter between the ops: the difference between the two peers is
// the cost of Python, the difference to bench is Dikkat's.
//
// The models use torch::nn's Embedding, Linear and LayerNorm modules (so their default
// initialisation, which matches PyTorch's), but call every Linear through torch::linear, the
// op Python's F.linear calls: libtorch 1.13's nn::Linear::forward computes 3-D inputs another
// way (see linear() in torch_peer_models.hpp, where the models are), which would make this peer
// neither the same arithmetic nor the same op count as the Python one. With that, last_loss
// agrees with the Python to the bit.
//
// Configs, the seven of bench: rnn_lm, seq2seq, bahdanau, transformer, gpt_small, gpt_small_infer,
// finetune_head.
//   gpt_small_infer  forward only, under NoGradGuard with the model in eval mode; as in the
//                    Python, the step is the body's features (no LM head, no loss) and
//                    "last_loss" is the mean of those features.
//   finetune_head    the gpt_small body frozen and run under NoGradGuard, mean-pooled; only
//                    the Linear(128, 2) head is trained.
//
// Build (off by default; needs Debian's libtorch-dev):
//     cmake -S . -B build -DDIKKAT_TORCH_PEER=ON && cmake --build build --target torch_peer
// Run:
//     OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 build/tests/perf/torch_peer --config gpt_small
//         --threads 1 [--steps 30] [--warmup 5]
//
// Threads: --threads N calls torch::set_num_threads(N) first thing (torch's OpenMP pool). But
// Debian's torch does its matmuls in the *pthread* OpenBLAS, whose thread count that call does
// NOT control: the caller must set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) in the
// environment before the program starts (tests/perf/compare sets both). The "blas" object of the
// result says which OpenBLAS core and how many threads the time was measured with.
//
// Output, as the Python peer and bench print it: the untimed warm-up steps (--warmup, plus
// one, as the Python's extra FLOP-counting step; "warmup" reports that total), then --steps
// timed steps; one line "RESULT {json}" (median_ms, min_ms, p90_ms, params: every parameter
// of the model as the Python's "params" counts them, trainable_params: those Adam updates,
// peak_rss_mb, last_loss, ...), then one line
//     config=NAME threads=N ms_per_step=MEDIAN peak_rss_mb=RSS
#include <dlfcn.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "torch_peer_models.hpp"

namespace {

using namespace torch_peer;
using torch::Tensor;

// ---------------------------------------------------------------------------------------------
// Command line, measurement, report.
// ---------------------------------------------------------------------------------------------

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

const char* kUsage =
    "usage: torch_peer --config NAME [--threads N] [--steps 30] [--warmup 5]\n"
    "  Milliseconds per training step of the PyTorch peers (torch_peer.py), in libtorch C++.\n"
    "  --config NAME  rnn_lm | seq2seq | bahdanau | transformer | gpt_small | gpt_small_infer |\n"
    "                 finetune_head (default rnn_lm)\n"
    "  --threads N    torch::set_num_threads(N) (default 1); set OPENBLAS_NUM_THREADS and\n"
    "                 OMP_NUM_THREADS in the environment too: Debian's torch multiplies\n"
    "                 matrices in OpenBLAS, which this flag does not control\n"
    "  --steps N      timed steps (default 30)\n"
    "  --warmup N     untimed steps before them, plus one (default 5)\n"
    "  --help         this text\n"
    "Prints 'RESULT {json}' and 'config=NAME threads=N ms_per_step=X peak_rss_mb=Y'.\n";

struct Args {
    std::string config = "rnn_lm";
    int threads = 1, steps = 30, warmup = 5;
};

// A usage error: one line naming the bad value, the usage line, exit code 2.
[[noreturn]] void usage_error(const std::string& message) {
    const std::string usage(kUsage);
    std::cerr << "error: " << message << "\n"
              << usage.substr(0, usage.find('\n')) << " (run 'torch_peer --help' for details)\n";
    std::exit(2);
}

int parse_int(const std::string& flag, const std::string& value, int min) {
    std::size_t used = 0;
    int n = 0;
    try {
        n = std::stoi(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size() || n < min)
        usage_error(flag + " wants an integer >= " + std::to_string(min) + ", got '" + value + "'");
    return n;
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i], value;
        if (flag == "--help" || flag == "-h") {
            std::cout << kUsage;
            std::exit(0);
        }
        if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);  // --flag=value
            flag = flag.substr(0, eq);
        } else if (flag == "--config" || flag == "--threads" || flag == "--steps" || flag == "--warmup") {
            if (i + 1 >= argc) usage_error(flag + " needs a value");
            value = argv[++i];
        }
        if (flag == "--config") {
            if (std::find(kConfigs.begin(), kConfigs.end(), value) == kConfigs.end())
                usage_error("unknown config '" + value + "'; valid configs: " + join(kConfigs));
            a.config = value;
        } else if (flag == "--threads") {
            a.threads = parse_int(flag, value, 1);
        } else if (flag == "--steps") {
            a.steps = parse_int(flag, value, 1);
        } else if (flag == "--warmup") {
            a.warmup = parse_int(flag, value, 0);
        } else {
            usage_error(std::string("unknown argument '") + argv[i] +
                        "'; valid flags: --config, --threads, --steps, --warmup, --help");
        }
    }
    return a;
}

double peak_rss_mb() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return static_cast<double>(r.ru_maxrss) / 1024.0;
}

// The OpenBLAS that torch's matmuls run in (looked up at run time: torch loads it, we do not
// link it). Null when the BLAS is not OpenBLAS.
nlohmann::json blas_info() {
    using corename_fn = char* (*)();
    using threads_fn = int (*)();
    auto corename = reinterpret_cast<corename_fn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    auto threads = reinterpret_cast<threads_fn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    if (!corename || !threads) return nullptr;
    return {{"library", "OpenBLAS"}, {"core", corename()}, {"threads", threads()}};
}

}  // namespace

int main(int argc, char** argv) try {
    const Args args = parse_args(argc, argv);
    torch::set_num_threads(args.threads);

    Setup s = make(args.config);
    std::vector<Tensor> trainable;
    int64_t params = 0, n_trainable = 0;
    for (const auto& p : s.model->parameters()) {
        params += p.numel();
        if (p.requires_grad()) {
            trainable.push_back(p);
            n_trainable += p.numel();
        }
    }
    std::optional<torch::optim::Adam> adam;
    if (s.train) {
        adam.emplace(trainable, torch::optim::AdamOptions(1e-3));
    } else {
        s.model->eval();
    }
    auto step = [&]() -> Tensor {
        if (!s.train) {
            torch::NoGradGuard no_grad;
            return s.run();
        }
        for (auto& p : trainable) p.mutable_grad() = Tensor();  // zero_grad(set_to_none=True)
        Tensor loss = s.run();
        loss.backward();
        adam->step();
        return loss;
    };

    const int warmup = args.warmup + 1;  // the Python's FLOP-counting step + its warm-up
    for (int i = 0; i < warmup; ++i) step();
    std::vector<double> ms;
    Tensor out;
    for (int i = 0; i < args.steps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        out = step();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const std::size_t n = ms.size();
    const double median = n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
    const double p90 = ms[static_cast<std::size_t>(0.9 * static_cast<double>(n - 1))];
    const double rss = peak_rss_mb();

    nlohmann::json result = {{"config", args.config},
                             {"threads", args.threads},
                             {"median_ms", median},
                             {"min_ms", ms.front()},
                             {"p90_ms", p90},
                             {"steps", args.steps},
                             {"warmup", warmup},
                             {"params", params},
                             {"trainable_params", n_trainable},
                             {"tokens_per_step", s.tokens_per_step},
                             {"peak_rss_mb", rss},
                             {"last_loss", out.to(torch::kFloat).mean().item<double>()},
                             {"torch_threads", torch::get_num_threads()},
                             {"blas", blas_info()},
                             {"peer", "libtorch"}};
    std::cout << "RESULT " << result.dump() << "\n";
    std::printf("config=%s threads=%d ms_per_step=%.3f peak_rss_mb=%.1f\n", args.config.c_str(), args.threads,
                median, rss);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
