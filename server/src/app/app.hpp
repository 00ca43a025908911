// parleyd's command line and the wiring of every module (no domain logic).
#pragma once

#include <string>
#include <vector>

namespace parley::app {

// Runs `parleyd <args>`; returns the process exit code.
int main(const std::vector<std::string>& args);

}  // namespace parley::app
