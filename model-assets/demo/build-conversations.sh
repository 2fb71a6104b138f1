#!/bin/sh
# Phases 3 and 4, after build.sh (needs build/phase2.pt): conversation training (paraphrases, follow-ups, positions,
# colour lists, greetings) on 10000 new scenes (cached in build/images_3_10000.pkl), extra vision symbols, the
# vision CNN frozen; then a finer stem for the CNN alone; then torch accuracy on the committed test set and on the conversation held-out sets
# (git-ignored, generated on first use). Exports into build/conversations/; copy that folder over
# ../glance-demo-shapes/ to ship it.
#   cd model-assets/demo && time ./build-conversations.sh
# Stage A teaches `where` alone, first where no look-up is needed (one-object scenes), then with one other object,
# then on every scene (without it the decoder never starts reading the side symbols). Stage B is the whole
# conversation mix. Stage C weights `describe` and `where` up and makes conversations longer (half of them three
# turns), which is what teaches a caption asked as the third turn; its last part weights `where` up again.
# Phase 4 (train_vision.py) gives the vision CNN a finer stem under the same decoder, for the smallest shapes.
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
DATA="--images 10000 --data-seed 3 --cache --converse"
WHERE="$DATA --type-weights where=1,count=0.02 --text-batch 0"
C1=color=0.05,shape=0.05,count=0.03,count_shape=0.08,exists=0.05,exists_shape=0.04,colors=0.05,where=0.22
C1=$C1,describe=0.36,unknown=0.05,greeting=0.02
C3=color=0.05,shape=0.05,count=0.03,count_shape=0.10,exists=0.04,exists_shape=0.03,colors=0.05,where=0.24
C3=$C3,describe=0.30,unknown=0.09,greeting=0.02
C4=color=0.05,shape=0.05,count=0.03,count_shape=0.08,exists=0.04,exists_shape=0.03,colors=0.04,where=0.34
C4=$C4,describe=0.25,unknown=0.07,greeting=0.02
$PY train.py --init build/phase2.pt --out build/where1.pt $WHERE --seed 3 --max-objects 1 --steps 600 --lr 3e-3 \
    | tee build/train3a1.log
$PY train.py --init build/where1.pt --out build/where2.pt $WHERE --seed 7 --max-objects 2 --steps 800 --lr 2e-3 \
    | tee build/train3a2.log
$PY train.py --init build/where2.pt --out build/where4.pt $WHERE --seed 8 --steps 800 --lr 2e-3 | tee build/train3a3.log
$PY train.py --init build/where4.pt --out build/mix1.pt $DATA --seed 6 --steps 1500 --lr 1e-3 | tee build/train3b1.log
$PY train.py --init build/mix1.pt --out build/mix2.pt $DATA --seed 10 --steps 2000 --lr 1e-3 | tee build/train3b2.log
$PY train.py --init build/mix2.pt --out build/long1.pt $DATA --seed 12 --steps 3000 --stop-after 1000 --lr 1e-3 \
    --type-weights $C1 | tee build/train3c1.log
$PY train.py --init build/long1.pt --out build/long2.pt $DATA --seed 13 --steps 2500 --lr 8e-4 --turns 0.15,0.35,0.5 \
    --type-weights $C1 | tee build/train3c2.log
$PY train.py --init build/long2.pt --out build/long3.pt $DATA --seed 15 --steps 4000 --lr 5e-4 --turns 0.15,0.35,0.5 \
    --type-weights $C3 | tee build/train3c3.log
$PY train.py --init build/long3.pt --out build/phase3.pt $DATA --seed 17 --steps 1200 --lr 3e-4 --turns 0.15,0.35,0.5 \
    --type-weights $C4 | tee build/train3c4.log
$PY train_vision.py --init build/phase3.pt --out build/model.pt | tee build/train4.log
mkdir -p build/conversations
$PY export.py build/model.pt build/conversations | tee build/export3.log
[ -f heldout-conversations/testset.json ] || $PY scenes.py --out heldout-conversations --conversations 500 --seed 4242
[ -f heldout-conversations-10/testset.json ] || \
    $PY scenes.py --out heldout-conversations-10 --conversations 500 --seed 6161 --min-size 0.10
$PY evaluate.py build/model.pt testset heldout-conversations heldout-conversations-10 \
    --json build/eval_conversations.json | tee build/eval_conversations.log
