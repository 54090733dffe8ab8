// The command line: `switchboard run|check-config|version`.
#pragma once

namespace switchboard::app {

/// Parses argv, runs the chosen command, returns the exit code.
int run_cli(int argc, char** argv);

}  // namespace switchboard::app
