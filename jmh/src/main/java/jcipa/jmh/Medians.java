package jcipa.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Prints the median of the measured iterations of each benchmark in a JMH JSON result file
 * ({@code ./cipa jmh -rf json -rff FILE ...}): JMH itself reports means, the project reports medians.
 */
public final class Medians {
    private Medians() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ./cipa jmh-medians RESULT.json");
            System.exit(2);
        }
        JsonNode root = JsonMapper.builder().build().readTree(Files.readAllBytes(Path.of(args[0])));
        System.out.printf(Locale.ROOT, "%-40s %-16s %12s %6s%n", "benchmark", "params", "median", "n");
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            List<String> ps = new ArrayList<>();
            b.path("params").fields().forEachRemaining(e -> ps.add(e.getKey() + "=" + e.getValue().asText()));
            List<Double> raw = new ArrayList<>();
            for (JsonNode fork : b.path("primaryMetric").path("rawData")) for (JsonNode v : fork) raw.add(v.asDouble());
            Collections.sort(raw);
            int n = raw.size();
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? raw.get(n / 2) : (raw.get(n / 2 - 1) + raw.get(n / 2)) / 2;
            System.out.printf(Locale.ROOT, "%-40s %-16s %9.3f %-2s %6d%n", name, String.join(",", ps), median,
                    b.path("primaryMetric").path("scoreUnit").asText(), n);
        }
    }
}
