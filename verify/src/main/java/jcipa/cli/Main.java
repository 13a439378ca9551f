package jcipa.cli;

/** Entry point of the {@code ./cipa} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("jcipa: commands arrive with the model (issue 3)");
    }
}
