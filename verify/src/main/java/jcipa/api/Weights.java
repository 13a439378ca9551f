package jcipa.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.nn.StoredTensor;
import jcipa.nn.WeightFiles;

/**
 * A CIPA weight file read once: the state dict and the configuration it was saved from. Reads the
 * released {@code CIPA.pth} (a PyTorch checkpoint) and the safetensors files {@code cipa train} writes.
 *
 * @param file       where the weights came from
 * @param config     the network size recovered from the tensor shapes ({@link WeightsConfig#of})
 * @param stateDict  the tensors by state-dict name
 */
public record Weights(Path file, CipaConfig config, Map<String, StoredTensor> stateDict) {

    /** Reads {@code file}; the IOException's message names the file and what is wrong with it. */
    public static Weights load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such weights file");
        Map<String, StoredTensor> sd;
        CipaConfig cfg;
        try {
            sd = WeightFiles.read(file);
            cfg = WeightsConfig.of(sd);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not readable as CIPA weights (" + e.getMessage() + ")", e);
        }
        return new Weights(file, cfg, sd);
    }

    /** A fresh network holding these weights, in eval mode (strict: every tensor must match). */
    public Cipa model() {
        return WeightsConfig.model(config, stateDict);
    }
}
