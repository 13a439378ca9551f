package jcipa.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import jcipa.tensor.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsGoldenTest {
    static Path golden(String name) { return Path.of(System.getProperty("jcipa.golden", "../golden")).resolve(name); }

    @Test
    void everyRowOfTheShippedGoldenFilePasses() throws Exception {
        Path f = golden("metrics.safetensors");
        try (SafeTensors st = SafeTensors.open(f)) {
            assertTrue(MetricsGolden.recognises(st));
        }
        Report r = Verifier.verify(f);
        r.print(System.out);
        // summary + 4 scores + 12 per-image HD95 + the loss
        assertEquals(1 + 4 + 12 + 1, r.count(Check.Status.PASS));
        assertEquals(0, r.count(Check.Status.FAIL));
        assertEquals(0, r.count(Check.Status.NOT_CHECKED));
    }

    /** The same file with one HD95 moved by 1e-6 (and, separately, TN off by one): those rows fail, the rest pass. */
    @Test
    void perturbedValuesFail(@TempDir Path dir) throws Exception {
        for (String what : new String[] {"hd95", "summary"}) {
            Path f = dir.resolve(what + ".safetensors");
            try (SafeTensors st = SafeTensors.open(golden("metrics.safetensors"))) {
                SafeTensors.Writer w = SafeTensors.writer();
                st.metadata().forEach(w::metadata);
                for (String n : st.names()) {
                    if (n.equals(what)) continue;
                    w.putRaw(n, st.entry(n).dtype(), st.rawBytes(n), st.entry(n).shape());
                }
                if (what.equals("hd95")) {
                    double[] hd = st.doubles("hd95");
                    hd[5] += 1e-6;
                    w.put("hd95", hd, hd.length);
                } else {
                    long[] s = st.longs("summary");
                    s[3] += 1;
                    w.put("summary", s, s.length);
                }
                w.write(f);
            }
            Report r = Verifier.verify(f);
            r.print(System.out);
            assertEquals(1, r.count(Check.Status.FAIL), what);
            String failed = r.checks().stream().filter(c -> c.status() == Check.Status.FAIL).findFirst().orElseThrow().tensor();
            assertEquals(what.equals("hd95") ? "image 5" : "summary [TP,FP,FN,TN]", failed);
        }
    }
}
