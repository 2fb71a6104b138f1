#!/bin/sh
# Full, seeded build of model-assets/glance-demo-shapes from nothing (CPU only).
#   cd model-assets/demo && time ./build.sh
# Steps: render 20000 training scenes -> train (phases 1 and 2: single questions) -> render 10000 more ->
# phase 3: conversations -> export fp32/int8/q4 ONNX + configs -> torch accuracy on the committed test set,
# the 500-scene held-out set (testset-large/) and the conversation held-out set (heldout-conversations/),
# both git-ignored.
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
mkdir -p build
# phase 1: everything from scratch (renders the 20000 training scenes, cached in build/images_1_20000.pkl)
$PY train.py --out build/phase1.pt --images 20000 --steps 2400 --seed 1 --data-seed 1 --cache \
    --eval-dir testset --eval-every 300 | tee build/train.log
# phase 2: same scenes, more colour/shape/exists questions
$PY train.py --init build/phase1.pt --out build/phase2.pt --images 20000 --data-seed 1 --seed 2 --cache \
    --steps 1500 --lr 2e-3 --type-weights color=0.2,shape=0.2,count=0.05,exists=0.3,describe=0.15,unknown=0.1 \
    --eval-dir testset --eval-every 300 | tee build/train2.log
# phase 3: conversations (paraphrases, follow-ups, positions, colour lists, greetings) on 10000 new scenes
# (cached in build/images_3_10000.pkl); extra vision symbols, the vision CNN frozen
$PY train.py --init build/phase2.pt --out build/model.pt --images 10000 --data-seed 3 --seed 3 --cache \
    --converse --steps 900 --lr 3e-3 --eval-dir testset --eval-every 500 | tee build/train3.log
$PY export.py build/model.pt ../glance-demo-shapes | tee build/export.log
[ -f testset-large/testset.json ] || $PY scenes.py --out testset-large --n 500 --seed 777
[ -f heldout-conversations/testset.json ] || $PY scenes.py --out heldout-conversations --conversations 500 --seed 4242
$PY evaluate.py build/model.pt testset testset-large heldout-conversations --json build/eval_torch.json \
    | tee build/eval_torch.log
