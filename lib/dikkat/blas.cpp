#include <dikkat/blas.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <nlohmann/json.hpp>

#include <dikkat/error.hpp>
#include <dikkat/parallel.hpp>
#include <dikkat/ops/matmul.hpp>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

// From OpenBLAS (declared here rather than through <cblas.h>, which clashes with the
// xtensor-blas headers; see design §9).
extern "C" {
char* openblas_get_corename(void);
char* openblas_get_config(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
}

extern char** environ;

namespace dikkat::blas {

// ---- the CPU -------------------------------------------------------------------------------

CpuFeatures cpu_features() {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
    const unsigned max_leaf = a;
    char vendor[13] = {};
    std::memcpy(vendor, &b, 4);
    std::memcpy(vendor + 4, &d, 4);
    std::memcpy(vendor + 8, &c, 4);
    f.vendor = vendor;

    __get_cpuid(1, &a, &b, &c, &d);
    f.fma = c & (1u << 12);
    f.avx = c & (1u << 28);
    if (c & (1u << 27)) {  // OSXSAVE: XGETBV says which register state the OS saves
        unsigned lo = 0, hi = 0;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        f.os_avx = (lo & 0x6u) == 0x6u;       // SSE and AVX (YMM) state
        f.os_avx512 = (lo & 0xE6u) == 0xE6u;  // ... and opmask, ZMM_Hi256, Hi16_ZMM
    }
    if (max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        f.avx2 = b & (1u << 5);
        f.avx512f = b & (1u << 16);
        f.avx512dq = b & (1u << 17);
        f.avx512cd = b & (1u << 28);
        f.avx512bw = b & (1u << 30);
        f.avx512vl = b & (1u << 31);
        const unsigned subleaves = a;
        if (subleaves >= 1) {
            __cpuid_count(7, 1, a, b, c, d);
            f.avx512_bf16 = a & (1u << 5);
        }
    }
#endif
    return f;
}

// OpenBLAS 0.3.21's names, as OPENBLAS_CORETYPE takes them.
std::vector<std::string> runnable_cores(const CpuFeatures& cpu) {
    std::vector<std::string> cores;
    const bool avx512 =
        cpu.os_avx512 && cpu.avx512f && cpu.avx512cd && cpu.avx512bw && cpu.avx512dq && cpu.avx512vl;
    const bool amd = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine";
    if (avx512 && cpu.avx512_bf16) cores.push_back("Cooperlake");
    if (avx512) cores.push_back("SkylakeX");
    if (cpu.os_avx && cpu.avx2 && cpu.fma) cores.push_back(amd ? "Zen" : "Haswell");
    if (cpu.os_avx && cpu.avx) cores.push_back("Sandybridge");
    return cores;
}

bool is_generic_core(const std::string& core) {
    static const char* const generic[] = {"Unknown", "Katmai", "Coppermine", "Northwood",    "Prescott",
                                          "Banias",  "Atom",   "Core2",      "Penryn",       "Dunnington",
                                          "Nehalem", "Athlon", "Opteron",    "Opteron_SSE3", "Barcelona",
                                          "Nano",    "Bobcat"};
    for (const char* g : generic)
        if (core == g) return true;
    return false;
}

// ---- OpenBLAS --------------------------------------------------------------------------------

namespace {
std::string g_note;  // why ensure_fast_core() kept a generic core (for info().chosen_by)

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
}  // namespace

Environment Environment::current() {
    return {env_or_empty("OPENBLAS_CORETYPE"), env_or_empty("DIKKAT_BLAS_SELECTED"),
            env_or_empty("DIKKAT_BLAS_AUTO")};
}

Info info() {
    Info i;
    const std::string config = openblas_get_config();  // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..."
    i.library = config.substr(0, config.find(' '));
    const std::size_t v = config.find(' ');
    i.version = v == std::string::npos ? "" : config.substr(v + 1, config.find(' ', v + 1) - v - 1);
    i.core = openblas_get_corename();
    i.threads = parallel_threads();
    const Environment env = Environment::current();
    if (!env.selected.empty() && !env.coretype.empty() && i.core != env.coretype)
        i.chosen_by = "OpenBLAS did not take OPENBLAS_CORETYPE=" + env.coretype + ", chosen by Dikkat";
    else if (!env.selected.empty() && !env.coretype.empty())
        i.chosen_by = "chosen by Dikkat: OpenBLAS fell back to its generic " + env.selected +
                      " kernels on this CPU, and " + env.coretype + " passed the check";
    else if (!env.coretype.empty())
        i.chosen_by = "your OPENBLAS_CORETYPE=" + env.coretype;
    else
        i.chosen_by = "OpenBLAS's own choice" + (g_note.empty() ? "" : "; " + g_note);
    return i;
}

std::string describe(const Info& i) {
    return i.library + " " + i.version + ", core " + i.core + " (" + i.chosen_by + "), " +
           std::to_string(i.threads) + (i.threads == 1 ? " thread" : " threads");
}

nlohmann::json to_json(const Info& i) {
    return {{"library", i.library},
            {"version", i.version},
            {"core", i.core},
            {"threads", i.threads},
            {"chosen_by", i.chosen_by}};
}

void set_num_threads(int n) {
    if (n < 1) throw ValueError("set_num_threads: need at least 1 thread, got " + std::to_string(n));
    openblas_set_num_threads(1);  // each of Dikkat's threads calls OpenBLAS on its own block of rows
    set_parallel_threads(n);
}

// ---- the decision ----------------------------------------------------------------------------

Decision decide(const std::string& core, const CpuFeatures& cpu, const Environment& env) {
    if (!env.selected.empty()) return {{}, "chosen already"};  // after our own restart: never again
    if (!env.coretype.empty()) return {{}, "OPENBLAS_CORETYPE is set: yours wins"};
    if (!is_generic_core(core)) return {{}, "not a generic core"};
    std::vector<std::string> cores = runnable_cores(cpu);
    if (cores.empty()) return {{}, "this CPU runs nothing faster than " + core};
    const std::string& a = env.autoselect;
    if (a == "0" || a == "off" || a == "no" || a == "false")
        return {{},
                "generic kernels although this CPU runs " + cores.front() + "; DIKKAT_BLAS_AUTO=" + a +
                    " keeps them (OPENBLAS_CORETYPE=" + cores.front() + " would use it)"};
    return {cores, "OpenBLAS fell back to its generic " + core + " kernels; this CPU runs " + cores.front()};
}

// ---- the probe -------------------------------------------------------------------------------

std::string probe_checks() {
    struct Case {
        std::size_t M, N, K;
    };
    // Shapes that hit the kernels' edge handling: ones, primes, a tile and a bit, skinny.
    const Case cases[] = {{1, 1, 1},      {3, 5, 7},     {17, 33, 65}, {64, 64, 64},
                          {96, 130, 250}, {300, 7, 129}, {5, 400, 3}};
    std::uint32_t state = 12345;
    auto next = [&state] {  // a small LCG: the same numbers on every machine, in [-1, 1)
        state = state * 1664525u + 1013904223u;
        return static_cast<float>(state >> 8) / 8388608.0f - 1.0f;
    };
    for (const Case& c : cases)
        for (int trans = 0; trans < 4; ++trans)
            for (float beta : {0.0f, 1.0f}) {
                const bool ta = trans & 1, tb = trans & 2;
                std::vector<float> A(c.M * c.K), B(c.K * c.N), C(c.M * c.N);
                for (float& x : A) x = next();
                for (float& x : B) x = next();
                for (float& x : C) x = next();
                const std::vector<float> C0 = C;
                gemm(ta, tb, c.M, c.N, c.K, A.data(), B.data(), C.data(), beta);
                for (std::size_t i = 0; i < c.M; ++i)
                    for (std::size_t j = 0; j < c.N; ++j) {
                        double ref = double(beta) * double(C0[i * c.N + j]), size = std::fabs(ref);
                        for (std::size_t k = 0; k < c.K; ++k) {
                            const double a = ta ? A[k * c.M + i] : A[i * c.K + k];
                            const double b = tb ? B[j * c.K + k] : B[k * c.N + j];
                            ref += a * b;
                            size += std::fabs(a * b);
                        }
                        // float32 rounding costs at most about K + 2 units of 2^-24 of the sum of
                        // magnitudes; we allow twice that. A wrong kernel is off by far more.
                        const double got = C[i * c.N + j];
                        const double tol = double(c.K + 2) * 0x1p-23 * size + 1e-30;
                        if (!(std::fabs(got - ref) <= tol)) {
                            char msg[200];
                            std::snprintf(msg, sizeof msg,
                                          "sgemm %zux%zux%zu (transpose a %d, b %d, beta %g) gave %.7g at "
                                          "[%zu, %zu], a loop gives %.7g",
                                          c.M, c.N, c.K, int(ta), int(tb), double(beta), got, i, j, ref);
                            return msg;
                        }
                    }
            }
    return "";
}

namespace {
std::string self_path() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

std::string first_line(const std::string& s) {
    std::string line = s.substr(0, s.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}
}  // namespace

ProbeResult probe_core(const std::string& core, double timeout_seconds) {
    const std::string exe = self_path();
    if (exe.empty()) return {false, "this system has no /proc/self/exe to start the check with"};
    // The child's environment: ours, with the candidate core and the probe switch.
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "OPENBLAS_CORETYPE=", 18) != 0 &&
            std::strncmp(*e, "DIKKAT_BLAS_PROBE=", 18) != 0)
            env.emplace_back(*e);
    env.push_back("OPENBLAS_CORETYPE=" + core);
    // The switch names this process: only a child of ours probes, never a program that merely
    // inherited the variable.
    env.push_back("DIKKAT_BLAS_PROBE=" + std::to_string(getpid()));
    std::vector<char*> envp, argv{const_cast<char*>(exe.c_str()), nullptr};
    for (std::string& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return {false, std::string("pipe failed: ") + std::strerror(errno)};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (spawned != 0) {
        close(fds[0]);
        return {false, std::string("could not start the check: ") + std::strerror(spawned)};
    }

    // Read what the child says until it closes its output or the time is up; past the deadline,
    // or if reading fails, the child is killed — waiting for it never blocks longer.
    std::string out;
    bool timed_out = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                .count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            timed_out = true;  // cannot watch the child: treat it as hung
            break;
        }
        if (ready == 0) continue;  // the deadline is checked at the top
        char buf[512];
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            timed_out = true;
            break;
        }
        if (n == 0) break;  // the child closed its output: it has finished (or is finishing)
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }

    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
    if (timed_out) return {false, "the check did not finish within " + std::string(seconds) + " s", true};
    if (WIFSIGNALED(status))
        return {false, "the check crashed (signal " + std::to_string(WTERMSIG(status)) + ", " +
                           strsignal(WTERMSIG(status)) + ")"};
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && out.find("probe ok") != std::string::npos)
        return {true, ""};
    const std::string said = first_line(out);
    return {false, said.empty() ? "the check exited with code " + std::to_string(WEXITSTATUS(status)) : said};
}

