from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 4

@test_case(points=1, hidden=False)
def test_q3_shapes(decoder_step, AttentionDecoder, torch):
    torch.manual_seed(0)
    decoder = AttentionDecoder(vocab_size=7, embedding_size=3, hidden_size=4, attention_size=5)
    mask = torch.tensor([[True, True, True, True, True, True], [True, True, False, False, False, False]])
    with torch.no_grad():
        result = decoder_step(decoder, torch.tensor([1, 6]), torch.zeros(2, 4), torch.ones(2, 6, 4), mask)
    assert isinstance(result, tuple) and len(result) == 3, 'decoder_step must return a triple (logits, new_hidden, weights)'
    for name, value, shape in zip(['logits', 'new_hidden', 'weights'], result, [(2, 7), (2, 4), (2, 6)]):
        assert isinstance(value, torch.Tensor) and tuple(value.shape) == shape, f"{name}: expected a tensor of shape {shape}, got {getattr(value, 'shape', value)!r}"

@test_case(points=2, hidden=False)
def test_q3_matches_a_step_built_from_nn_gru_cell(decoder_step, AttentionDecoder, torch):
    torch.manual_seed(7)
    vocab, emb, hidden_size, att = (9, 3, 4, 5)
    decoder = AttentionDecoder(vocab, emb, hidden_size, att)
    gen = torch.Generator().manual_seed(7)
    mask = torch.tensor([[True, True, True, True], [False, True, True, False], [True, True, True, False]])
    batch, src_len = mask.shape
    prev = torch.randint(0, vocab, (batch,), generator=gen)
    hidden, keys = (torch.randn(batch, hidden_size, generator=gen), torch.randn(batch, src_len, hidden_size, generator=gen))
    d = {name: p.detach().double() for name, p in decoder.named_parameters()}
    weights = torch.zeros(batch, src_len, dtype=torch.float64)
    context = torch.zeros(batch, hidden_size, dtype=torch.float64)
    for b in range(batch):
        real = keys[b, mask[b]].double()
        e = torch.tanh(real @ d['W_k'].T + d['W_q'] @ hidden[b].double()) @ d['v']
        weights[b, mask[b]] = torch.exp(e - e.max()) / torch.exp(e - e.max()).sum()
        context[b] = weights[b, mask[b]] @ real
    gru = torch.nn.GRUCell(emb + hidden_size, hidden_size).double()
    gru.load_state_dict(decoder.gru.state_dict())
    with torch.no_grad():
        new_hidden = gru(torch.cat([d['embedding.weight'][prev], context], dim=1), hidden.double())
        logits = new_hidden @ d['readout.weight'].T + d['readout.bias']
        result = decoder_step(decoder, prev, hidden, keys, mask)
    assert isinstance(result, tuple) and len(result) == 3, 'decoder_step must return a triple: see the first check'
    got_logits, got_hidden, got_weights = result
    assert got_logits.shape == logits.shape and got_hidden.shape == new_hidden.shape and (got_weights.shape == weights.shape), 'wrong shapes: see the first check'
    err = (got_weights.double() - weights).abs().max().item()
    assert err < 1e-05, f"the attention weights differ from the reference by up to {err:.2e} (allowed 1e-5): does question 2 pass? Attention asks with the PREVIOUS state, hidden, and the decoder's W_q, W_k and v"
    err = (got_hidden.double() - new_hidden).abs().max().item()
    assert err < 1e-05, f'the new state differs from the reference by up to {err:.2e} (allowed 1e-5): is decoder.gru fed torch.cat([embedded, context], dim=1), in this order, and the previous state?'
    err = (got_logits.double() - logits).abs().max().item()
    assert err < 1e-05, f'the logits differ from the reference by up to {err:.2e} (allowed 1e-5): read out the NEW state with decoder.readout'

