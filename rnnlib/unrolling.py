"""The two formulas of an RNN, run step by step and written out in full.

The state formula updates the hidden state, the output formula reads the
output off it (chapter 3 numbers them in this order)::

    s_t = f(U x_t + W s_{t-1})        o_t = g(V s_t)

:func:`unroll_rnn` runs them one step at a time. :func:`unrolled_expression`
substitutes the state formula into the output formula again and again and returns the
written-out result as a SymPy expression, for a network with one unit
in each layer (the form the formulas are usually printed in).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
import torch

from rnnlib._checks import check_int

Activation = Callable[[torch.Tensor], torch.Tensor]


def unroll_rnn(
    x: torch.Tensor,
    U: torch.Tensor,
    W: torch.Tensor,
    V: torch.Tensor,
    s0: torch.Tensor | None = None,
    f: Activation = torch.tanh,
    g: Activation | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run an RNN over one sequence, one step at a time (no batch, no biases).

    Args:
        x: inputs, shape ``(T, I)``.
        U: input-to-hidden weights, shape ``(H, I)``.
        W: hidden-to-hidden weights, shape ``(H, H)``.
        V: hidden-to-output weights, shape ``(O, H)``.
        s0: initial state, shape ``(H,)``; zeros by default.
        f: the hidden nonlinearity (``tanh``).
        g: the output function; the identity by default.

    Returns:
        ``(outputs, states)`` of shapes ``(T, O)`` and ``(T, H)``.

    Raises:
        ValueError: if the shapes do not fit together, naming the mismatch.
    """
    if x.dim() != 2:
        raise ValueError(f"x must have shape (T, input_size), got {tuple(x.shape)}")
    hidden, inputs = U.shape
    if x.shape[1] != inputs:
        raise ValueError(f"x has {x.shape[1]} features per step but U expects {inputs}")
    if W.shape != (hidden, hidden):
        raise ValueError(f"W must have shape ({hidden}, {hidden}) to match U, got {tuple(W.shape)}")
    if V.dim() != 2 or V.shape[1] != hidden:
        raise ValueError(f"V must have shape (output_size, {hidden}), got {tuple(V.shape)}")
    s = torch.zeros(hidden, dtype=x.dtype, device=x.device) if s0 is None else s0
    if s.shape != (hidden,):
        raise ValueError(f"s0 must have shape ({hidden},), got {tuple(s.shape)}")
    states, outputs = [], []
    for x_t in x:
        s = f(U @ x_t + W @ s)  # the state formula
        o = V @ s  # the output formula, before g
        states.append(s)
        outputs.append(o if g is None else g(o))
    return torch.stack(outputs), torch.stack(states)


def unrolled_expression(t: int) -> sympy.Expr:
    """Return ``o_t`` written out in full for a one-unit RNN, as a SymPy expression.

    Substituting the state formula into the output formula ``t`` times gives
    ``g(V f(U x_t + W f(U x_{t-1} + ... W f(U x_1 + W s_0))))``. Symbols:
    ``U, W, V, s_0, x_1 ... x_t``; functions ``f`` and ``g``.

    Raises:
        TypeError: if ``t`` is not an int.
        ValueError: if ``t`` < 1.
    """
    check_int("t", t, minimum=1)
    U, W, V, s = sympy.symbols("U W V s_0")
    f, g = sympy.Function("f"), sympy.Function("g")
    for step in range(1, t + 1):
        s = f(U * sympy.Symbol(f"x_{step}") + W * s)
    return g(V * s)


def evaluate_unrolled(
    expression: sympy.Expr, values: dict[str, float], f: Callable = sympy.tanh, g: Callable | None = None
) -> float:
    """Evaluate an :func:`unrolled_expression` with numbers for its symbols, to 30 digits.

    Each number is taken to 30 digits (a float64 as the binary fraction it
    is, not its shortest decimal), and the whole nest is evaluated with 30
    significant digits before the result is rounded once, to a float. This
    makes it a reference for a float64 loop, which rounds after every
    operation.

    Args:
        expression: from :func:`unrolled_expression`.
        values: a number for each symbol, by name: ``U``, ``W``, ``V``,
            ``s_0`` and ``x_1`` ... ``x_t``.
        f, g: what the functions ``f`` and ``g`` stand for (``g`` the
            identity by default).

    Raises:
        ValueError: naming any symbol that has no value.
    """
    missing = sorted(str(s) for s in expression.free_symbols if str(s) not in values)
    if missing:
        raise ValueError(f"no value given for {', '.join(missing)}")
    concrete = expression.replace(sympy.Function("f"), f).replace(sympy.Function("g"), g or sympy.Id)
    exact = {sympy.Symbol(name): sympy.Float(value, 30) for name, value in values.items()}
    # Numbers of 30 digits put in with xreplace: every sum, product, f and g is
    # then computed in 30-digit arithmetic (SymPy keeps the larger precision of
    # its operands). Python floats would compute it in float64 instead; and
    # evalf(30, subs=...) gives the same to about 1e-30 but re-evaluates each
    # level of the nest at rising precision: 3 s for t = 6, against 3 ms here.
    return float(concrete.xreplace(exact))


def count_graph_nodes(output: torch.Tensor) -> int:
    """Count the nodes of the graph autograd recorded to compute ``output`` (a tensor of any shape).

    The nodes are the operations, plus one leaf node per parameter that
    requires grad (where its gradient is collected). Unrolling a recurrent
    network over ``T`` steps records the same few operations ``T`` times:
    this count grows with ``T`` while the number of parameters stays the same.

    Raises:
        ValueError: if ``output`` was not computed from tensors that require grad.
    """
    if output.grad_fn is None:
        raise ValueError("output has no autograd history: compute it from parameters that require grad")
    seen: set[object] = set()
    stack = [output.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(child for child, _ in node.next_functions)
    return len(seen)
