"""The exploding-gradient cliff of Pascanu, Mikolov & Bengio (2013), section 3.

A one-unit recurrent network ``x_t = w * sigmoid(x_{t-1}) + b`` starts at
``x_0 = 0.5`` and runs 50 steps; the loss is ``(sigmoid(x_50) - 0.7)**2``.
Over most of the ``(w, b)`` plane the loss is flat, but along a narrow ridge
it changes abruptly: a cliff, where the gradient is enormous. One plain
gradient step taken there throws the parameters far away; clipping the
gradient's norm (their Algorithm 1) keeps the step small.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

STEPS, X0, TARGET = 50, 0.5, 0.7


def cliff_loss(w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The loss for parameters ``w`` and ``b`` (tensors of any one shape, evaluated elementwise)."""
    x = torch.full_like(w, X0)
    for _ in range(STEPS):
        x = w * torch.sigmoid(x) + b
    return (torch.sigmoid(x) - TARGET) ** 2


def loss_and_gradient(w: float, b: float) -> tuple[float, torch.Tensor]:
    """The loss at ``(w, b)`` and its gradient, shape ``(2,)``, in float64."""
    params = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    loss = cliff_loss(params[0], params[1])
    loss.backward()
    return loss.item(), params.grad.detach()


def landscape(ws: torch.Tensor, bs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Loss and gradient norm over the grid ``ws x bs``.

    Returns:
        ``(loss, gradient_norm)``, each of shape ``(len(ws), len(bs))``.
    """
    w, b = torch.meshgrid(ws.double(), bs.double(), indexing="ij")
    w.requires_grad_()
    b.requires_grad_()
    loss = cliff_loss(w, b)
    loss.sum().backward()  # every grid point is independent, so this gives each point's gradient
    return loss.detach(), torch.sqrt(w.grad**2 + b.grad**2)


@dataclass(frozen=True)
class Descent:
    """Where gradient descent went: ``points`` of shape ``(steps + 1, 2)`` and the loss at each."""

    points: torch.Tensor
    losses: list[float]


def descend(w: float, b: float, lr: float, steps: int, clip: float | None = None) -> Descent:
    """Take ``steps`` gradient steps from ``(w, b)``, clipping the gradient's norm to ``clip`` if given.

    Clipping rescales the gradient ``g`` to ``clip * g / ||g||`` when
    ``||g|| > clip``, so no step is longer than ``lr * clip``.
    """
    point = torch.tensor([w, b], dtype=torch.float64)
    points, losses = [point.clone()], []
    for _ in range(steps):
        loss, gradient = loss_and_gradient(point[0].item(), point[1].item())
        losses.append(loss)
        norm = gradient.norm()
        if clip is not None and norm > clip:
            gradient = gradient * (clip / norm)
        point = point - lr * gradient
        points.append(point.clone())
    losses.append(loss_and_gradient(point[0].item(), point[1].item())[0])
    return Descent(torch.stack(points), losses)
