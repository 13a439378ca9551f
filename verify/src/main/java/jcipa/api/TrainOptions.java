package jcipa.api;

import java.nio.file.Path;

import jcipa.model.CipaConfig;
import jcipa.model.train.AdamW;

/**
 * The settings of a training run; all of them go into the checkpoint, so a resumed run continues
 * with exactly these.
 *
 * @param data            PCLT20K-layout folder (its {@code train.txt} is trained on)
 * @param config          the network size (its image size is the training size)
 * @param batchSize       slices per step (official: 4; the last partial batch of an epoch is dropped, as train.py does)
 * @param epochs          epochs of the cosine schedule (official: 50)
 * @param lr              AdamW base learning rate (official: 6e-5)
 * @param seed            every random draw (initial weights, shuffling, augmentation, drop path) derives from it
 * @param paramGroups     {@code official} (init_func.group_weight: SSM parameters stay fixed) or {@code all}
 * @param init            starting weights (e.g. CIPA.pth or an earlier run), or null for {@link Initialization} from the seed
 * @param augment         the official augmentations on the training slices
 * @param checkpointEvery also write a checkpoint every this many steps (0: only at the end of each epoch)
 * @param evalSplit       split scored at the end of each epoch for the curves (null: none)
 * @param evalLimit       score at most this many slices of that split (0: all)
 */
public record TrainOptions(Path data, CipaConfig config, int batchSize, int epochs, double lr, long seed, String paramGroups, Path init,
                           boolean augment, int checkpointEvery, String evalSplit, int evalLimit) {

    public TrainOptions {
        if (batchSize < 1 || epochs < 1 || !(lr > 0) || checkpointEvery < 0 || evalLimit < 0)
            throw new IllegalArgumentException("training needs batch size >= 1, epochs >= 1, lr > 0, checkpoint interval >= 0; got batch " + batchSize
                    + ", epochs " + epochs + ", lr " + lr + ", every " + checkpointEvery);
        if (!paramGroups.equals("official") && !paramGroups.equals("all"))
            throw new IllegalArgumentException("parameter groups must be 'official' or 'all', got '" + paramGroups + "'");
    }

    public static final int OFFICIAL_BATCH = 4, OFFICIAL_EPOCHS = 50;

    /** train.py's defaults: batch 4, 50 epochs, AdamW 6e-5, official groups, augmentations on, seed 0. */
    public static TrainOptions official(Path data, CipaConfig config) {
        return new TrainOptions(data, config, OFFICIAL_BATCH, OFFICIAL_EPOCHS, AdamW.LR, 0, "official", null, true, 0, "test", 0);
    }
}
