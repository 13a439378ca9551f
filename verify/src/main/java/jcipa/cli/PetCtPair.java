package jcipa.cli;

import java.io.IOException;
import java.nio.file.Path;

import jcipa.viz.GrayPng;

/** A PET slice and its CT slice, both 8-bit grayscale PNGs of the same size (what the CLI's image commands read). */
record PetCtPair(GrayPng.Image pet, GrayPng.Image ct) {

    /** Reads both files; the message of a failure names the file and what was expected. */
    static PetCtPair read(Path pet, Path ct) throws IOException {
        GrayPng.Image p = GrayPng.read(pet), c = GrayPng.read(ct);
        if (p.width() != c.width() || p.height() != c.height())
            throw new IOException("PET " + pet + " is " + p.width() + "x" + p.height() + " but CT " + ct + " is "
                    + c.width() + "x" + c.height() + "; they must be the same size");
        return new PetCtPair(p, c);
    }

    int width() { return ct.width(); }

    int height() { return ct.height(); }
}
