# The checks every CLI test script shares (sourced, not run). They hold the command-line
# contract of DESIGN.md: exit 0 on success, 1 on a refused input and 2 on a usage error, one
# line on stderr when refused, and never a crash. Counts go to $passed and $failed; end a
# script with `finish`.
passed=0 failed=0
# Set quiet_success=1 to also require an empty stderr when a command succeeds.
quiet_success=${quiet_success:-0}

check() {  # check NAME EXPECTED_EXIT STDERR_PATTERN -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  "$@" >out.txt 2>err.txt
  local rc=$? lines why=""
  lines=$(wc -l < err.txt)
  [[ $rc -eq $want ]] || why="exit $rc, wanted $want"
  if [[ -z "$why" && $want -ne 0 ]]; then
    [[ $lines -eq 1 ]] || why="stderr has $lines lines, wanted 1"
    [[ -z "$why" && -n "$pattern" ]] && ! grep -qE -- "$pattern" err.txt && why="stderr lacks /$pattern/"
  fi
  [[ -z "$why" && $want -eq 0 && $quiet_success -eq 1 && $lines -ne 0 ]] && why="stderr not empty: $(head -2 err.txt)"
  grep -qiE 'terminate called|Aborted|Segmentation|AddressSanitizer|runtime error|Stack trace' err.txt && why="crashed"
  if [[ -z "$why" ]]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: $why"; sed 's/^/     stderr: /' err.txt | head -5
  fi
}

expect_out() {  # expect_out NAME REGEX: the last command's stdout matches
  if grep -qE -- "$2" out.txt; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1: stdout was $(head -c 600 out.txt)"; fi
}

expect_file() {  # expect_file NAME FILE REGEX
  if grep -qE -- "$3" "$2"; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1: $(head -c 400 "$2")"; fi
}

expect_json() {  # expect_json NAME PYTHON_EXPR: over the last stdout, parsed as `j`
  if python3 -c "import json,sys; j=json.load(open('out.txt')); sys.exit(0 if ($2) else 1)" 2>/dev/null \
     && [[ $(wc -l < out.txt) -eq 1 ]]; then
    passed=$((passed + 1)); echo "ok   $1"
  else
    failed=$((failed + 1)); echo "FAIL $1: stdout was $(head -c 600 out.txt)"
  fi
}

finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
