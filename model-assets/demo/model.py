"""The Glance demo model (torch): small CNN+transformer vision encoder and a tiny Llama decoder.

Everything here is mirrored op-for-op by export.py (hand-written ONNX graphs in the published
SmolVLM/Idefics3 layout).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---- fixed by the SmolVLM tokenizer / format ----
VOCAB = 49280
IMAGE_TOKEN = 49190
FAKE_TOKEN = 49189
GLOBAL_IMG = 49152
EOU = 49279
PAD = 2

# ---- the demo model's dimensions (written to config.json by export.py) ----
CFG = dict(
    T=256,            # vision_config.image_size = max_image_size.longest_edge
    P=16,             # vision_config.patch_size: the CNN reduces 256x256 to a 16x16 grid
    SF=4,             # scale_factor: 4x4 grid cells -> one token (pixel-shuffle style)
    C=(16, 32, 64),   # CNN widths at 64x64, 32x32, 16x16
    VH=128,           # vision transformer width (vision_config.hidden_size)
    VL=2,             # vision transformer layers
    VNH=4,            # vision heads
    VI=256,           # vision MLP
    H=64,             # text hidden size
    L=6,              # decoder layers
    NH=4,             # attention heads
    KVH=2,            # key/value heads (GQA)
    HD=16,            # head_dim
    I=256,            # MLP intermediate size
    rms_eps=1e-5,
    ln_eps=1e-5,
    theta=100000.0,
)
CFG['G'] = CFG['T'] // CFG['P']                      # 16
CFG['SEQ'] = (CFG['G'] // CFG['SF']) ** 2            # image_seq_len = 16


def fast_linear(x, weight, bias=None):
    """y = x @ weight.T (+ bias), computed as a batch-16 1x1 convolution so that torch uses oneDNN.
    (Debian's torch links the generic reference BLAS: plain matmul runs at ~5 GFLOP/s; oneDNN at 40-75.)"""
    shp = x.shape
    K = shp[-1]
    N = weight.shape[0]
    x2 = x.reshape(-1, K)
    M = x2.shape[0]
    Mp = (M + 15) // 16 * 16
    if Mp != M:
        x2 = F.pad(x2, (0, 0, 0, Mp - M))
    xc = x2.view(16, Mp // 16, K).permute(0, 2, 1).unsqueeze(2)
    y = F.conv2d(xc, weight.view(N, K, 1, 1), bias)
    y = y.squeeze(2).permute(0, 2, 1).reshape(Mp, N)[:M]
    return y.reshape(*shp[:-1], N)


def gmm(a, b):
    """Batched matmul a[..., M, K] @ b[..., K, N] as a grouped 1x1 convolution (oneDNN); dilation=2 is
    a no-op for a 1x1 kernel that only makes torch pick the oneDNN kernel.  Debian's torch links the
    generic reference BLAS, so bmm is 5-10x slower at these sizes."""
    lead = a.shape[:-2]
    M, K = a.shape[-2:]
    N = b.shape[-1]
    a = a.reshape(-1, M, K)
    G = a.shape[0]
    b = b.reshape(G, K, N)
    x = a.permute(0, 2, 1).reshape(1, G * K, 1, M)
    w = b.permute(0, 2, 1).reshape(G * N, K, 1, 1)
    y = F.conv2d(x, w, groups=G, dilation=2)
    return y.view(G, N, M).transpose(1, 2).reshape(*lead, M, N)


def attn(q, k, v, mask_add=None):
    """softmax(q k^T / sqrt(d) + mask) v"""
    sc = gmm(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    if mask_add is not None:
        sc = sc + mask_add
    return gmm(torch.softmax(sc, -1), v)


class Linear(nn.Linear):
    def forward(self, x):
        return fast_linear(x, self.weight, self.bias)


class ConvBN(nn.Module):
    def __init__(self, cin, cout, k, s, p, act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, p, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        return F.relu(x) if self.act else x


def space_to_depth(x, block):
    """[N,C,H,W] -> [N,C*block*block,H/block,W/block] in ONNX SpaceToDepth's order: output channel
    (row * block + column) * C + c holds pixel (row, column) of each block's channel c."""
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // block, block, w // block, block).permute(0, 3, 5, 1, 2, 4)
    return x.reshape(n, c * block * block, h // block, w // block)


class FineStem(nn.Module):
    """Phase 4's stem: the picture cut into 4x4 pixel blocks (space_to_depth), then two 3x3 convolutions over
    the 64x64 grid of blocks, so that each cell is read with its neighbours and through two non-linear layers
    instead of one linear map. (Stride-2 convolutions at full resolution would do the same, but Debian's torch
    runs them on its reference BLAS: a training step took 1 s with them, 0.35 s with these.)"""
    BLOCK = 4

    def __init__(self, cout, width):
        super().__init__()
        self.a = ConvBN(3 * self.BLOCK ** 2, width, 3, 1, 1)
        self.b = ConvBN(width, cout, 3, 1, 1)

    def forward(self, x):
        return self.b(self.a(space_to_depth(x, self.BLOCK)))


class VisionBlock(nn.Module):
    def __init__(self, d, nh, di, eps):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=eps)
        self.q, self.k, self.v, self.o = (Linear(d, d) for _ in range(4))
        self.ln2 = nn.LayerNorm(d, eps=eps)
        self.fc1, self.fc2 = Linear(d, di), Linear(di, d)
        self.nh = nh

    def forward(self, x):
        B, S, D = x.shape
        hd = D // self.nh
        h = self.ln1(x)
        q = self.q(h).view(B, S, self.nh, hd).transpose(1, 2)
        k = self.k(h).view(B, S, self.nh, hd).transpose(1, 2)
        v = self.v(h).view(B, S, self.nh, hd).transpose(1, 2)
        a = attn(q, k, v)
        x = x + self.o(a.transpose(1, 2).reshape(B, S, D))
        h = self.fc1(self.ln2(x))
        return x + self.fc2(h * torch.sigmoid(h))


class Vision(nn.Module):
    """CNN on the T x T image -> 16 x 16 grid; a 1x1 head gives per-cell colour / shape / object-centre
    scores; columns of the grid (16 px strips) are pooled, objects are ranked left to right with a
    cumulative sum, and 16 output tokens are built from these soft symbols:
      token 0      scene summary: presence of each (colour, shape) pair, soft object count
      tokens 1..4  the objects from left to right (colour/shape probabilities, their 24-way product,
                   presence, slot index)
      tokens 5..15 zeros (plus a learned per-token vector)
    followed by a linear map to the text hidden size.
    With extra=True (training phase 3 on; what is exported) a second linear map (proj_extra, zero at the
    start of phase 3, so that the phase-2 function is kept) adds more symbols: to token 0 the presence of
    each colour and of each shape and two soft count codes per shape (from the cells and from the slots);
    to tokens 1..4 the object's position in the squashed image (x - 1/2, y - 1/2 and |x - 1/2| - |y - 1/2|,
    times 4) and the side it is nearest to (soft one-hot: left, right, top, bottom)."""
    EXTRA = 8 + 3 + 15 + 15 + 7
    SIDE_SHARPNESS = 25.0
    FINE_STEM_WIDTH = 32

    def __init__(self, c=CFG, extra=False, fine_stem=False):
        super().__init__()
        self.extra = extra
        c1, c2, c3 = c['C']
        self.c = c
        # phases 1-3: a linear map of each 4x4 pixel block (one cell of the 64x64 grid); phase 4: FineStem
        self.stem = FineStem(c1, self.FINE_STEM_WIDTH) if fine_stem else ConvBN(3, c1, 4, 4, 0)
        self.b1 = ConvBN(c1, c2, 3, 2, 1)
        self.b2 = ConvBN(c2, c2, 3, 1, 1)
        self.b3 = ConvBN(c2, c3, 3, 2, 1)
        self.r1a = ConvBN(c3, c3, 3, 1, 1)
        self.r1b = ConvBN(c3, c3, 3, 1, 1, act=False)
        self.r2a = ConvBN(c3, c3, 3, 1, 1)
        self.r2b = ConvBN(c3, c3, 3, 1, 1, act=False)
        self.head = nn.Conv2d(c3, 9 + 4 + 1, 1)
        with torch.no_grad():
            self.head.bias[13] = -5.0   # object centres are rare (1-4 of 256 cells)
        self.SD = 24 + 5 + 11 + 24 + 1 + 4
        self.proj = Linear(self.SD, c['H'], bias=False)
        self.tokpos = nn.Parameter(torch.zeros(c['SEQ'], c['H']))
        if extra:
            self.proj_extra = Linear(self.EXTRA, c['H'], bias=False)
            with torch.no_grad():
                self.proj_extra.weight.zero_()

    @staticmethod
    def for_checkpoint(state, extra=None):
        """An untrained Vision with the layers a checkpoint's vision state holds (extra symbols unless extra says,
        fine stem)."""
        return Vision(extra='proj_extra.weight' in state if extra is None else extra,
                      fine_stem='stem.a.conv.weight' in state)

    def forward(self, pixel_values, pixel_attention_mask=None, with_aux=False):
        """pixel_values [N,3,T,T] normalized to [-1,1] -> image_features [N,SEQ,H]"""
        x = pixel_values
        if pixel_attention_mask is not None:
            x = x * pixel_attention_mask[:, None].to(x.dtype)
        x = self.stem(x)
        x = self.b2(self.b1(x))
        x = self.b3(x)
        x = F.relu(x + self.r1b(self.r1a(x)))
        x = F.relu(x + self.r2b(self.r2a(x)))
        hl = self.head(x)                                   # [N,14,G,G]
        col_l, shp_l, ctr_l = hl[:, 0:9], hl[:, 9:13], hl[:, 13]
        pc = torch.softmax(col_l, 1)[:, 1:]                 # [N,8,G,G]
        ps = torch.softmax(shp_l, 1)[:, 1:]                 # [N,3,G,G]
        ctr = torch.sigmoid(ctr_l)                          # [N,G,G]
        d = torch.cat([pc, ps], 1)                          # [N,11,G,G]
        w = torch.softmax(ctr_l, 1)                         # over rows -> [N,G(rows),G(cols)]
        D = (d * w[:, None]).sum(2)                         # [N,11,G cols]
        o = ctr.sum(1)                                      # [N,G cols] objects centred in the column
        rank = torch.cumsum(o, -1) - o
        count = o.sum(-1, keepdim=True)                     # [N,1]
        ks = torch.arange(4, dtype=x.dtype, device=x.device)
        a = o[:, None, :] * torch.exp(-4.0 * (rank[:, None, :] - ks[None, :, None]) ** 2)   # [N,4,G]
        slot = (a[:, :, None, :] * D[:, None]).sum(-1) / (a.sum(-1, keepdim=True) + 1e-3)    # [N,4,11]
        pres = torch.clamp(count - ks[None], 0.0, 1.0)     # [N,4]
        pair = (pc[:, :, None] * ps[:, None] * ctr[:, None, None]).flatten(3).amax(-1).flatten(1)  # [N,24]
        ns = torch.arange(5, dtype=x.dtype, device=x.device)
        ccode = torch.exp(-2.0 * (count - ns[None]) ** 2)  # [N,5]
        N = x.shape[0]
        z = torch.zeros(N, 1, dtype=x.dtype, device=x.device)
        t0 = torch.cat([pair, ccode, z.expand(N, self.SD - 29)], 1)[:, None]                                  # [N,1,SD]
        eye = torch.eye(4, dtype=x.dtype, device=x.device)[None].expand(N, 4, 4)
        spair = (slot[..., :8, None] * slot[..., None, 8:]).flatten(2)                              # [N,4,24]
        t1 = torch.cat([torch.zeros(N, 4, 29, dtype=x.dtype, device=x.device), slot, spair, pres[..., None], eye], 2)  # [N,4,SD]
        t2 = torch.zeros(N, self.c['SEQ'] - 5, self.SD, dtype=x.dtype, device=x.device)
        sym = torch.cat([t0, t1, t2], 1)                    # [N,SEQ,SD]
        feats = self.proj(sym) + self.tokpos
        aux = dict(col=col_l, shp=shp_l, ctr=ctr_l, slot=slot, count=count[:, 0], pair=pair)
        if self.extra:
            aux['extra'] = self.extra_symbols(pc, ps, ctr, w, a, slot, pres)
            feats = feats + self.proj_extra(aux['extra'])
        return (feats, aux) if with_aux else feats


    def extra_symbols(self, pc, ps, ctr, w, a, slot, pres):
        """[N,SEQ,EXTRA]: token 0 = colour presence (8), shape presence (3), per-shape count codes from the
        cells and from the slots (2 x 3 x 5); tokens 1..4 = position of the slot's object (3) and its side (4);
        the other tokens zero."""
        N, G = ctr.shape[0], ctr.shape[-1]
        zeros = lambda *shape: torch.zeros(*shape, dtype=ctr.dtype, device=ctr.device)
        cp = (pc * ctr[:, None]).flatten(2).amax(-1)                                # [N,8]
        sp3 = ps * ctr[:, None]                                                     # [N,3,G,G]
        sp = sp3.flatten(2).amax(-1)                                                # [N,3]
        scount = sp3.flatten(2).sum(-1)                                             # [N,3]
        ns = torch.arange(5, dtype=ctr.dtype, device=ctr.device)
        scode = torch.exp(-2.0 * (scount[..., None] - ns) ** 2).flatten(1)          # [N,15]
        slot_count = (slot[..., 8:] * pres[..., None]).sum(1)                       # [N,3]
        slot_code = torch.exp(-2.0 * (slot_count[..., None] - ns) ** 2).flatten(1)  # [N,15]
        cells = (torch.arange(G, dtype=ctr.dtype, device=ctr.device) + 0.5) / G     # [G]
        ycol = (w * cells[None, :, None]).sum(1)                                    # [N,G] centre row per column
        den = a.sum(-1) + 1e-3                                                      # [N,4]
        dx = (a * cells).sum(-1) / den - 0.5
        dy = (a * ycol[:, None]).sum(-1) / den - 0.5
        k = self.SIDE_SHARPNESS
        horizontal = torch.sigmoid(k * (dx.abs() - dy.abs()))
        side = torch.stack([horizontal * torch.sigmoid(-k * dx), horizontal * torch.sigmoid(k * dx),
                            (1 - horizontal) * torch.sigmoid(-k * dy), (1 - horizontal) * torch.sigmoid(k * dy)], -1)
        pos = torch.cat([4.0 * torch.stack([dx, dy, dx.abs() - dy.abs()], -1), side], -1)  # [N,4,7]
        t0 = torch.cat([cp, sp, scode, slot_code, zeros(N, 7)], 1)[:, None]         # [N,1,EXTRA]
        t1 = torch.cat([zeros(N, 4, 41), pos], 2)                                   # [N,4,EXTRA]
        return torch.cat([t0, t1, zeros(N, self.c['SEQ'] - 5, self.EXTRA)], 1)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rope(x, cos, sin):
    h = x.shape[-1] // 2
    return x * cos + torch.cat([-x[..., h:], x[..., :h]], -1) * sin


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        H, NH, KVH, HD, I = c['H'], c['NH'], c['KVH'], c['HD'], c['I']
        self.ln1, self.ln2 = RMSNorm(H, c['rms_eps']), RMSNorm(H, c['rms_eps'])
        self.q = Linear(H, NH * HD, bias=False)
        self.k = Linear(H, KVH * HD, bias=False)
        self.v = Linear(H, KVH * HD, bias=False)
        self.o = Linear(NH * HD, H, bias=False)
        self.gate = Linear(H, I, bias=False)
        self.up = Linear(H, I, bias=False)
        self.down = Linear(I, H, bias=False)
        self.NH, self.KVH, self.HD = NH, KVH, HD

    def forward(self, h, cos, sin, mask_add):
        B, S, _ = h.shape
        x = self.ln1(h)
        q = rope(self.q(x).view(B, S, self.NH, self.HD).transpose(1, 2), cos, sin)
        k = rope(self.k(x).view(B, S, self.KVH, self.HD).transpose(1, 2), cos, sin)
        v = self.v(x).view(B, S, self.KVH, self.HD).transpose(1, 2)
        rep = self.NH // self.KVH
        k = k.repeat_interleave(rep, 1)
        v = v.repeat_interleave(rep, 1)
        a = attn(q, k, v, mask_add)
        h = h + self.o(a.transpose(1, 2).reshape(B, S, self.NH * self.HD))
        x = self.ln2(h)
        g = self.gate(x)
        return h + self.down(g * torch.sigmoid(g) * self.up(x))


class Decoder(nn.Module):
    def __init__(self, c=CFG):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(VOCAB, c['H'])
        self.layers = nn.ModuleList(DecoderLayer(c) for _ in range(c['L']))
        self.norm = RMSNorm(c['H'], c['rms_eps'])
        self.lm_head = Linear(c['H'], VOCAB, bias=False)
        inv = 1.0 / (c['theta'] ** (torch.arange(0, c['HD'], 2, dtype=torch.float64) / c['HD']))
        self.register_buffer('inv_freq', inv.float(), persistent=False)

    def hidden(self, embeds, lengths=None):
        """embeds [B,S,H]; right padding allowed (causal mask makes it harmless).  Returns final-normed h."""
        B, S, _ = embeds.shape
        pos = torch.arange(S, device=embeds.device, dtype=torch.float32)
        fr = pos[:, None] * self.inv_freq[None]
        emb = torch.cat([fr, fr], -1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        causal = torch.ones(S, S, dtype=torch.bool, device=embeds.device).tril()
        mask_add = torch.where(causal, 0.0, torch.finfo(torch.float32).min)[None, None]
        h = embeds
        for l in self.layers:
            h = l(h, cos, sin, mask_add)
        return self.norm(h)
