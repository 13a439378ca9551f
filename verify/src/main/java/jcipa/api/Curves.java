package jcipa.api;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jcipa.viz.AtomicPng;

/**
 * The training curves as one PNG (plain Java2D): on top the loss of every step (light) and its
 * per-epoch mean (dark) against the step; below IoU and F1 on the evaluation split against the epoch.
 */
public final class Curves {
    private Curves() {}

    private static final int W = 900, PANEL = 300, LEFT = 70, RIGHT = 20, TOP = 30, BOTTOM = 45;

    /** Draws the curves of a run of {@code epochs} epochs of {@code stepsPerEpoch} steps (the axes span the whole run). */
    public static void write(Path file, TrainHistory h, int stepsPerEpoch, int epochs) throws IOException {
        AtomicPng.write(file, render(h, stepsPerEpoch, epochs));
    }

    public static BufferedImage render(TrainHistory h, int stepsPerEpoch, int epochs) {
        BufferedImage img = new BufferedImage(W, 2 * PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, 2 * PANEL);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        List<double[]> steps = new ArrayList<>(), epochMeans = new ArrayList<>(), iou = new ArrayList<>(), f1 = new ArrayList<>();
        for (int i = 0; i < h.stepLoss.size(); i++) steps.add(new double[] {i + 1, h.stepLoss.get(i)});
        for (TrainHistory.Epoch e : h.epochs) {
            epochMeans.add(new double[] {e.step(), e.meanLoss()});
            if (!Double.isNaN(e.iou())) iou.add(new double[] {e.epoch() + 1, e.iou()});
            if (!Double.isNaN(e.f1())) f1.add(new double[] {e.epoch() + 1, e.f1()});
        }
        double maxLoss = 0;
        for (double[] p : steps) if (Double.isFinite(p[1])) maxLoss = Math.max(maxLoss, p[1]);
        panel(g, 0, "training loss (dice + BCE)", "step", "loss", Math.max((long) stepsPerEpoch * epochs, steps.size()), maxLoss > 0 ? maxLoss * 1.05 : 1, 0,
                List.of(steps, epochMeans), List.of(new Color(150, 180, 230), new Color(20, 60, 160)), List.of("per step", "epoch mean"));
        panel(g, PANEL, "evaluation split", "epoch", "score", Math.max(epochs, h.epochs.size()), 1, 0,
                List.of(iou, f1), List.of(new Color(200, 60, 40), new Color(40, 140, 60)), List.of("IoU", "F1"));
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, int y0, String title, String xLabel, String yLabel, double xMax, double yMax, double xMin,
                              List<List<double[]>> series, List<Color> colours, List<String> names) {
        int x1 = LEFT, x2 = W - RIGHT, yTop = y0 + TOP, yBot = y0 + PANEL - BOTTOM;
        g.setColor(Color.BLACK);
        g.drawString(title, x1, y0 + 18);
        g.drawRect(x1, yTop, x2 - x1, yBot - yTop);
        double range = xMax - xMin;
        int ticks = range >= 5 ? 5 : Math.max(1, (int) range);     // whole epochs when there are few
        for (int t = 0; t <= 5; t++) {
            double xv = xMin + range * Math.min(t, ticks) / ticks, yv = yMax * t / 5;
            int xp = px(xv, xMin, xMax, x1, x2), yp = py(yv, yMax, yTop, yBot);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x1 + 1, yp, x2 - 1, yp);
            g.setColor(Color.BLACK);
            if (t <= ticks) g.drawLine(xp, yBot, xp, yBot + 4);
            g.drawLine(x1 - 4, yp, x1, yp);
            if (t <= ticks) g.drawString(xv == Math.rint(xv) || range >= 5 ? String.valueOf(Math.round(xv)) : String.format(Locale.ROOT, "%.1f", xv), xp - 10, yBot + 18);
            g.drawString(String.format(Locale.ROOT, "%.2f", yv), x1 - 40, yp + 4);
        }
        g.drawString(xLabel, (x1 + x2) / 2 - 15, yBot + 36);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(yTop + yBot) / 2 - 15, 18);
        g.rotate(Math.PI / 2);
        for (int s = 0; s < series.size(); s++) {
            g.setColor(colours.get(s));
            g.setStroke(new BasicStroke(s == 0 ? 1f : 2f));
            List<double[]> pts = series.get(s);
            for (int i = 0; i < pts.size(); i++) {
                int xp = px(pts.get(i)[0], xMin, xMax, x1, x2), yp = py(pts.get(i)[1], yMax, yTop, yBot);
                if (i > 0) g.drawLine(px(pts.get(i - 1)[0], xMin, xMax, x1, x2), py(pts.get(i - 1)[1], yMax, yTop, yBot), xp, yp);
                if (pts.size() < 60) g.fillOval(xp - 2, yp - 2, 5, 5);
            }
            int ly = xLabel.equals("epoch") ? yBot - 16 * (series.size() - s) : yTop + 8 + 16 * s;
            g.fillRect(x2 - 120, ly, 12, 4);
            g.setColor(Color.BLACK);
            g.drawString(names.get(s), x2 - 102, ly + 6);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static int px(double v, double min, double max, int a, int b) {
        return (int) Math.round(a + (b - a) * (max > min ? (v - min) / (max - min) : 0));
    }

    private static int py(double v, double max, int top, int bot) {
        return (int) Math.round(bot - (bot - top) * Math.max(0, Math.min(1, v / max)));
    }
}
