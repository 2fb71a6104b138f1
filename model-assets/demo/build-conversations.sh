#!/bin/sh
# Phase 3, after build.sh (needs build/phase2.pt): conversation training (paraphrases, follow-ups, positions,
# colour lists, greetings) on 10000 new scenes (cached in build/images_3_10000.pkl), extra vision symbols, the
# vision CNN frozen; then torch accuracy on the committed test set and the conversation held-out set
# (heldout-conversations/, git-ignored). Exports into build/conversations/, not over the committed model:
# its figures (README.md, "Conversations") do not yet reach the goals.
#   cd model-assets/demo && time ./build-conversations.sh [STEPS]
# Stage A teaches `where` alone, first where no look-up is needed (one-object scenes), then with one other object,
# then on every scene (without it the decoder never starts reading the side symbols); stage B is the whole
# conversation mix.
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
STEPS=${1:-3000}
WHERE="--images 10000 --data-seed 3 --cache --converse --type-weights where=1,count=0.02 --text-batch 0"
$PY train.py --init build/phase2.pt --out build/where1.pt $WHERE --seed 3 --max-objects 1 --steps 600 --lr 3e-3 \
    | tee build/train3a1.log
$PY train.py --init build/where1.pt --out build/where2.pt $WHERE --seed 7 --max-objects 2 --steps 800 --lr 2e-3 \
    | tee build/train3a2.log
$PY train.py --init build/where2.pt --out build/where4.pt $WHERE --seed 8 --steps 800 --lr 2e-3 | tee build/train3a3.log
$PY train.py --init build/where4.pt --out build/model.pt --images 10000 --data-seed 3 --seed 6 --cache \
    --converse --steps "$STEPS" --lr 1e-3 --eval-dir testset --eval-every 1000 | tee build/train3.log
mkdir -p build/conversations
$PY export.py build/model.pt build/conversations | tee build/export3.log
[ -f heldout-conversations/testset.json ] || $PY scenes.py --out heldout-conversations --conversations 500 --seed 4242
$PY evaluate.py build/model.pt testset heldout-conversations --json build/eval_conversations.json \
    | tee build/eval_conversations.log
