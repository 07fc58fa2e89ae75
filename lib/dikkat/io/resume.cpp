#include <dikkat/io/resume.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <dikkat/data/batch.hpp>
#include <dikkat/data/streams.hpp>
#include <dikkat/error.hpp>
#include <dikkat/interrupt.hpp>
#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/nn/rnn.hpp>
#include <dikkat/optim/optimizer.hpp>
#include <dikkat/random.hpp>

namespace dikkat::io {

// The file: one safetensors file. Its metadata "format", "lesson", "flags" (a JSON object) and
// "jobs" (a JSON list of {name, steps, done, seconds}, finished jobs first); every tensor and
// every other metadata entry belongs to a job and is named "<job>:<item>..." — "train:model:
// encoder.embed.weight", "train:adam:optimizer.steps". Each item has an entry "<job>:<item>"
// saying what it is ("module", "optimizer", "rng", ...).

namespace {

const std::string format_name = "dikkat resume 1";
const char* const hook_variable = "DIKKAT_INTERRUPT_AT_STEP";

// The tensors named "<item>:...", without that prefix.
NamedArrays tensors_under(const NamedArrays& tensors, const std::string& item) {
    NamedArrays out;
    const std::string prefix = item + ":";
    for (const auto& [name, a] : tensors)
        if (name.compare(0, prefix.size(), prefix) == 0) out.emplace_back(name.substr(prefix.size()), a);
    return out;
}

const std::string& entry(const Metadata& metadata, const std::string& key, const std::string& where) {
    auto it = metadata.find(key);
    if (it == metadata.end()) throw IoError(where + ": '" + key + "' is missing");
    return it->second;
}

bool is_count(const nlohmann::json& j) { return j.is_number_unsigned(); }

}  // namespace

// ---- Resume -------------------------------------------------------------------------------------

Resume::Resume(const RunFolder& run, ResumeOptions options)
    : path_((std::filesystem::path(run.dir()) / "resume.safetensors").string()),
      lesson_(std::move(options.lesson)),
      command_(std::move(options.command)) {
    for (const auto& [flag, value] : options.flags)
        if (flag != "resume" && flag != "out") flags_[flag] = value;  // what must match to continue
    interrupt::clear();
    if (const char* hook = std::getenv(hook_variable); hook && *hook) {
        const std::string text = hook;
        const std::size_t colon = text.rfind(':');
        const std::string step = colon == std::string::npos ? text : text.substr(colon + 1);
        if (step.empty() || step.size() > 18 || step.find_first_not_of("0123456789") != std::string::npos ||
            colon == 0)
            throw ValueError(std::string(hook_variable) + ": expected a step (412) or a job and a step " +
                             "(train:412), got '" + text + "'");
        hook_step_ = static_cast<std::size_t>(std::stoull(step));
        if (colon != std::string::npos) hook_job_ = text.substr(0, colon);
    }
    if (options.resume) {
        read(options.flags);
    } else if (std::filesystem::exists(path_)) {
        std::fprintf(stderr,
                     "note: %s holds a run stopped with Ctrl-C; this run starts over without it "
                     "(to continue that run instead, add --resume)\n",
                     path_.c_str());
    }
}

Resume::~Resume() {
    interrupt::release_ctrl_c();
    interrupt::clear();
}

void Resume::read(const std::vector<std::pair<std::string, std::string>>& flags) {
    const std::string how = "; start the run over without --resume";
    if (!std::filesystem::exists(path_))
        throw IoError("cannot resume: " + path_ +
                      " does not exist (a run saves it when Ctrl-C stops its training)" + how);
    SafeTensors file = load_safetensors(path_);  // a damaged file: IoError naming it
    const std::string where = "cannot resume from " + path_;
    const auto format = file.metadata.find("format");
    if (format == file.metadata.end() || format->second != format_name)
        throw IoError(where + ": it is not a resume file (its metadata has no format '" + format_name + "')");
    const std::string& saved_lesson = entry(file.metadata, "lesson", where);
    if (saved_lesson != lesson_)
        throw IoError(where + ": it was saved by lesson " + saved_lesson + ", not " + lesson_ + how);
    nlohmann::json saved_flags, jobs;
    try {
        saved_flags = nlohmann::json::parse(entry(file.metadata, "flags", where));
        jobs = nlohmann::json::parse(entry(file.metadata, "jobs", where));
    } catch (const nlohmann::json::exception& e) {
        throw IoError(where + ": its flags or jobs are not JSON: " + e.what());
    }
    if (!saved_flags.is_object() || !jobs.is_array())
        throw IoError(where + ": its flags are not an object or its jobs not a list");
    std::string differences;
    for (const auto& [flag, value] : flags) {
        if (!flags_.count(flag)) continue;  // --resume, --out
        const std::string was = saved_flags.contains(flag) && saved_flags[flag].is_string()
                                    ? saved_flags[flag].get<std::string>()
                                    : std::string("(none)");
        if (was != value)
            differences +=
                (differences.empty() ? "" : ", ") + ("--" + flag + " " + was) + " then, " + value + " now";
    }
    for (const auto& [flag, value] : saved_flags.items())
        if (!flags_.count(flag))
            differences += (differences.empty() ? "" : ", ") + ("--" + flag) + " then, not a flag now";
    if (!differences.empty())
        throw IoError(where + ": it was saved with other flags (" + differences +
                      "); resume with the same flags, or start the run over without --resume");
    for (const auto& listed : jobs) {
        const nlohmann::json none;
        if (!listed.is_object() || !listed.value("name", none).is_string() ||
            !is_count(listed.value("steps", none)) || !is_count(listed.value("done", none)) ||
            !listed.value("seconds", none).is_number())
            throw IoError(where + ": a job in its list is malformed: " + listed.dump());
        State s;
        s.steps = listed["steps"].get<std::size_t>();
        s.done = listed["done"].get<std::size_t>();
        s.seconds = listed["seconds"].get<double>();
        if (s.done > s.steps)
            throw IoError(where + ": a job has done more steps than it has: " + listed.dump());
        saved_.emplace(listed["name"].get<std::string>(), std::move(s));
    }
    // Each tensor and each other entry to its job.
    const auto job_of = [&](const std::string& key) -> State& {
        const std::size_t colon = key.find(':');
        auto it = colon == std::string::npos ? saved_.end() : saved_.find(key.substr(0, colon));
        if (it == saved_.end()) throw IoError(where + ": '" + key + "' belongs to no job of the file");
        return it->second;
    };
    for (auto& [name, a] : file.tensors)
        job_of(name).tensors.emplace_back(name.substr(name.find(':') + 1), std::move(a));
    for (auto& [key, value] : file.metadata) {
        if (key == "format" || key == "lesson" || key == "flags" || key == "jobs") continue;
        job_of(key).metadata.emplace(key.substr(key.find(':') + 1), value);
    }
    std::fprintf(stderr, "resuming the run saved in %s\n", path_.c_str());
}

Job Resume::job(const std::string& name, std::size_t steps) {
    if (name.empty() || name.find(':') != std::string::npos)
        throw ValueError("Resume::job: a job's name must be non-empty and hold no ':', got '" + name + "'");
    if (!names_.insert(name).second)
        throw ValueError("Resume::job: the run has a job named '" + name + "' already");
    interrupt::catch_ctrl_c();  // training begins: Ctrl-C asks to stop at the end of a step
    return Job(this, name, steps);
}

void Resume::training_done() {
    if (interrupt::requested()) save_and_stop(nullptr);
    interrupt::release_ctrl_c();
}

void Resume::complete() {
    std::error_code ignored;  // a file that cannot be deleted is harmless: --resume would redo the same
    std::filesystem::remove(path_, ignored);
}

bool Resume::hook_fires(const std::string& job, std::size_t step) {
    if (!hook_step_ || *hook_step_ != step || (hook_job_ && *hook_job_ != job)) return false;
    hook_step_.reset();  // once
    return true;
}

void Resume::save_and_stop(const Job* current) {
    NamedArrays tensors;
    Metadata metadata{{"format", format_name}, {"lesson", lesson_}, {"flags", nlohmann::json(flags_).dump()}};
    nlohmann::json jobs = nlohmann::json::array();
    const auto add = [&](const std::string& name, const State& s) {
        jobs.push_back({{"name", name}, {"steps", s.steps}, {"done", s.done}, {"seconds", s.seconds}});
        for (const auto& [key, a] : s.tensors) tensors.emplace_back(name + ":" + key, a);
        for (const auto& [key, value] : s.metadata) metadata.emplace(name + ":" + key, value);
    };
    for (const auto& [name, s] : finished_) add(name, s);
    const bool in_a_job = current && current->done_ < current->steps_;
    if (in_a_job) add(current->name_, current->snapshot(/*with_optimizers=*/true));
    for (const auto& [name, s] : saved_)  // saved by the run this one resumes, and not reached yet
        if (!in_a_job || name != current->name_) add(name, s);
    metadata["jobs"] = jobs.dump();
    save_safetensors(path_, tensors, metadata);
    interrupt::clear();

    std::string where;
    if (in_a_job && current->done_ > 0)
        where = "stopped '" + current->name_ + "' after step " + std::to_string(current->done_) + " of " +
                std::to_string(current->steps_);
    else if (in_a_job)
        where = "stopped before the first step of '" + current->name_ + "'";
    else if (current)
        where = "stopped after the last step of '" + current->name_ + "'";
    else
        where = "stopped after the training";
    throw Interrupted("Ctrl-C: " + where + "; the run is saved in " + path_ + "\nContinue it with:\n  " +
                      command_);
}

// ---- Job ----------------------------------------------------------------------------------------

Job::Job(std::size_t steps) : steps_(steps), start_(std::chrono::steady_clock::now()) {}

Job::Job(Resume* run, std::string name, std::size_t steps)
    : run_(run), name_(std::move(name)), steps_(steps), start_(std::chrono::steady_clock::now()) {}

void Job::add(Item item) {
    if (restored_)
        throw ValueError("Job::track: '" + item.name + "' is tracked after restore() in job '" + name_ +
                         "': track everything first, so that restore() puts it all back");
    if (item.name.empty() || item.name.find(':') != std::string::npos)
        throw ValueError("Job::track: a tracked thing's name must be non-empty and hold no ':', got '" +
                         item.name + "'");
    for (const Item& other : items_)
        if (other.name == item.name)
            throw ValueError("Job::track: job '" + name_ + "' tracks '" + item.name + "' twice");
    items_.push_back(std::move(item));
}

Job& Job::track_text(const std::string& name, const std::string& kind, std::function<std::string()> save,
                     std::function<void(const std::string&)> load) {
    add({name, kind,
         [name, kind, save](Resume::State& s) {
             s.metadata[name] = kind;
             s.metadata[name + ":state"] = save();
         },
         [name, load](const Resume::State& s) { load(s.metadata.at(name + ":state")); }});
    return *this;
}

Job& Job::track_json(const std::string& name, std::function<nlohmann::json()> save,
                     std::function<void(const nlohmann::json&)> load) {
    return track_text(
        name, "value", [save] { return save().dump(); },
        [load](const std::string& text) { load(nlohmann::json::parse(text)); });
}

Job& Job::track(const std::string& name, std::vector<double>& values) { return track_value(name, values); }
Job& Job::track(const std::string& name, std::string& text) { return track_value(name, text); }

Job& Job::track(const std::string& name, nn::Module& model) {
    add({name, "module",
         [name, &model](Resume::State& s) {
             s.metadata[name] = "module";
             for (auto& [key, a] : state_dict(model)) s.tensors.emplace_back(name + ":" + key, std::move(a));
             for (const auto& [key, rng] : model.named_rngs()) s.metadata[name + ":" + key] = rng->state();
         },
         [name, &model](const Resume::State& s) {
             load_state_dict(model, tensors_under(s.tensors, name), "'" + name + "'");
             for (const auto& [key, rng] : model.named_rngs())
                 rng->set_state(entry(s.metadata, name + ":" + key, "'" + name + "'"));
         }});
    return *this;
}

Job& Job::track(const std::string& name, optim::Optimizer& optimizer) {
    add({name, "optimizer",
         [name, &optimizer](Resume::State& s) {
             const optim::OptimizerState state = optimizer.state_dict();
             s.metadata[name] = "optimizer";
             for (const auto& [key, a] : state.tensors) s.tensors.emplace_back(name + ":" + key, a);
             for (const auto& [key, value] : state.metadata) s.metadata[name + ":" + key] = value;
         },
         [name, &optimizer](const Resume::State& s) {
             optim::OptimizerState state{tensors_under(s.tensors, name), {}};
             const std::string prefix = name + ":";
             for (const auto& [key, value] : s.metadata)
                 if (key.compare(0, prefix.size(), prefix) == 0)
                     state.metadata.emplace(key.substr(prefix.size()), value);
             optimizer.load_state_dict(state);
         }});
    return *this;
}

Job& Job::track(const std::string& name, Rng& rng) {
    return track_text(
        name, "rng", [&rng] { return rng.state(); },
        [&rng](const std::string& text) { rng.set_state(text); });
}

Job& Job::track(const std::string& name, data::Batcher& batcher) {
    return track_text(
        name, "batcher", [&batcher] { return batcher.state(); },
        [&batcher](const std::string& text) { batcher.set_state(text); });
}

Job& Job::track(const std::string& name, data::StreamBatcher& streams) {
    return track_text(
        name, "streams", [&streams] { return streams.state(); },
        [&streams](const std::string& text) { streams.set_state(text); });
}

Job& Job::track(const std::string& name, MetricsWriter& metrics) {
    return track_text(
        name, "metrics", [&metrics] { return metrics.state(); },
        [&metrics](const std::string& text) { metrics.set_state(text); });
}

Job& Job::track(const std::string& name, nn::CellState& state) {
    add({name, "cell_state",
         [name, &state](Resume::State& s) {
             s.metadata[name] = "cell_state";
             if (state.h.defined()) s.tensors.emplace_back(name + ":h", state.h.value());
             if (state.c.defined()) s.tensors.emplace_back(name + ":c", state.c.value());
         },
         [name, &state](const Resume::State& s) {
             nn::CellState loaded;
             for (const auto& [key, a] : tensors_under(s.tensors, name)) {
                 if (key != "h" && key != "c") throw IoError("unexpected tensor '" + key + "'");
                 (key == "h" ? loaded.h : loaded.c) = Tensor(a);
             }
             state = loaded;
         }});
    return *this;
}

Resume::State Job::snapshot(bool with_optimizers) const {
    Resume::State s;
    for (const Item& item : items_)
        if (with_optimizers || item.kind != "optimizer") item.save(s);
    s.steps = steps_;
    s.done = done_;
    s.seconds = seconds();
    return s;
}

void Job::load(const Resume::State& s) {
    const std::string where = "cannot resume from " + run_->path_ + ": job '" + name_ + "'";
    const bool finished = s.done == s.steps;
    std::set<std::string> tracked;
    for (const Item& item : items_) {
        tracked.insert(item.name);
        auto kind = s.metadata.find(item.name);
        if (kind == s.metadata.end()) {
            if (finished && item.kind == "optimizer") continue;  // a finished job keeps no optimizer
            throw IoError(where + " has no '" + item.name +
                          "' (saved by another version of the lesson? start the run over without --resume)");
        }
        if (kind->second != item.kind)
            throw IoError(where + ": '" + item.name + "' is a " + kind->second + ", not a " + item.kind);
    }
    for (const auto& [key, value] : s.metadata)
        if (key.find(':') == std::string::npos && !tracked.count(key))
            throw IoError(where + " holds a '" + key + "' that this run does not have (saved by another " +
                          "version of the lesson? start the run over without --resume)");
    for (const Item& item : items_) {
        if (!s.metadata.count(item.name)) continue;
        try {
            item.load(s);
        } catch (const std::exception& e) {
            throw IoError(where + ", '" + item.name + "': " + e.what());
        }
    }
}

std::size_t Job::restore() {
    if (restored_) throw ValueError("Job::restore: job '" + name_ + "' is restored already");
    restored_ = true;
    start_ = std::chrono::steady_clock::now();
    if (!run_) return 0;
    auto saved = run_->saved_.find(name_);
    if (saved != run_->saved_.end()) {
        Resume::State& s = saved->second;
        if (s.steps != steps_)
            throw IoError("cannot resume from " + run_->path_ + ": job '" + name_ + "' had " +
                          std::to_string(s.steps) + " steps, this run gives it " + std::to_string(steps_));
        load(s);
        done_ = s.done;
        seconds_before_ = s.seconds;
        if (done_ == steps_) {
            std::fprintf(stderr, "resume: '%s' is restored as it finished (%zu steps)\n", name_.c_str(),
                         steps_);
            run_->finished_.emplace_back(name_, std::move(s));
        } else {
            std::fprintf(stderr, "resume: '%s' continues after step %zu of %zu\n", name_.c_str(), done_,
                         steps_);
        }
        run_->saved_.erase(saved);
    }
    if (done_ == 0 && run_->hook_fires(name_, 0)) std::raise(SIGINT);
    if (interrupt::requested()) run_->save_and_stop(this);  // Ctrl-C came between jobs
    return done_;
}

void Job::step_done(std::size_t step) {
    if (!restored_) throw ValueError("Job::step_done: call restore() before the loop of job '" + name_ + "'");
    if (step == 0 || step > steps_)
        throw ValueError("Job::step_done: step " + std::to_string(step) + " of job '" + name_ +
                         "', which has " + std::to_string(steps_));
    done_ = step;
    if (!run_) return;
    if (step == steps_) run_->finished_.emplace_back(name_, snapshot(/*with_optimizers=*/false));
    if (run_->hook_fires(name_, step)) std::raise(SIGINT);  // the real signal, at a chosen step (tests)
    if (interrupt::requested()) run_->save_and_stop(this);
}

double Job::seconds() const {
    return seconds_before_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace dikkat::io
