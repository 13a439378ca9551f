package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** AUDIT.md entries 16 and 17: how pred.py scores, reproduced; each test fails if jcipa "fixes" it. */
class MetricsAuditTest {
    static boolean[] square(int h, int w, int r0, int c0, int side) {
        boolean[] m = new boolean[h * w];
        for (int r = r0; r < r0 + side; r++) for (int c = c0; c < c0 + side; c++) m[r * w + c] = true;
        return m;
    }

    /** Entry 16: an empty prediction is scored as if it had one foreground pixel at (H/2, W/2). */
    @Test
    void emptyPredictionIsScoredFromOneCentrePixel() {
        int h = 40, w = 40;
        boolean[] gt = square(h, w, 2, 3, 5);
        boolean[] centre = new boolean[h * w];
        centre[(h / 2) * w + w / 2] = true;
        double scored = Hd95.asPredPy(new boolean[h * w], gt, h, w);
        assertEquals(Hd95.of(centre, gt, h, w), scored, 0.0);
        assertNotEquals(0.0, scored);                                  // not "no error" for a missed tumour
        assertNotEquals(Math.sqrt(h * h + w * w), scored);             // nor the image diagonal
        assertEquals(0.0, Hd95.asPredPy(new boolean[h * w], new boolean[h * w], h, w), 0.0);   // both empty: 0
    }

    /** Entry 17: IoU and Dice pool TP/FP/FN over the set; Acc is the balanced accuracy (TPR + TNR)/2. */
    @Test
    void iouAndDiceArePooledAndAccIsBalanced() {
        int h = 20, w = 20;
        SetMetrics set = new SetMetrics();
        boolean[] gtBig = square(h, w, 0, 0, 10), predBig = square(h, w, 0, 0, 10);          // perfect on a big tumour
        boolean[] gtSmall = square(h, w, 5, 5, 2), predSmall = square(h, w, 6, 6, 2);        // 1 of 4 pixels overlap
        set.add(predBig, gtBig, h, w);
        set.add(predSmall, gtSmall, h, w);
        Metrics t = set.total();
        double pooledIou = (double) t.tp() / (t.tp() + t.fp() + t.fn());
        double meanOfImages = (1.0 + 1.0 / 7.0) / 2;                                         // per-image IoUs 1 and 1/7
        assertEquals(pooledIou, set.iou(), 1e-15);
        assertNotEquals(meanOfImages, set.iou(), 1e-6);
        assertEquals(2.0 * t.tp() / (2 * t.tp() + t.fp() + t.fn()), set.f1(), 1e-15);
        double tpr = (double) t.tp() / (t.tp() + t.fn()), tnr = (double) t.tn() / (t.tn() + t.fp());
        assertEquals((tpr + tnr) / 2, set.acc(), 1e-15);
        assertNotEquals((double) (t.tp() + t.tn()) / (t.tp() + t.tn() + t.fp() + t.fn()), set.acc(), 1e-6);
    }
}
