// SampleData: the officers, customers and cases that `duly serve` loads into
// an empty store so that something is visible at once (config/sample/).
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/CaseStore.h"

#include <filesystem>
#include <string>

namespace duly::app {

struct SampleReport {
    std::size_t officers = 0;
    std::size_t customers = 0;
    std::size_t cases = 0;
};

// Loads HOME/config/sample/{officers,customers,cases}.csv; case times are
// relative to `now`. Throws InputError when a sample file is bad.
SampleReport loadSampleData(const std::filesystem::path& home, engine::CaseStore& store,
                            engine::CharterBook& charters, engine::Instant now);

}  // namespace duly::app
