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
    casts_in = []
    for value in graph.input:
        tensor = value.type.tensor_type
        if tensor.elem_type != TensorProto.FLOAT:
            continue
        inside = value.name + '_as_float'
        for node in graph.node:
            for i, name in enumerate(node.input):
                if name == value.name:
                    node.input[i] = inside
        for output in graph.output:
            if output.name == value.name:
                raise ValueError('an input that is also an output: ' + value.name)
        tensor.elem_type = TensorProto.FLOAT16
        casts_in.append(helper.make_node('Cast', [value.name], [inside], to=TensorProto.FLOAT,
                                         name='half_io_in_' + value.name))
    casts_out = []
    for value in graph.output:
        tensor = value.type.tensor_type
        if tensor.elem_type != TensorProto.FLOAT:
            continue
        inside = value.name + '_as_float'
        for node in graph.node:
            for i, name in enumerate(node.output):
                if name == value.name:
                    node.output[i] = inside
            for i, name in enumerate(node.input):
                if name == value.name:
                    node.input[i] = inside
        tensor.elem_type = TensorProto.FLOAT16
        casts_out.append(helper.make_node('Cast', [inside], [value.name], to=TensorProto.FLOAT16,
                                          name='half_io_out_' + value.name))
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)


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
