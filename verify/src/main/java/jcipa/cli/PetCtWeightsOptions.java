package jcipa.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The inputs of the commands that run the network on one PET-CT pair: the two slices and the weights. */
final class PetCtWeightsOptions {
    @Option(names = "--pet", required = true, paramLabel = "P", description = "PET slice, 8-bit grayscale PNG")
    Path pet;

    @Option(names = "--ct", required = true, paramLabel = "C", description = "CT slice, 8-bit grayscale PNG (same size as PET)")
    Path ct;

    @Option(names = "--weights", required = true, paramLabel = "W", description = "CIPA weights: a checkpoint (.pth, e.g. the released CIPA.pth) or safetensors")
    Path weights;
}
