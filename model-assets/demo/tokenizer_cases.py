#!/usr/bin/python3
"""Writes build/tok_cases.json: [string, bpe.py ids] for every prompt+answer of testset-large and 300
random text-only prompts, for tokenizer_check.mjs."""
import json
import random

from data import Prompter

p = Prompter()
d = json.load(open('testset-large/testset.json'))
out = []
for e in d['scenes']:
    for q in e['questions']:
        s = '<|im_start|>User:' + p.image_block + q['question'] + '<end_of_utterance>\nAssistant: ' + q['answer'] + '<end_of_utterance>'
        out.append([s, p.prompt_ids(q['question']) + p.answer_ids(q['answer'])])
r = random.Random(0)
for i in range(300):
    q = ' '.join(r.sample(p.vocab_words, 4)) + '? 123 x2'
    out.append(['<|im_start|>User: ' + q + '<end_of_utterance>\nAssistant:', p.prompt_ids(q, False)])
json.dump(out, open('build/tok_cases.json', 'w'))
print(len(out), 'cases -> build/tok_cases.json')
