package jcipa.viz;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Draws a 2-D map with the viridis colour map, min–max normalised to [0, 1], with a colour bar
 * labelled with the map's minimum (bottom) and maximum (top). Small maps are enlarged with
 * nearest-neighbour pixels so their cells stay visible. Labels use a built-in 3×5 pixel font, so
 * the PNG bytes do not depend on the fonts a machine has.
 */
public final class MapImage {
    private MapImage() {}

    /** Side the map area is enlarged towards (by a whole factor). */
    public static final int TARGET = 256;
    private static final int GAP = 8, BAR = 16, SCALE = 2, WHITE = 0xffffff, BLACK = 0;

    public static BufferedImage render(double[][] map) {
        int h = map.length, w = map[0].length;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] row : map) for (double v : row) { min = Math.min(min, v); max = Math.max(max, v); }
        double range = max - min;
        int k = Math.max(1, TARGET / Math.max(h, w));
        int mapW = w * k, mapH = h * k;
        String top = label(max), bottom = label(min);
        int labelW = Math.max(top.length(), bottom.length()) * 4 * SCALE;
        int width = mapW + GAP + BAR + GAP / 2 + labelW + GAP, height = Math.max(mapH, 5 * SCALE * 3);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.setRGB(x, y, WHITE);
        for (int y = 0; y < mapH; y++)
            for (int x = 0; x < mapW; x++) {
                double v = map[y / k][x / k];
                img.setRGB(x, y, Viridis.rgb(range > 0 ? (v - min) / range : 0));
            }
        int barX = mapW + GAP;
        for (int y = 0; y < mapH; y++) {
            int rgb = Viridis.rgb(mapH == 1 ? 1 : 1 - y / (double) (mapH - 1));
            for (int x = barX; x < barX + BAR; x++) img.setRGB(x, y, rgb);
        }
        int textX = barX + BAR + GAP / 2;
        text(img, top, textX, 0);
        text(img, bottom, textX, mapH - 5 * SCALE);
        return img;
    }

    /** A value as the colour bar shows it: 3 significant digits. */
    static String label(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    // 3×5 glyphs, rows top to bottom, 3 bits each (bit 2 = left column)
    private static final String CHARS = "0123456789-.+e";
    private static final int[][] GLYPHS = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
        {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
        {0, 0, 7, 0, 0}, {0, 0, 0, 0, 2}, {0, 2, 7, 2, 0}, {0, 3, 7, 4, 3}};

    private static void text(BufferedImage img, String s, int x0, int y0) {
        for (int i = 0; i < s.length(); i++) {
            int g = CHARS.indexOf(s.charAt(i));
            if (g < 0) continue;
            for (int row = 0; row < 5; row++)
                for (int col = 0; col < 3; col++)
                    if ((GLYPHS[g][row] >> (2 - col) & 1) != 0)
                        for (int dy = 0; dy < SCALE; dy++)
                            for (int dx = 0; dx < SCALE; dx++) {
                                int x = x0 + (4 * i + col) * SCALE + dx, y = y0 + row * SCALE + dy;
                                if (x < img.getWidth() && y >= 0 && y < img.getHeight()) img.setRGB(x, y, BLACK);
                            }
        }
    }
}
