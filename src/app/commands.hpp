#pragma once
// Subcommands that live outside main.cpp. Each registers itself on the CLI and, when run,
// stores its exit code in exit_code.

#include <CLI/CLI.hpp>

void add_video_commands(CLI::App& cli, int& exit_code);
