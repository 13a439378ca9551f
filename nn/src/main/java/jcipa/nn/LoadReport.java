package jcipa.nn;

import java.util.List;

/**
 * What loading a state dict found: names the model has but the file lacks, names the file has but
 * the model lacks, and names whose shapes differ (as "name: file [..] vs model [..]").
 */
public record LoadReport(List<String> missing, List<String> unexpected, List<String> misshaped) {

    public boolean clean() { return missing.isEmpty() && unexpected.isEmpty() && misshaped.isEmpty(); }

    @Override
    public String toString() {
        if (clean()) return "all keys matched";
        StringBuilder sb = new StringBuilder();
        if (!missing.isEmpty()) sb.append(missing.size()).append(" missing: ").append(head(missing)).append('\n');
        if (!unexpected.isEmpty()) sb.append(unexpected.size()).append(" unexpected: ").append(head(unexpected)).append('\n');
        if (!misshaped.isEmpty()) sb.append(misshaped.size()).append(" mis-shaped: ").append(head(misshaped)).append('\n');
        return sb.toString().trim();
    }

    private static String head(List<String> l) {
        return l.size() <= 12 ? String.join(", ", l) : String.join(", ", l.subList(0, 12)) + ", ... (" + (l.size() - 12) + " more)";
    }
}
