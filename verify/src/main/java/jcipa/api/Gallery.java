package jcipa.api;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import jcipa.data.Masks;
import jcipa.data.Pclt20k;
import jcipa.data.Sample;
import jcipa.viz.Overlay;

/**
 * A picture of chosen cases, one row each: the fused PET-CT with the predicted outline, then with
 * the ground-truth outline, captioned with the name and the image's IoU, F1 and HD95.
 */
public final class Gallery {
    private Gallery() {}

    private static final int CAPTION = 18, GAP = 4;

    /** Re-segments each listed case and lays the rows out; small images are enlarged (nearest neighbour) to 256 px tiles. */
    public static BufferedImage render(Segmenter segmenter, Pclt20k data, List<ImageScore> cases) throws IOException {
        int side = segmenter.config().imageSize(), tile = side < 256 ? side * ((255 + side) / side) : side;
        int rows = Math.max(1, cases.size());
        BufferedImage out = new BufferedImage(2 * tile + 3 * GAP, CAPTION + rows * (tile + CAPTION + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.WHITE);
        g.drawString("worst cases: left the predicted outline, right the true one", GAP, CAPTION - 5);
        int y = GAP + CAPTION;
        for (ImageScore c : cases) {
            Sample s = data.loadWithMask(c.name());
            Segmentation seg = segmenter.segment(s.pet(), s.ct());
            boolean[] truth = Masks.fromPng(s.mask().pixels(), 0, s.mask().pixels().length);
            g.setColor(Color.WHITE);
            g.drawString(String.format(Locale.ROOT, "%s   IoU %.3f   F1 %.3f   HD95 %s", c.name(), c.iou(), c.f1(),
                    Double.isNaN(c.hd95()) ? "-" : String.format(Locale.ROOT, "%.1f", c.hd95())), GAP, y + CAPTION - 5);
            y += CAPTION;
            g.drawImage(seg.overlay(s.ct(), s.pet()), GAP, y, tile, tile, null);
            g.drawImage(Overlay.render(s.ct().pixels(), s.pet().pixels(), truth, s.height(), s.width()), 2 * GAP + tile, y, tile, tile, null);
            y += tile + GAP;
        }
        g.dispose();
        return out;
    }
}
