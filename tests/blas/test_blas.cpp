// blas::ensure_fast_core: which OpenBLAS core runs, and the switch away from a generic fallback.
// The choice is a pure function (decide), tested here on synthetic CPUs. The probe and the
// restart are tested on this machine made to look like one OpenBLAS does not recognise: the
// preload library fake_fallback reports "Prescott" and can make the candidate core's sgemm
// wrong, crash or hang.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include <dikkat/blas.hpp>

using namespace dikkat::blas;

namespace {
CpuFeatures with_avx2(std::string vendor) {
    CpuFeatures f;
    f.vendor = std::move(vendor);
    f.avx = f.avx2 = f.fma = f.os_avx = true;
    return f;
}
CpuFeatures skylake_x() {
    CpuFeatures f = with_avx2("GenuineIntel");
    f.avx512f = f.avx512cd = f.avx512bw = f.avx512dq = f.avx512vl = f.os_avx512 = true;
    return f;
}
CpuFeatures sapphire_rapids() {  // what OpenBLAS 0.3.21 does not recognise
    CpuFeatures f = skylake_x();
    f.avx512_bf16 = true;
    return f;
}
using Cores = std::vector<std::string>;
}  // namespace

TEST_CASE("the cores a CPU runs follow its features, fastest first") {
    CHECK(runnable_cores(sapphire_rapids()) == Cores{"Cooperlake", "SkylakeX", "Haswell", "Sandybridge"});
    CHECK(runnable_cores(skylake_x()) == Cores{"SkylakeX", "Haswell", "Sandybridge"});
    CHECK(runnable_cores(with_avx2("AuthenticAMD")) == Cores{"Zen", "Sandybridge"});
    CpuFeatures sandy;
    sandy.avx = sandy.os_avx = true;
    CHECK(runnable_cores(sandy) == Cores{"Sandybridge"});
    CHECK(runnable_cores(CpuFeatures{}).empty());  // SSE only: the generic kernels are all there is
}

TEST_CASE("AVX-512 the operating system does not enable does not count") {
    CpuFeatures f = sapphire_rapids();
    f.os_avx512 = false;
    CHECK(runnable_cores(f) == Cores{"Haswell", "Sandybridge"});
    f.os_avx = false;
    CHECK(runnable_cores(f).empty());
}

TEST_CASE("generic cores are the pre-AVX ones") {
    for (const char* c : {"Prescott", "Core2", "Nehalem", "Atom", "Barcelona"}) CHECK(is_generic_core(c));
    for (const char* c :
         {"Sandybridge", "Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Zen5"})
        CHECK_FALSE(is_generic_core(c));
}

TEST_CASE("a Prescott fallback on a CPU that runs better kernels is tested, best first") {
    const Decision d = decide("Prescott", sapphire_rapids(), Environment{});
    CHECK(d.candidates == Cores{"Cooperlake", "SkylakeX", "Haswell", "Sandybridge"});
    CHECK(d.reason.find("Prescott") != std::string::npos);
}

TEST_CASE("nothing is tested when OpenBLAS chose a real core, or the CPU runs nothing better") {
    CHECK(decide("Haswell", sapphire_rapids(), Environment{}).candidates.empty());
    CHECK(decide("Cooperlake", sapphire_rapids(), Environment{}).candidates.empty());
    CHECK(decide("Prescott", CpuFeatures{}, Environment{}).candidates.empty());
}

TEST_CASE("your OPENBLAS_CORETYPE wins, the opt-out holds, and a restart never restarts again") {
    Environment yours;
    yours.coretype = "Haswell";
    CHECK(decide("Prescott", sapphire_rapids(), yours).candidates.empty());
    for (const char* off : {"0", "off", "no", "false"}) {
        Environment opt_out;
        opt_out.autoselect = off;
        const Decision d = decide("Prescott", sapphire_rapids(), opt_out);
        CHECK(d.candidates.empty());
        CHECK(d.reason.find("OPENBLAS_CORETYPE=Cooperlake") != std::string::npos);
    }
    Environment restarted;  // our own restart, even if OpenBLAS still says Prescott
    restarted.coretype = "Cooperlake";
    restarted.selected = "Prescott";
    CHECK(decide("Prescott", sapphire_rapids(), restarted).candidates.empty());
}

TEST_CASE("the probe's products agree with the plain loop on the core in use") {
    CHECK(probe_checks() == "");
}

TEST_CASE("info names the library, its version, the core and the threads") {
    const Info i = info();
    CHECK(i.library == "OpenBLAS");
    CHECK(i.version.find('.') != std::string::npos);
    CHECK_FALSE(i.core.empty());
    CHECK(i.threads >= 1);
    const std::string line = describe(i);
    CHECK(line.find("OpenBLAS " + i.version + ", core " + i.core + " (") == 0);
    CHECK(to_json(i)["core"] == i.core);
}

#ifdef DIKKAT_FAKE_FALLBACK  // not in sanitizer builds: ASan must be the first preloaded library

