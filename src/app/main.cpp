#include "app/cli.hpp"

int main(int argc, char** argv) { return switchboard::app::run_cli(argc, argv); }
