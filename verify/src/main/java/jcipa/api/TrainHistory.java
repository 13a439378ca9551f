package jcipa.api;

import java.util.ArrayList;
import java.util.List;

/**
 * What a training run has done so far: the loss and learning rate of every step, and per epoch
 * the mean loss and the scores on the evaluation split (NaN when none is scored).
 */
public final class TrainHistory {
    /** One finished epoch. */
    public record Epoch(int epoch, long step, double meanLoss, double iou, double f1, double acc, double hd95) {}

    final List<Double> stepLoss = new ArrayList<>(), stepLr = new ArrayList<>();
    final List<Epoch> epochs = new ArrayList<>();

    public List<Double> stepLoss() { return List.copyOf(stepLoss); }

    public List<Double> stepLr() { return List.copyOf(stepLr); }

    public List<Epoch> epochs() { return List.copyOf(epochs); }

    /** Mean loss of steps [from, to). */
    double meanLoss(long from, long to) {
        double s = 0;
        for (long i = from; i < to; i++) s += stepLoss.get((int) i);
        return to > from ? s / (to - from) : Double.NaN;
    }
}
