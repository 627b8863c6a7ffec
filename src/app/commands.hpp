#pragma once
// Subcommands that live outside main.cpp. Each registers itself on the CLI and, when run,
// stores its exit code in exit_code.

#include <CLI/CLI.hpp>

void add_video_commands(CLI::App& cli, int& exit_code);
// `reelgen eval FILE`: caption quality report over JSON-lines descriptions
// (src/app/eval_command.cpp).
void add_eval_command(CLI::App& cli, int& exit_code);
// `reelgen score --file F`: scores given captions with the engine's checks
// (src/app/score_command.cpp).
void add_score_command(CLI::App& cli, int& exit_code);
