// Ctrl-C and --resume (io/resume.hpp): a run stopped at a step and resumed ends bitwise where the
// run that never stopped ends — parameters, optimizer state, metrics and everything logged — and a
// resume file that is missing, damaged or from another run is refused with its path.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/io.hpp>
#include <dikkat/nn.hpp>
#include <dikkat/ops.hpp>
#include <dikkat/optim.hpp>

#include "io_test_util.hpp"

using namespace dikkat;
using io_test::TempDir;

namespace resume_test {

// B batch, F features, C classes
constexpr std::size_t N = 40, F = 4, C = 3, B = 8;

// A tiny classifier with a Dropout, so that a generator inside the model must be saved too.
struct Tiny : nn::Module {
    nn::Linear hidden, out;
    nn::Dropout drop;
    explicit Tiny(Rng& rng) : hidden(F, 6, rng), out(6, C, rng), drop(0.3f, rng) {
        register_module("hidden", hidden);
        register_module("drop", drop);
        register_module("out", out);
    }
    Tensor forward(const Tensor& x) const { return out(drop(tanh(hidden(x)))); }
};

struct Data {
    Array x = Rng(11).normal_array({N, F});  // (N, F)
    std::vector<Index> y;
    Data() {
        Rng rng(12);
        for (std::size_t i = 0; i < N; ++i) y.push_back(Index(rng.below(C)));
    }
    // One training step of `model` on the examples `pick`: returns the loss.
    double step(Tiny& model, optim::Optimizer& opt, const std::vector<std::size_t>& pick) const {
        Array xb(Shape{pick.size(), F});
        IndexArray yb(IndexArray::shape_type{pick.size()});
        for (std::size_t b = 0; b < pick.size(); ++b) {
            for (std::size_t f = 0; f < F; ++f) xb(b, f) = x(pick[b], f);
            yb(b) = y[pick[b]];
        }
        Tensor loss = cross_entropy(model.forward(Tensor(xb)), yb);  // (B, C) vs (B)
        model.zero_grad();
        loss.backward();
        opt.step();
        return double(loss.item());
    }
};

// What a run ends with.
struct Outcome {
    std::vector<Array> model;
    optim::OptimizerState adam;
    std::vector<double> losses;
    std::string metrics;
    std::string picks;  ///< the first example of every batch, as text
};

// A run of two jobs: "warmup" (SGD with momentum, batches drawn with an Rng), then "main" (Adam, a
// Batcher's epochs, a metrics file, the losses kept), then the training is done.
Outcome run_training(io::Resume& resume, const std::string& metrics_path) {
    const Data data;
    Rng init(7);
    Tiny model(init);
    {
        optim::SGD sgd(model, {0.1f, 0.9f});
        Rng draw(3);
        io::Job job = resume.job("warmup", 6);
        job.track("model", model).track("sgd", sgd).track("draw", draw);
        for (std::size_t step = job.restore() + 1; step <= 6; ++step) {
            std::vector<std::size_t> pick;
            for (std::size_t b = 0; b < B; ++b) pick.push_back(draw.below(N));
            data.step(model, sgd, pick);
            job.step_done(step);
        }
    }
    optim::Adam adam(model, {0.02f});
    data::Batcher batcher(N, B, /*seed=*/5);
    io::MetricsWriter metrics(metrics_path, {"loss"});
    std::vector<double> losses;
    std::string picks;
    std::vector<std::vector<std::size_t>> epoch;
    io::Job job = resume.job("main", 17);
    job.track("model", model).track("adam", adam).track("batches", batcher).track("metrics", metrics);
    job.track("losses", losses).track("picks", picks).track_value("epoch", epoch);
    for (std::size_t step = job.restore() + 1; step <= 17; ++step) {
        if (epoch.empty()) epoch = batcher.epoch();
        const std::vector<std::size_t> pick = epoch.back();
        epoch.pop_back();
        picks += std::to_string(pick.front()) + " ";
        losses.push_back(data.step(model, adam, pick));
        metrics.log(step, {losses.back()});
        job.step_done(step);
    }
    resume.training_done();
    return {nn::snapshot(model), adam.state_dict(), losses, io_test::read_bytes(metrics_path), picks};
}

io::ResumeOptions options(bool resume, const std::string& steps = "17") {
    return {"test_resume",
            {{"seed", "0"}, {"steps", steps}, {"out", "anywhere"}, {"resume", "x"}},
            "./test_resume --steps " + steps + " --resume",
            resume};
}

bool same_bits(const Array& a, const Array& b) {
    return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void check_same(const Outcome& a, const Outcome& b) {
    REQUIRE(a.model.size() == b.model.size());
    for (std::size_t i = 0; i < a.model.size(); ++i) CHECK_MESSAGE(same_bits(a.model[i], b.model[i]), i);
    REQUIRE(a.adam.tensors.size() == b.adam.tensors.size());
    for (std::size_t i = 0; i < a.adam.tensors.size(); ++i) {
        CHECK(a.adam.tensors[i].first == b.adam.tensors[i].first);
        CHECK_MESSAGE(same_bits(a.adam.tensors[i].second, b.adam.tensors[i].second), a.adam.tensors[i].first);
    }
    CHECK(a.adam.metadata == b.adam.metadata);
    CHECK(a.losses == b.losses);  // doubles, compared exactly
    CHECK(a.picks == b.picks);
    CHECK(a.metrics == b.metrics);
}

// Sets DIKKAT_INTERRUPT_AT_STEP for as long as it lives.
struct InterruptAt {
    explicit InterruptAt(const std::string& where) { ::setenv("DIKKAT_INTERRUPT_AT_STEP", where.c_str(), 1); }
    ~InterruptAt() { ::unsetenv("DIKKAT_INTERRUPT_AT_STEP"); }
};

// A run stopped by the hook at `where`, then resumed in the same folder: what the resumed run ends
// with, and the message of the stop.
std::pair<Outcome, std::string> stop_and_resume(const TempDir& dir, const std::string& where) {
    io::RunFolder run(dir.file("stopped"));
    const std::string metrics = dir.file("stopped/metrics.csv");
    std::string message;
    {
        InterruptAt hook(where);
        io::Resume resume(run, options(false));
        try {
            run_training(resume, metrics);
            FAIL("the run was not interrupted at " << where);
        } catch (const io::Interrupted& e) {
            message = e.what();
        }
    }
    REQUIRE(std::filesystem::exists(run.dir() + "/resume.safetensors"));
    io::Resume resume(run, options(true));
    Outcome resumed = run_training(resume, metrics);
    resume.complete();
    CHECK_FALSE(std::filesystem::exists(run.dir() + "/resume.safetensors"));
    return {resumed, message};
}

Outcome uninterrupted(const TempDir& dir) {
    io::RunFolder run(dir.file("whole"));
    io::Resume resume(run, options(false));
    Outcome whole = run_training(resume, dir.file("whole/metrics.csv"));
    resume.complete();
    return whole;
}

TEST_CASE("a run stopped by Ctrl-C in its second job and resumed ends bitwise as the run never stopped") {
    TempDir dir;
    const Outcome whole = uninterrupted(dir);
    const auto [resumed, message] = stop_and_resume(dir, "main:9");
    CHECK(message.find("stopped 'main' after step 9 of 17") != std::string::npos);
    CHECK(message.find("resume.safetensors") != std::string::npos);
    CHECK(message.find("Continue it with:\n  ./test_resume --steps 17 --resume") != std::string::npos);
    check_same(whole, resumed);
}

TEST_CASE("a run stopped in its first job, or between jobs, resumes to the same bits") {
    TempDir dir;
    const Outcome whole = uninterrupted(dir);
    SUBCASE("in the first job") {
        const auto [resumed, message] = stop_and_resume(dir, "warmup:2");
        CHECK(message.find("stopped 'warmup' after step 2 of 6") != std::string::npos);
        check_same(whole, resumed);
    }
    SUBCASE("at the last step of the first job") {
        const auto [resumed, message] = stop_and_resume(dir, "warmup:6");
        CHECK(message.find("after the last step of 'warmup'") != std::string::npos);
        check_same(whole, resumed);
    }
    SUBCASE("when the second job starts") {
        const auto [resumed, message] = stop_and_resume(dir, "main:0");
        CHECK(message.find("before the first step of 'main'") != std::string::npos);
        check_same(whole, resumed);
    }
}

TEST_CASE("a resumed run stopped again resumes again to the same bits") {
    TempDir dir;
    const Outcome whole = uninterrupted(dir);
    io::RunFolder run(dir.file("stopped"));
    const std::string metrics = dir.file("stopped/metrics.csv");
    for (const char* where : {"warmup:3", "main:4", "main:12"}) {
        InterruptAt hook(where);
        io::Resume resume(run, options(std::string(where) != "warmup:3"));
        CHECK_THROWS_AS(run_training(resume, metrics), io::Interrupted);
    }
    io::Resume resume(run, options(true));
    check_same(whole, run_training(resume, metrics));
}

TEST_CASE("--resume names the resume file when it is missing, damaged, or from another run") {
    TempDir dir;
    io::RunFolder run(dir.file("run"));
    const std::string path = run.dir() + "/resume.safetensors";
    const auto refusal = [&](io::ResumeOptions o) {
        try {
            io::Resume resume(run, std::move(o));
        } catch (const IoError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK(refusal(options(true)).find(path + " does not exist") != std::string::npos);

    {
        InterruptAt hook("main:5");
        io::Resume resume(run, options(false));
        CHECK_THROWS_AS(run_training(resume, dir.file("run/metrics.csv")), io::Interrupted);
    }
    SUBCASE("other flags") {
        const std::string e = refusal(options(true, "30"));
        CHECK(e.find("cannot resume from " + path) != std::string::npos);
        CHECK(e.find("--steps 17 then, 30 now") != std::string::npos);
    }
    SUBCASE("another lesson") {
        io::ResumeOptions o = options(true);
        o.lesson = "another";
        CHECK(refusal(o).find("saved by lesson test_resume, not another") != std::string::npos);
    }
    SUBCASE("a damaged file") {
        const std::string bytes = io_test::read_bytes(path);
        io_test::write_bytes(path, bytes.substr(0, bytes.size() / 2));
        CHECK(refusal(options(true)).find(path) != std::string::npos);
    }
    SUBCASE("a checkpoint, not a resume file") {
        Rng rng(0);
        io::save_checkpoint(path, Tiny(rng));
        CHECK(refusal(options(true)).find("it is not a resume file") != std::string::npos);
    }
    SUBCASE("a run whose jobs keep other things") {
        io::Resume resume(run, options(true));
        Rng rng(0);
        Tiny model(rng);
        io::Job job = resume.job("warmup", 6);
        job.track("model", model);  // no "sgd", no "draw"
        CHECK_THROWS_WITH_AS(job.restore(), doctest::Contains("holds a 'draw' that this run does not have"),
                             IoError);
    }
}

TEST_CASE("a job outside a run restores nothing and Ctrl-C keeps its meaning") {
    Rng rng(0);
    Tiny model(rng);
    io::Job job(3);
    job.track("model", model);
    CHECK_THROWS_AS(job.track("model", rng), ValueError);  // a name twice
    CHECK(job.restore() == 0);
    CHECK_THROWS_WITH_AS(job.track("late", rng), doctest::Contains("tracked after restore()"), ValueError);
    for (std::size_t step = 1; step <= 3; ++step) job.step_done(step);
    CHECK_THROWS_AS(job.step_done(4), ValueError);
}

TEST_CASE("DIKKAT_INTERRUPT_AT_STEP must be a step or a job and a step") {
    TempDir dir;
    io::RunFolder run(dir.file("run"));
    InterruptAt hook("main:soon");
    CHECK_THROWS_WITH_AS(io::Resume(run, options(false)), doctest::Contains("DIKKAT_INTERRUPT_AT_STEP"),
                         ValueError);
}

TEST_CASE("a generator continues from its saved state with the same numbers, normals included") {
    Rng a(42);
    a.normal();  // leaves the second Box–Muller value for the next call
    Rng b(0);
    b.set_state(a.state());
    for (int i = 0; i < 5; ++i) CHECK(a.normal() == b.normal());
    CHECK(a.next_u32() == b.next_u32());
    CHECK_THROWS_AS(b.set_state("mt19937 1 2 3"), ValueError);
}

TEST_CASE("a Batcher and a StreamBatcher continue from their saved state") {
    data::Batcher a = data::Batcher::bucketed({3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, 3, /*seed=*/1);
    a.epoch();
    data::Batcher b = data::Batcher::bucketed({3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, 3, /*seed=*/99);
    b.set_state(a.state());
    CHECK(a.epoch() == b.epoch());
    CHECK(b.epochs_done() == 2);

    const std::vector<Index> tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    data::StreamBatcher s(tokens, 2, 3), t(tokens, 2, 3);
    IndexArray x, y, x2, y2;
    s.next(x, y);
    t.set_state(s.state());
    s.next(x, y);
    t.next(x2, y2);
    CHECK(x == x2);
    CHECK_THROWS_AS(t.set_state("4"), ValueError);  // not where a window starts
}

TEST_CASE("a MetricsWriter writes its saved rows again and goes on after them") {
    TempDir dir;
    const std::string path = dir.file("metrics.csv");
    std::string saved;
    {
        io::MetricsWriter m(path, {"loss"});
        m.log(1, {0.5});
        saved = m.state();
        m.log(2, {0.25});  // a row the stopped run wrote after its last save: dropped
    }
    io::MetricsWriter m(path, {"loss"});
    m.set_state(saved);
    m.log(2, {0.125});
    CHECK(io_test::read_bytes(path) == "step,loss\n1,0.5\n2,0.125\n");
    CHECK_THROWS_AS(io::MetricsWriter(dir.file("other.csv"), {"bits"}).set_state(saved), ValueError);
}
}  // namespace resume_test
