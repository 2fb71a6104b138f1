"""Minimal re-implementation of the SmolVLM tokenizer (tokenizer.json: byte-level BPE, GPT-2 regex,
individual digits, added/special tokens matched first, no normalizer, no BOS).

Only what the demo model needs: encode() for ASCII prompts/answers and decode().  It is checked
against transformers.js (the HF tokenizer) by check_tokenizer.mjs; see README.md.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOKENIZER = os.path.join(HERE, '..', 'glance-demo-shapes', 'tokenizer.json')


def byte_to_unicode():
    """GPT-2's reversible byte -> printable character table, which byte-level BPE tokenizers use."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


# GPT-2 pattern; \p{L} -> [^\W\d_], \p{N} -> \d (exact for ASCII text)
_PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|(?: ?_+)+|\s+(?!\S)|\s+""")


class Tokenizer:
    def __init__(self, path=DEFAULT_TOKENIZER):
        t = json.load(open(path, encoding='utf-8'))
        self.vocab = t['model']['vocab']
        self.inv = {v: k for k, v in self.vocab.items()}
        self.ranks = {}
        for i, m in enumerate(t['model']['merges']):
            a, b = m if isinstance(m, list) else m.split(' ')
            self.ranks[(a, b)] = i
        self.added = {a['content']: a['id'] for a in t['added_tokens']}
        for k, v in self.added.items():
            self.inv[v] = k
        self.special_re = re.compile('(' + '|'.join(re.escape(k) for k in sorted(self.added, key=len, reverse=True)) + ')')
        self.b2u = byte_to_unicode()
        self.u2b = {v: k for k, v in self.b2u.items()}
        self.cache = {}

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best, bi = None, -1
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            a, b = parts[bi], parts[bi + 1]
            out, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            parts = out
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def _encode_plain(self, text):
        ids = []
        # Digits pre-tokenizer (individual digits) then ByteLevel regex
        for chunk in re.split(r'(\d)', text):
            if not chunk:
                continue
            for piece in _PAT.findall(chunk):
                ids.extend(self._bpe(''.join(self.b2u[b] for b in piece.encode('utf-8'))))
        return ids

    def encode(self, text):
        ids = []
        for part in self.special_re.split(text):
            if not part:
                continue
            if part in self.added:
                ids.append(self.added[part])
            else:
                ids.extend(self._encode_plain(part))
        return ids

    def decode(self, ids, skip_special=False):
        out, buf = [], []
        for i in ids:
            tok = self.inv[i]
            if i in self.added.values() and tok in self.added:
                if buf:
                    out.append(bytes(self.u2b[c] for c in ''.join(buf)).decode('utf-8', 'replace'))
                    buf = []
                if not skip_special:
                    out.append(tok)
            else:
                buf.append(tok)
        if buf:
            out.append(bytes(self.u2b[c] for c in ''.join(buf)).decode('utf-8', 'replace'))
        return ''.join(out)
