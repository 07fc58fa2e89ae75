// Ctrl-C during training, and --resume: a run that was stopped continues where it stopped, and
// ends with the very numbers of a run that never stopped.
//
// A lesson's training is one or more jobs: loops with a name ("train", "stage1",
// "scratch/N64/seed0") and a number of steps. A job is told what its loop carries from one step
// to the next — the model, the optimizer, where it is in the data, its random generators, what
// it has logged — and hears of the end of every step:
//
//     io::Resume resume(run, cli.resume_options());    // with --resume: reads the saved run now
//     ...
//     io::Job job = resume.job("train", steps);
//     job.track("model", model).track("adam", adam).track("batches", batcher)
//         .track("metrics", metrics).track("losses", losses);
//     for (std::size_t step = job.restore() + 1; step <= steps; ++step) {
//         ... a batch, forward, backward, adam.step(), log the loss ...
//         job.step_done(step);   // after Ctrl-C: saves the run here and throws io::Interrupted
//     }
//     ...
//     resume.training_done();    // from here on Ctrl-C quits at once, as usual
//     ... evaluate, write the run's files ...
//     resume.complete();         // the run is whole: its resume file is deleted
//
// Ctrl-C (SIGINT) only sets a flag (interrupt.hpp); the loop reads it at the end of a step, when
// the model, the optimizer and the data agree. Then every finished job's end state and the
// interrupted job's state go into one file, <run folder>/resume.safetensors (written atomically),
// and main() prints how to continue and exits with 130. A second Ctrl-C quits at once.
//
// --resume runs the program from the top again, with the same flags. Whatever comes before or
// between jobs is computed again (same seed, same numbers); a job that had finished is restored
// as it ended instead of trained again; the interrupted job continues after its step. With one
// thread the result is bitwise that of the run that was never stopped: the same checkpoints,
// the same metrics.csv, the same summary.json but for its timings.
//
// What a job must be told: everything its loop changes that a later step, or the code after the
// loop, reads — a thing left out is the one difference a test of the lesson's --resume finds.
// A finished job keeps everything but its optimizers (in every loop here an optimizer is made for
// its loop and dies with it); those are saved only for the job that was interrupted.
//
// For tests, DIKKAT_INTERRUPT_AT_STEP=k (or =<job>:k) makes the first job to finish step k (or
// that job) send itself SIGINT there, so that the real signal path runs at a chosen step;
// <job>:0 sends it when that job starts.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dikkat/io/safetensors.hpp>

namespace dikkat {
class Rng;
}  // namespace dikkat
namespace dikkat::nn {
class Module;
struct CellState;
}  // namespace dikkat::nn
namespace dikkat::optim {
class Optimizer;
}  // namespace dikkat::optim
namespace dikkat::data {
class Batcher;
class StreamBatcher;
}  // namespace dikkat::data

namespace dikkat::io {

class MetricsWriter;
class RunFolder;
class Job;

/// Thrown at the end of the step where Ctrl-C was pressed, once the run is saved. main() prints
/// what() — where the run stopped, where it was saved, the command that continues it — and
/// returns exit_code. Not a dikkat::Error: nothing went wrong.
class Interrupted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
    /// 128 + SIGINT: what a shell reports for a program stopped with Ctrl-C.
    static constexpr int exit_code = 130;
};

/// What identifies a run, so that --resume continues only the run that was saved
/// (cli::Parser::resume_options() fills it in).
struct ResumeOptions {
    std::string lesson;
    std::vector<std::pair<std::string, std::string>> flags;  ///< every flag (no dashes) and its value
    std::string command;  ///< the command that started the run, repeated with --resume to continue it
    bool resume = false;  ///< continue the run saved in the run folder
};

/// The run's resume state: the jobs it has finished, and the one that Ctrl-C interrupts.
class Resume {
  public:
    /// With options.resume, reads `<run>/resume.safetensors`, before any work: throws IoError
    /// naming the file when it is missing, is not a resume file, or was saved by another lesson
    /// or with other flags (all of them count but --resume and --out). Without it, a resume
    /// file already there is left alone (a line on stderr says so) until this run replaces it.
    /// Throws ValueError for a malformed DIKKAT_INTERRUPT_AT_STEP.
    Resume(const RunFolder& run, ResumeOptions options);
    ~Resume();
    Resume(const Resume&) = delete;
    Resume& operator=(const Resume&) = delete;

    /// A training loop of `steps` steps: `name` must be unique in the run and hold no ':'.
    /// From the first job on, Ctrl-C asks the run to stop at the end of a step.
    Job job(const std::string& name, std::size_t steps);

    /// The last job has finished: if Ctrl-C came since, saves the run (every job finished) and
    /// throws Interrupted; then Ctrl-C quits at once again, as the evaluation after training is
    /// quick to do again.
    void training_done();
    /// The run has written all its files: deletes its resume file, if there is one.
    void complete();

    /// `<run folder>/resume.safetensors`
    const std::string& path() const { return path_; }

