package jcipa.data.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jcipa.data.Sample;
import jcipa.data.U8Image;

/**
 * Renders one synthetic PET-CT slice of a thorax with its tumour mask.
 * <p>
 * CT (8-bit window): air 0, fat 100, soft tissue 120, lungs 15 with vessels, heart and aorta
 * ~130, liver 135, bone 200–225, tumours 110–135 (soft tissue: visible against the lung, hard to
 * see in the mediastinum); slight blur and noise. PET: body background 22–36, lungs 8, blood pool
 * 35, heart muscle 50–170 (physiological uptake varies between patients), liver 50–75, tumours
 * 160–235 with a hotter core; then blurred (σ = 0.7 % of the side, the scanner's resolution),
 * averaged to half resolution, given count noise and upsampled back: small tumours lose contrast
 * and spread out (partial volume). The mask is where tumours cover at least half a pixel.
 * Tumours: 0 (10 %), 1 (60 %) or 2 (30 %) per slice, irregular, radius 3–8.5 % of the side, most
 * (88 %) inside a lung, the rest in the mediastinum.
 */
public final class PhantomSlice {
    private PhantomSlice() {}

    /** A rendered slice and how many tumours it has. */
    public record Rendered(Sample sample, int tumours) {}

    /** Slice {@code z} ∈ [0, 1] of the patient {@code a}, side {@code s}, randomness from {@code r}. */
    static Rendered render(String name, Anatomy a, double z, int s, SplittableRandom r) {
        Blob body = a.body(s), inner = body.scaled(0.9), spine = a.spine(s), aorta = a.aorta(s);
        Blob left = a.lung(s, -1, z), right = a.lung(s, 1, z), heart = a.heart(s, z), liver = a.liver(s, z);
        List<Blob> tumours = tumours(a, left, right, heart, s, r);

        double[] ct = new double[s * s], pet = new double[s * s];
        body.paint(ct, s, s, 100);
        inner.paint(ct, s, s, 120);
        body.paint(pet, s, s, a.bodyUptake() * 0.7);
        inner.paint(pet, s, s, a.bodyUptake());
        for (int i = 0; i < 12; i++) { // ribs on the body wall
            double t = Math.PI * (-1.1 + 2.2 * i / 11.0) - Math.PI / 2, k = 0.92;
            Blob rib = Blob.ellipse(body.cx() + k * body.a() * StrictMath.cos(t), body.cy() + k * body.b() * StrictMath.sin(t), 0.018 * s, 0.01 * s, t);
            rib.paint(ct, s, s, 200);
        }
        if (liver != null) {
            liver.paint(ct, s, s, 135);
            liver.paint(pet, s, s, a.liverUptake());
        }
        for (Blob lung : new Blob[] {left, right}) {
            lung.paint(ct, s, s, 15);
            lung.paint(pet, s, s, 8);
            for (int v = 0; v < 8; v++) { // vessels: soft-tissue dots, faint blood-pool uptake
                double[] p = inside(lung, 0, r);
                Blob vessel = Blob.ellipse(p[0], p[1], s * r.nextDouble(0.004, 0.01), s * r.nextDouble(0.004, 0.01), 0);
                vessel.paint(ct, s, s, 95);
                vessel.paint(pet, s, s, 20);
            }
        }
        if (heart != null) {
            heart.paint(ct, s, s, 130);
            heart.paint(pet, s, s, a.heartUptake());
            heart.scaled(0.55).paint(pet, s, s, 35); // blood in the chambers
        }
        aorta.paint(ct, s, s, 132);
        aorta.paint(pet, s, s, 35);
        spine.paint(ct, s, s, 225);
        spine.scaled(0.7).paint(ct, s, s, 185);
        spine.paint(pet, s, s, 28);
        for (Blob t : tumours) {
            t.paint(ct, s, s, r.nextDouble(110, 135));
            double uptake = a.tumourUptake() * r.nextDouble(0.85, 1.1);
            t.paint(pet, s, s, uptake);
            t.scaled(0.5).paint(pet, s, s, Math.min(255, uptake * 1.15));
        }

        double[] ctOut = Planes.blur(ct, s, s, 0.4);
        for (int i = 0; i < ctOut.length; i++) ctOut[i] += 3.5 * Gaussian.next(r);
        byte[] petU8 = Planes.toU8(scanner(pet, s, r));
        byte[] mask = new byte[s * s];
        for (Blob t : tumours) {
            double[] c = t.coverageMap(s, s);
            for (int i = 0; i < c.length; i++) if (c[i] >= 0.5) mask[i] = (byte) 255;
        }
        return new Rendered(new Sample(name, new U8Image(s, s, Planes.toU8(ctOut)), new U8Image(s, s, petU8), new U8Image(s, s, mask)), tumours.size());
    }

    /** PET physics: resolution blur, half-resolution sampling with count noise, interpolation back. */
    private static double[] scanner(double[] pet, int s, SplittableRandom r) {
        double[] blurred = Planes.blur(pet, s, s, 0.007 * s);
        int f = s % 2 == 0 && s >= 16 ? 2 : 1;
        double[] low = Planes.down(blurred, s, s, f);
        for (int i = 0; i < low.length; i++) low[i] += (1.5 + 0.05 * low[i]) * Gaussian.next(r);
        return f == 1 ? low : Planes.up(low, s / f, s / f, f);
    }

    private static List<Blob> tumours(Anatomy a, Blob left, Blob right, Blob heart, int s, SplittableRandom r) {
        double u = r.nextDouble();
        int n = u < 0.1 ? 0 : u < 0.7 ? 1 : 2;
        List<Blob> out = new ArrayList<>();
        for (int attempt = 0; out.size() < n && attempt < 20; attempt++) {
            double radius = s * (0.03 + 0.055 * Math.pow(r.nextDouble(), 1.5));
            double[] c;
            if (r.nextDouble() < 0.88) {
                Blob lung = r.nextBoolean() ? left : right;
                c = inside(lung, 0.5 * radius, r);
            } else {
                c = new double[] {(a.bodyX() + r.nextDouble(-0.05, 0.05)) * s, (a.bodyY() + r.nextDouble(-0.14, -0.06)) * s};
            }
            Blob t = Blob.irregular(c[0], c[1], radius, r.nextDouble(1, 1.35), r.nextDouble(0.1, 0.35), r);
            boolean apart = true;
            for (Blob o : out) apart &= StrictMath.hypot(o.cx() - t.cx(), o.cy() - t.cy()) > o.reach() + t.reach() + 2;
            if (apart) out.add(t);
        }
        return out;
    }

    /** A point of {@code region} at least {@code margin} inside its boundary (its centre if none is found). */
    private static double[] inside(Blob region, double margin, SplittableRandom r) {
        for (int i = 0; i < 100; i++) {
            double x = region.cx() + region.reach() * r.nextDouble(-1, 1), y = region.cy() + region.reach() * r.nextDouble(-1, 1);
            double dx = x - region.cx(), dy = y - region.cy();
            if (region.radius(StrictMath.atan2(dy, dx)) - StrictMath.hypot(dx, dy) >= margin) return new double[] {x, y};
        }
        return new double[] {region.cx(), region.cy()};
    }
}