namespace {
// In the probe child: check the core OpenBLAS took, multiply, report, exit.
[[noreturn]] void run_as_probe() {
    ::unsetenv("DIKKAT_BLAS_PROBE");
    const std::string wanted = env_or_empty("OPENBLAS_CORETYPE"), got = openblas_get_corename();
    int code = 0;
    if (got != wanted) {
        std::printf("OpenBLAS did not take OPENBLAS_CORETYPE=%s (it runs %s)\n", wanted.c_str(), got.c_str());
        code = 3;
    } else if (const std::string wrong = probe_checks(); !wrong.empty()) {
        std::printf("%s\n", wrong.c_str());
        code = 1;
    } else {
        std::printf("probe ok\n");
    }
    std::fflush(stdout);
    std::_Exit(code);
}
}  // namespace

void ensure_fast_core(int argc, const char* const* argv) {
    static bool done = false;  // once per process: a second call must not probe or restart again
    if (done) return;
    done = true;
    if (env_or_empty("DIKKAT_BLAS_PROBE") == std::to_string(getppid())) run_as_probe();
    const std::string core = openblas_get_corename();
    const Decision d = decide(core, cpu_features(), Environment::current());
    if (d.candidates.empty()) {
        if (is_generic_core(core)) g_note = d.reason;
        return;
    }
    // The best core first; if it fails its check, the next best, and so on.
    std::string failures;
    for (const std::string& candidate : d.candidates) {
        const ProbeResult r = probe_core(candidate);
        if (!r.ok) {
            failures += (failures.empty() ? "" : "; ") + candidate + ": " + r.why;
            if (r.hung) break;  // the next would likely hang too: don't make the learner wait again
            continue;
        }
        ::setenv("OPENBLAS_CORETYPE", candidate.c_str(), 1);
        ::setenv("DIKKAT_BLAS_SELECTED", core.c_str(), 1);
        std::cout.flush();
        std::fflush(nullptr);
        const std::string exe = self_path();
        std::vector<char*> args;
        for (int a = 0; a < argc; ++a) args.push_back(const_cast<char*>(argv[a]));
        args.push_back(nullptr);
        execv(exe.c_str(), args.data());  // returns only on failure
        failures += (failures.empty() ? "" : "; ") + std::string("restart failed: ") + std::strerror(errno);
        ::unsetenv("OPENBLAS_CORETYPE");
        ::unsetenv("DIKKAT_BLAS_SELECTED");
        break;
    }
    g_note = "kept: a faster core failed its check (" + failures + ")";
    std::fprintf(stderr,
                 "dikkat: OpenBLAS runs its generic %s kernels, several times slower than this CPU "
                 "allows, because no faster core passed the check (%s). Set OPENBLAS_CORETYPE to choose "
                 "one yourself (README, Troubleshooting).\n",
                 core.c_str(), failures.c_str());
}

}  // namespace dikkat::blas
