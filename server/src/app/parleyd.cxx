// The parleyd binary: everything lives in parley::app::main so it is testable.
#include "app/app.hpp"

int main(int argc, char** argv) { return parley::app::main(std::vector<std::string>(argv + 1, argv + argc)); }
