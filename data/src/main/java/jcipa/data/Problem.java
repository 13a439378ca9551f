package jcipa.data;

/** A data-set problem found by {@link Pclt20k#check}: the slice (or split) and what is wrong. */
public record Problem(String name, String reason) {
    @Override
    public String toString() {
        return name + ": " + reason;
    }
}
