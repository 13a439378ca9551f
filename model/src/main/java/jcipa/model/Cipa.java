package jcipa.model;

import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * The whole CIPA network (the official EncoderDecoder): {@code logits = model(ct, pet)}, CT first
 * (the official forward takes CT as {@code rgb} and PET as {@code modal_x}); inputs (B, 3, S, S),
 * logits (B, 1, S, S). State-dict names and order equal the official model's.
 */
public final class Cipa extends Module {
    private final CipaConfig config;
    private final CipaBackbone backbone;
    private final MambaDecoder decodeHead;

    public Cipa(CipaConfig config, DType dt) {
        this.config = config;
        this.backbone = child("backbone", new CipaBackbone(config, dt));
        this.decodeHead = child("decode_head", new MambaDecoder(config.dims(), config.decoderDepths(), dt));
    }

    public CipaConfig config() { return config; }

    public CipaBackbone backbone() { return backbone; }

    public MambaDecoder decodeHead() { return decodeHead; }

    /** Logits for CT and PET images (evaluation, or training with drop path off: {@link #dropPathEnabled}(false)). */
    public Tensor forward(Tensor ct, Tensor pet) { return forward(ct, pet, null); }

    /** Logits; {@code rng} draws the drop-path masks in training (needed while drop path is on and a rate is positive). */
    public Tensor forward(Tensor ct, Tensor pet, SplittableRandom rng) {
        int[] s = ct.shape();
        int size = config.imageSize();
        if (s.length != 4 || s[1] != 3 || s[2] != size || s[3] != size || !java.util.Arrays.equals(s, pet.shape()))
            throw new IllegalArgumentException("CIPA " + config.name() + ": expected CT and PET of shape (B, 3, " + size + ", " + size + "), got "
                    + Shape.str(s) + " and " + Shape.str(pet.shape()));
        List<Tensor> fused = backbone.forward(ct, pet, rng);
        return decodeHead.forward(fused, s[2], s[3], rng);
    }
}