  private:
    friend class Job;
    /// One job as the resume file holds it: tensors and text, named `<item>...` within the job.
    struct State {
        NamedArrays tensors;
        Metadata metadata;
        std::size_t steps = 0, done = 0;
        double seconds = 0.0;
    };
    /// Writes the file: every finished job, and `current` (may be null) at the step it reached;
    /// then throws Interrupted with the message that says how to continue.
    [[noreturn]] void save_and_stop(const Job* current);
    void read(const std::vector<std::pair<std::string, std::string>>& flags);
    bool hook_fires(const std::string& job, std::size_t step);

    std::string path_, lesson_, command_;
    std::map<std::string, std::string> flags_;             ///< the flags that must match to continue
    std::map<std::string, State> saved_;                   ///< read with --resume, not restored yet
    std::vector<std::pair<std::string, State>> finished_;  ///< this run's finished jobs, in order
    std::set<std::string> names_;
    std::optional<std::string> hook_job_;  ///< DIKKAT_INTERRUPT_AT_STEP
    std::optional<std::size_t> hook_step_;
};

/// One training loop of a run (Resume::job). Track everything first, then restore(), then
/// step_done() after every step.
class Job {
  public:
    /// A job outside any run (a library loop called without one, a test): it saves and restores
    /// nothing, and Ctrl-C keeps its usual meaning.
    explicit Job(std::size_t steps);

    /// A model: its parameters and buffers, and the generators of its Dropout layers.
    Job& track(const std::string& name, nn::Module& model);
    /// An optimizer's state: moments, momentum buffers, step counts, learning rates.
    Job& track(const std::string& name, optim::Optimizer& optimizer);
    /// A random generator (shuffles, masks, samples).
    Job& track(const std::string& name, Rng& rng);
    /// Where a batcher is: its epochs and its shuffling generator.
    Job& track(const std::string& name, data::Batcher& batcher);
    /// Where the windows of a stream batcher have got to.
    Job& track(const std::string& name, data::StreamBatcher& streams);
    /// The rows written to a metrics.csv so far (written again on restore, then appended to).
    Job& track(const std::string& name, MetricsWriter& metrics);
    /// A recurrent state carried from one window to the next.
    Job& track(const std::string& name, nn::CellState& state);
    /// Numbers the loop keeps, such as the losses so far, and text, such as a sample (saved as
    /// JSON, as track_value would).
    Job& track(const std::string& name, std::vector<double>& values);
    Job& track(const std::string& name, std::string& text);
    /// Anything else the loop keeps — a position, a list of batches, a curve of pairs — saved as
    /// JSON (whatever nlohmann::json converts: numbers, strings, vectors, maps, and types with
    /// to_json / from_json). The file that calls it includes <nlohmann/json.hpp>: this header
    /// declares JSON only, so that a lesson's main.cpp compiles without it (io/metrics.hpp).
    template <class T, class Json = nlohmann::json>
    Job& track_value(const std::string& name, T& value) {
        return track_json(
            name, [&value] { return Json(value); }, [&value](const Json& json) { json.get_to(value); });
    }

    /// Restores everything tracked if the resumed run saved this job, and returns the steps it
    /// had done: 0 for a new job, k after an interruption at step k, all of them for a job that
    /// had finished. The loop goes on with step restore() + 1. (Saves and throws Interrupted if
    /// Ctrl-C came between jobs.)
    std::size_t restore();
    /// Step `step` (counted from 1) is done: after the last step, remembers the job's end state;
    /// after Ctrl-C, saves the run and throws Interrupted.
    void step_done(std::size_t step);

    /// Seconds spent in this job since restore(), plus those spent before an interruption.
    double seconds() const;
    const std::string& name() const { return name_; }
    std::size_t steps() const { return steps_; }

  private:
    friend class Resume;
    Job(Resume* run, std::string name, std::size_t steps);
    Job& track_text(const std::string& name, const std::string& kind, std::function<std::string()> save,
                    std::function<void(const std::string&)> load);
    /// track_value's work, out of line: JSON's parser and writer are compiled once, in the library,
    /// not in every program that tracks a value.
    Job& track_json(const std::string& name, std::function<nlohmann::json()> save,
                    std::function<void(const nlohmann::json&)> load);
    /// What is tracked, as the resume file holds it (optimizers only when `with_optimizers`).
    Resume::State snapshot(bool with_optimizers) const;
    /// Puts `state` back into what is tracked (checking it all first).
    void load(const Resume::State& state);

    struct Item {
        std::string name, kind;
        std::function<void(Resume::State&)> save;        ///< adds `<name>...` entries
        std::function<void(const Resume::State&)> load;  ///< reads them back
    };
    /// Adds an item; throws ValueError after restore(), for a name used twice or holding ':'.
    void add(Item item);
    Resume* run_ = nullptr;
    std::string name_;
    std::size_t steps_ = 0, done_ = 0;
    std::vector<Item> items_;
    bool restored_ = false;
    double seconds_before_ = 0.0;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace dikkat::io
