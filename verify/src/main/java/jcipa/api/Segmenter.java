package jcipa.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jcipa.data.Masks;
import jcipa.data.Pclt20k;
import jcipa.data.Png8;
import jcipa.data.Sample;
import jcipa.data.U8Image;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.Inputs;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.math.FMath;

/**
 * A CIPA network ready to segment PET-CT slices: load the weights once, then call
 * {@link #segment} for each pair (from any thread; each call runs without gradients).
 */
public final class Segmenter {
    private final Cipa model;

    private Segmenter(Cipa model) {
        this.model = model;
    }

    /** Reads a weight file ({@code .pth} or safetensors) and builds the network it describes. */
    public static Segmenter load(Path weights) throws IOException {
        return new Segmenter(Weights.load(weights).model());
    }

    /** Wraps a network already built (e.g. one being trained); switches it to eval mode. */
    public static Segmenter of(Cipa model) {
        model.eval();
        return new Segmenter(model);
    }

    public CipaConfig config() { return model.config(); }

    public Cipa model() { return model; }

    /** Reads two 8-bit grayscale PNGs and segments them; errors name the file and the problem. */
    public Segmentation segment(Path pet, Path ct) throws IOException {
        U8Image p = Png8.read(pet), c = Png8.read(ct);
        if (!p.sameSize(c))
            throw new IOException("PET " + pet + " is " + p.size() + " but CT " + ct + " is " + c.size() + "; they must be the same size");
        return segment(p, c);
    }

    /**
     * The segmentation of one slice pair (same size, the size the weights take). σ is computed in
     * float32 from the logits; the mask is σ·255 &gt; 127.5 as pred.py thresholds it.
     */
    public Segmentation segment(U8Image pet, U8Image ct) {
        checkSize(pet, ct);
        int h = ct.height(), w = ct.width();
        float[] logits;
        try (Autograd.Scope ng = Autograd.noGrad()) {
            Tensor ctIn = Inputs.fromU8(ct.pixels(), 1, h, w), petIn = Inputs.fromU8(pet.pixels(), 1, h, w);
            logits = model.forward(ctIn, petIn).contiguous().floats();
        }
        float[] prob = new float[h * w];
        for (int i = 0; i < prob.length; i++) prob[i] = FMath.sigmoid(logits[i]);
        return new Segmentation(w, h, prob, Masks.fromProbabilities(prob, 0, prob.length));
    }

    /** Receives each slice of {@link #segmentAll} with its segmentation. */
    public interface Sink {
        void accept(Sample slice, Segmentation segmentation) throws IOException;
    }

    /**
     * Segments the named slices of a PCLT20K-layout folder in order (masks are not needed), handing
     * each to {@code sink}; a slice that cannot be read stops it with an IOException naming it.
     */
    public void segmentAll(Pclt20k data, List<String> names, Progress progress, Sink sink) throws IOException {
        int done = 0;
        for (String name : names) {
            Sample s = data.load(name);
            try {
                checkSize(s.pet(), s.ct());
            } catch (IllegalArgumentException e) {
                throw new IOException(name + ": " + e.getMessage(), e);
            }
            sink.accept(s, segment(s.pet(), s.ct()));
            progress.update(++done, names.size(), name);
        }
        progress.finish();
    }

    /** IllegalArgumentException unless PET and CT have one size, the one these weights take. */
    public void checkSize(U8Image pet, U8Image ct) {
        if (!pet.sameSize(ct))
            throw new IllegalArgumentException("PET is " + pet.size() + " but CT is " + ct.size() + "; they must be the same size");
        int s = model.config().imageSize();
        if (ct.width() != s || ct.height() != s)
            throw new IllegalArgumentException("the images are " + ct.size() + " but these weights cannot take that: " + WeightsConfig.sizeRule(model.config()));
    }
}
