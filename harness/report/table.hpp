// The tables on stdout: the comparison in the talk's form, the resources under it and the
// size fits, aligned for a terminal or in Markdown.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "harness/report/statistics.hpp"

namespace billion::harness {

// precision: the interval's half-width the runs repeated to reach (0: a fixed number of runs);
// a row whose runs stopped short of it is marked.
void print_table(std::ostream& out, const std::vector<Summary>& rows, bool markdown = false, double precision = 0);
// The rows in rank order, a line per server setting: "ranked: 1. async = combo, then 3. sync".
void print_ranking(std::ostream& out, const std::vector<Summary>& rows);
// Per row: latency percentiles (closed-loop load), CPU per file, peak memory, connections.
void print_resources(std::ostream& out, const std::vector<Summary>& rows, bool markdown = false);
void print_fits(std::ostream& out, const std::vector<Fit>& fits, bool markdown = false);

// Any other table: rows of cells, the first the header; numeric columns right-aligned.
void print_cells(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& numeric,
                 bool markdown = false);
// A column of durations (seconds) in one unit, chosen for the column; a zero prints "-".
std::vector<std::string> duration_column(const std::vector<double>& seconds);

}  // namespace billion::harness