namespace {
// Sets an environment variable for one scope (the probe child inherits it), then restores it.
struct ScopedEnv {
    std::string name, old;
    bool had;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
        const char* v = std::getenv(name.c_str());
        had = v != nullptr;
        old = had ? v : "";
        setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv() { had ? setenv(name.c_str(), old.c_str(), 1) : unsetenv(name.c_str()); }
};

// Runs blas_report under the fake fallback with `env` ("A=1 B=2"); its stdout and stderr.
std::string report(const std::string& env) {
    const std::string cmd =
        "env -u OPENBLAS_CORETYPE -u DIKKAT_BLAS_SELECTED -u DIKKAT_BLAS_AUTO LD_PRELOAD=" +
        std::string(DIKKAT_FAKE_FALLBACK) + " " + env + " " + DIKKAT_BLAS_REPORT + " 2>&1";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    return out;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const Cores here = runnable_cores(cpu_features());
}  // namespace

TEST_CASE("the probe passes the fastest core this CPU runs") {
    if (here.empty()) return;  // nothing faster than the generic kernels here
    const ProbeResult r = probe_core(here.front());
    CHECK_MESSAGE(r.ok, r.why);
}

TEST_CASE("the probe reports a core whose products are wrong, crash or hang") {
    if (here.empty()) return;
    ScopedEnv preload("LD_PRELOAD", DIKKAT_FAKE_FALLBACK);
    {
        ScopedEnv fault("FAKE_FALLBACK_FAULT", "wrong");
        const ProbeResult r = probe_core(here.front());
        CHECK_FALSE(r.ok);
        CHECK_MESSAGE(contains(r.why, "a loop gives"), r.why);
    }
    {
        ScopedEnv fault("FAKE_FALLBACK_FAULT", "crash");
        const ProbeResult r = probe_core(here.front());
        CHECK_FALSE(r.ok);
        CHECK_MESSAGE(contains(r.why, "crashed (signal 11"), r.why);
    }
    {
        ScopedEnv fault("FAKE_FALLBACK_FAULT", "hang");
        const ProbeResult r = probe_core(here.front(), /*timeout_seconds=*/1.0);
        CHECK_FALSE(r.ok);
        CHECK_MESSAGE(contains(r.why, "did not finish within 1 s"), r.why);
        CHECK(r.hung);
    }
    {
        ScopedEnv stuck("FAKE_FALLBACK_STUCK", "1");
        const ProbeResult r = probe_core(here.front());
        CHECK_FALSE(r.ok);
        CHECK_MESSAGE(contains(r.why, "did not take OPENBLAS_CORETYPE=" + here.front()), r.why);
    }
}

TEST_CASE("after a Prescott fallback the program restarts on the fastest core that passes") {
    const std::string out = report("");
    MESSAGE(out);
    if (here.empty()) {
        CHECK(contains(out, "core Prescott"));
        return;
    }
    CHECK(contains(out, "core " + here.front() +
                            " (chosen by Dikkat: OpenBLAS fell back to its generic "
                            "Prescott kernels"));
}

TEST_CASE("when every faster core fails its check the fallback stays, with one line saying why") {
    if (here.empty()) return;
    const std::string out = report("FAKE_FALLBACK_FAULT=crash");
    MESSAGE(out);
    CHECK(contains(out, "core Prescott (OpenBLAS's own choice; kept: a faster core failed its check"));
    CHECK(contains(out, "dikkat: OpenBLAS runs its generic Prescott kernels"));
    CHECK(contains(out, here.front() + ": the check crashed (signal 11"));
}

TEST_CASE("your OPENBLAS_CORETYPE and DIKKAT_BLAS_AUTO=0 are respected") {
    CHECK(contains(report("OPENBLAS_CORETYPE=Prescott"), "core Prescott (your OPENBLAS_CORETYPE=Prescott)"));
    if (here.empty()) return;
    const std::string out = report("DIKKAT_BLAS_AUTO=0");
    CHECK_MESSAGE(
        contains(out, "core Prescott (OpenBLAS's own choice; generic kernels although this CPU runs " +
                          here.front() + "; DIKKAT_BLAS_AUTO=0 keeps them"),
        out);
}

TEST_CASE("a program that merely inherited DIKKAT_BLAS_PROBE runs as itself, not as a probe") {
    const std::string out = report("DIKKAT_BLAS_PROBE=1");
    CHECK_MESSAGE(contains(out, "blas: OpenBLAS"), out);
    CHECK_FALSE(contains(out, "probe ok"));
}

TEST_CASE("a library that ignores OPENBLAS_CORETYPE does not make the program restart again and again") {
    // After a restart OpenBLAS still says Prescott: the marker stops a second restart.
    const std::string out =
        report("FAKE_FALLBACK_STUCK=1 OPENBLAS_CORETYPE=Cooperlake DIKKAT_BLAS_SELECTED=Prescott");
    CHECK_MESSAGE(contains(out, "core Prescott (OpenBLAS did not take OPENBLAS_CORETYPE=Cooperlake"), out);
}

#endif
