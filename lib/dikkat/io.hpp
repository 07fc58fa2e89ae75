// Files a run reads and writes: safetensors checkpoints, optimizer state, metrics, and the state
// that Ctrl-C saves and --resume reads back.
#pragma once

#include <dikkat/io/checkpoint.hpp>
#include <dikkat/io/metrics.hpp>
#include <dikkat/io/resume.hpp>
#include <dikkat/io/run_folder.hpp>
#include <dikkat/io/safetensors.hpp>
