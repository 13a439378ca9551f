package jcipa.api;

import java.awt.image.BufferedImage;

import jcipa.data.Masks;
import jcipa.data.U8Image;
import jcipa.viz.Overlay;

/**
 * The network's answer for one PET-CT slice: σ(logit) per pixel and the mask pred.py derives from
 * it (σ·255 &gt; 127.5), row-major, {@code height × width}.
 */
public record Segmentation(int width, int height, float[] probability, boolean[] mask) {

    /**
     * The probability as the 8-bit PNG {@code pred.py} saves: σ·255 in float32, converted by
     * {@code cv2.imwrite}'s rounding (to nearest, ties to even) and saturation to 0..255.
     */
    public U8Image probabilityImage() {
        byte[] u8 = new byte[probability.length];
        for (int i = 0; i < u8.length; i++) u8[i] = (byte) (int) Math.max(0, Math.min(255, Math.rint(probability[i] * 255f)));
        return new U8Image(width, height, u8);
    }

    /** The mask as an 8-bit image: 255 for tumour, 0 elsewhere. */
    public U8Image maskImage() {
        byte[] u8 = new byte[mask.length];
        for (int i = 0; i < u8.length; i++) u8[i] = (byte) (mask[i] ? 255 : 0);
        return new U8Image(width, height, u8);
    }

    /** CT in gray, PET fused in the hot colour map, this mask's outline in cyan. */
    public BufferedImage overlay(U8Image ct, U8Image pet) {
        return Overlay.render(ct.pixels(), pet.pixels(), mask, height, width);
    }

    /** Tumour pixels predicted. */
    public int tumourPixels() { return Masks.count(mask); }

    /** This prediction scored against a ground-truth mask (an 8-bit image, tumour where &gt; 127). */
    public ImageScore score(String name, U8Image truth) {
        if (truth.width() != width || truth.height() != height)
            throw new IllegalArgumentException(name + ": the mask is " + truth.size() + " but the prediction is " + width + "x" + height);
        return ImageScore.of(name, mask, Masks.fromPng(truth.pixels(), 0, truth.pixels().length), height, width);
    }
}
