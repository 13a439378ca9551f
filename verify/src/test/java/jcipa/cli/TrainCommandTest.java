package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cipa train}'s refusals: each says what is wrong and writes nothing (the loop itself: TrainResumeTest, TrainAuditTest). */
class TrainCommandTest {
    @TempDir Path dir;

    static final String[] TINY = {"--dims", "32", "--depths", "1,1,1,1", "--decoder-depths", "1,1,1,1", "--size", "128"};

    private String[] train(String... args) {
        String[] all = new String[args.length + 1 + TINY.length];
        all[0] = "train";
        System.arraycopy(TINY, 0, all, 1, TINY.length);
        System.arraycopy(args, 0, all, 1 + TINY.length, args.length);
        return InfoCommandTest.run(all);
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path data = EvalCommandTest.data(dir.resolve("data"), List.of("A_1", "A_2", "A_3"), List.of());
        Files.write(data.resolve("train.txt"), List.of("A_1", "A_2", "A_3"));
        Path out = dir.resolve("run");

        String[] r = train("--data", data.toString(), "--batch-size", "1", "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("batch size 1") && r[2].contains("--batch-size 2"), r[2]);

        r = train("--data", data.toString(), "--batch-size", "4", "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("3 slices, fewer than one batch of 4"), r[2]);

        r = train("--data", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("nowhere"), r[2]);

        Files.write(data.resolve("train.txt"), List.of("A_1", "A_2", "B_7"));
        r = train("--data", data.toString(), "--batch-size", "2", "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("B_7") && r[2].contains("bad slice"), r[2]);

        assertFalse(Files.exists(out), "no run folder after refusals");

        r = InfoCommandTest.run("train", "--out", out.toString(), "--resume");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("checkpoint.json") && r[2].contains("no checkpoint to resume from"), r[2]);

        Files.createDirectories(out);
        Files.writeString(out.resolve("checkpoint.json"), "{\"format\": \"mine\"}");
        r = train("--data", data.toString(), "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("already holds a training run") && r[2].contains("--resume"), r[2]);
        assertEquals("{\"format\": \"mine\"}", Files.readString(out.resolve("checkpoint.json")));
        assertFalse(Files.exists(out.resolve("weights.safetensors")));
        try (var s = Files.list(out)) {
            assertEquals(1, s.count(), "nothing else written");
        }
    }
}
