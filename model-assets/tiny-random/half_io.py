#!/usr/bin/python3
"""Adds a q4f16 precision to the tiny test model: the q4 graphs with float16 inputs and outputs.

The published fp16 and q4f16 exports take and give float16 (pixel_values, image_features, inputs_embeds,
past_key_values.*, present.*, logits) and keep their embedding table in float16. ONNX Runtime's CPU kernels
cover few float16 ops, so instead of converting every weight this wraps each q4 graph: a Cast to float32
after every float input and a Cast to float16 before every float output, while the inside stays the q4 graph.
What the engine sees is what a q4f16 export shows it, which is what the tests need: its float16 conversions
of pixels, embeddings, the KV cache and logits. embed_tokens_q4f16 is the fp32 table stored as float16 behind
a plain Gather, as published.

Usage (Debian's python3-onnx and numpy), after build.py:
    /usr/bin/python3 model-assets/tiny-random/half_io.py
writes app/src/test/resources/models/tiny-random/onnx/*_q4f16.onnx (about 4 MB).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ONNX_DIR = os.path.join(REPO, 'app', 'src', 'test', 'resources', 'models', 'tiny-random', 'onnx')


def wrap(graph):
    """Turns every float32 graph input and output into float16, with Casts at the boundary."""
    casts_in = [cast_at_boundary(graph, value, TensorProto.FLOAT) for value in float_values(graph.input)]
    casts_out = [cast_at_boundary(graph, value, TensorProto.FLOAT16) for value in float_values(graph.output)]
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)


def float_values(values):
    return [v for v in values if v.type.tensor_type.elem_type == TensorProto.FLOAT]


def cast_at_boundary(graph, value, to):
    """Renames {value} inside the graph, makes the graph's {value} float16 and returns the Cast between them:
    to float32 for an input (graph value -> inside name), to float16 for an output (inside name -> graph value)."""
    inside = value.name + '_as_float'
    for node in graph.node:
        for names in (node.input, node.output):
            for i, name in enumerate(names):
                if name == value.name:
                    names[i] = inside
    value.type.tensor_type.elem_type = TensorProto.FLOAT16
    source, target = (value.name, inside) if to == TensorProto.FLOAT else (inside, value.name)
    return helper.make_node('Cast', [source], [target], to=to, name='half_io_' + value.name)


def half_table(model):
    """Stores the float32 Gather table of an embed graph as float16 and makes its output float16."""
    graph = model.graph
    gathers = [n for n in graph.node if n.op_type == 'Gather']
    if len(gathers) != 1 or len(graph.node) != 1:
        raise ValueError('expected a single Gather embed graph')
    table = next(t for t in graph.initializer if t.name == gathers[0].input[0])
    half = numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table.name)
    table.CopyFrom(half)
    graph.output[0].type.tensor_type.elem_type = TensorProto.FLOAT16


def main():
    for graph_name in ('vision_encoder', 'decoder_model_merged'):
        model = onnx.load(os.path.join(ONNX_DIR, graph_name + '_q4.onnx'))
        wrap(model.graph)
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(ONNX_DIR, graph_name + '_q4f16.onnx'))
    embed = onnx.load(os.path.join(ONNX_DIR, 'embed_tokens.onnx'))
    half_table(embed)
    onnx.checker.check_model(embed)
    onnx.save(embed, os.path.join(ONNX_DIR, 'embed_tokens_q4f16.onnx'))


if __name__ == '__main__':
    main()
