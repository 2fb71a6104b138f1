# interleave.sh -- sourced by the compare scripts: interleave_rounds ROUNDS LABEL... calls the caller's
# run_one LABEL for every label once per round, in an order that rotates every round (so that no contestant
# always runs first, or right after the same neighbour, on a machine whose load changes).
interleave_rounds() {
  local rounds=$1; shift
  local labels=("$@") n=$# r k label
  for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < n; k++)); do
      label=${labels[$(( (k + r) % n ))]}
      echo "round $((r + 1))/$rounds: $label" >&2
      run_one "$label"
    done
  done
}
