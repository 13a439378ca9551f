package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;

/** Names, shapes and order of the encoder's and the CRMs' state dicts against the official listings. */
class EncoderStateDictTest {
    private static void assertListing(List<OfficialListing.Entry> official, List<OfficialListing.Entry> ours) {
        assertFalse(official.isEmpty(), "empty official listing");
        assertEquals(official.stream().map(Object::toString).toList(), ours.stream().map(Object::toString).toList());
    }

    @Test
    void miniEncoder() {
        VssmEncoder enc = new VssmEncoder(32, new int[] {1, 1, 2, 1}, 0.0, DType.F32);
        assertListing(OfficialListing.under(OfficialListing.mini(), "backbone.vssm"), OfficialListing.of(enc));
    }

    @Test
    void sigmaTinyEncoder() {
        VssmEncoder enc = new VssmEncoder(96, new int[] {2, 2, 9, 2}, 0.0, DType.F32);
        assertListing(OfficialListing.under(OfficialListing.architecture("sigma_tiny"), "backbone.vssm"), OfficialListing.of(enc));
    }

    @Test
    void sigmaBaseEncoder() {
        VssmEncoder enc = new VssmEncoder(128, new int[] {2, 2, 27, 2}, 0.6, DType.F32);
        assertListing(OfficialListing.under(OfficialListing.architecture("sigma_base"), "backbone.vssm"), OfficialListing.of(enc));
    }

    @Test
    void miniChannelRectification() {
        for (int i = 0; i < 4; i++) {
            int side = 128 / 4 >> i;
            ChannelRectification crm = new ChannelRectification(32 << i, side * side, DType.F32);
            assertListing(OfficialListing.under(OfficialListing.mini(), "backbone.cross_mamba." + i), OfficialListing.of(crm));
        }
    }

    @Test
    void sigmaTinyChannelRectification() {
        for (int i = 0; i < 4; i++) {
            int side = 512 / 4 >> i;
            ChannelRectification crm = new ChannelRectification(96 << i, side * side, DType.F32);
            assertListing(OfficialListing.under(OfficialListing.architecture("sigma_tiny"), "backbone.cross_mamba." + i), OfficialListing.of(crm));
        }
    }
}
