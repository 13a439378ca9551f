package jcipa.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.MacAnalysis;
import jcipa.tensor.DType;
import jcipa.tensor.ops.MacCounter.Op;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cipa info}: parameters and multiply-accumulates per module and in total, worked out from
 * the module tree (nothing runs), beside the paper's Table 2 figures.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Parameters and multiply-accumulates (MACs, fvcore's \"flops\") per module and in total, beside the paper's figures.",
                "Counted from the shapes alone: instant at any size."})
final class InfoCommand implements Callable<Integer> {
    @CommandLine.Mixin ModelConfigOptions modelOptions = new ModelConfigOptions();

    /** CIPA in the paper's Table 2 (sigma_tiny, 512×512): 54.57 M parameters, 76.18 G "FLOPs" (fvcore MACs). */
    static final double PAPER_PARAMS_M = 54.57, PAPER_MACS_G = 76.18;

    @Spec CommandLine.Model.CommandSpec spec;


    @Option(names = "--size", paramLabel = "S", defaultValue = "512", description = "input side, a multiple of 128 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "batch size (default: ${DEFAULT-VALUE}, as the official flops())")
    int batch;




    @Override
    public Integer call() {
        CipaConfig cfg;
        try {
            cfg = configuration();
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Cipa model = new Cipa(cfg, DType.F32);
        model.eval();
        print(cfg, MacAnalysis.of(model, batch), batch, System.out);
        return 0;
    }

    private CipaConfig configuration() {
        return modelOptions.resolve(size, null);
    }

    static void print(CipaConfig cfg, MacAnalysis a, int batch, PrintStream out) {
        int s = cfg.imageSize();
        out.printf("CIPA %s: dims %d, encoder depths %s, decoder depths %s; CT and PET inputs (%d, 3, %d, %d)%n",
                cfg.name(), cfg.dims(), Arrays.toString(cfg.depths()), Arrays.toString(cfg.decoderDepths()), batch, s, s);
        out.println("MACs by fvcore's rules (FlopCountAnalysis \"flops\"): linear/matmul M·N·K, conv N·Cout·Ho·Wo·Cin/g·kh·kw,");
        out.println("layer norm 5/element, batch norm (eval) 2/element, bilinear 4/output, average pool 1/input, elementwise 0,");
        out.println("selective scan 9·B·L·D·N + B·D·L (VMamba's handle). backbone.vssm rows hold both passes (CT, PET).");
        out.println();
        String fmt = "%-42s %14s %19s %10s%n";
        out.printf(fmt, "module", "parameters", "MACs", "G");
        long params = 0, macs = 0;
        for (MacAnalysis.Row r : a.rows()) {
            out.printf(fmt, r.name(), group(r.parameters()), group(r.macs()), giga(r.macs()));
            params += r.parameters();
            macs += r.macs();
        }
        out.printf(fmt, "total", group(params), group(macs), giga(macs));
        out.println();
        out.println("by operator:");
        for (Map.Entry<Op, Long> e : a.byOperator().entrySet())
            out.printf("  %-22s %19s %10s%n", e.getKey().fvcoreName, group(e.getValue()), giga(e.getValue()));
        long scans = a.byOperator().getOrDefault(Op.SELECTIVE_SCAN, 0L);
        out.println();
        out.printf("total: %.2f M parameters, %.2f G MACs (%.2f G without the selective scans)%n", params / 1e6, macs / 1e9, (macs - scans) / 1e9);
        out.printf("paper, Table 2 (CIPA = sigma_tiny, 512x512): %.2f M parameters, %.2f G \"FLOPs\" (fvcore MACs)%n", PAPER_PARAMS_M, PAPER_MACS_G);
        out.println("(the official flops() counts no selective scan: its handles are registered under other op names;");
        out.println(" see README, \"Parameters and MACs\")");
    }

    private static String group(long v) { return String.format("%,d", v); }

    private static String giga(long v) { return String.format("%.3f", v / 1e9); }
}
