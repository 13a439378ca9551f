package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import jcipa.api.WeightsConfig;
import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.model.DcimBranches;
import jcipa.model.Inputs;
import jcipa.model.RegionGlobalBlock;
import jcipa.model.RegionStem;
import jcipa.nn.Module;
import jcipa.nn.StoredTensor;
import jcipa.nn.Trace;
import jcipa.nn.WeightFiles;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Interpolate;
import jcipa.viz.FeatureMaps;
import jcipa.viz.GrayPng;
import jcipa.viz.MapImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cipa features}: the paper's Figure 7 for one PET-CT pair — for each encoder stage, the PET
 * features after DCIM's region Mamba block, the CT features after its local Mamba block, and the
 * fused features that go to the decoder — as colour-mapped PNGs with colour bars.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Feature maps like the paper's Figure 7, for each encoder stage.",
                "PET after DCIM's region Mamba block, CT after its local Mamba block, and the fused features, each reduced",
                "to one value per pixel (first principal component or channel mean) and drawn with viridis and a colour bar."})
final class FeaturesCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin PetCtWeightsOptions inputs = new PetCtWeightsOptions();




    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if needed; files in it are replaced)")
    Path out;

    @Option(names = "--size", paramLabel = "S", description = "model input side; must be the size the weights were built for (default: read from the weights); images of another size are resized bilinearly")
    Integer size;

    @Option(names = "--reduce", paramLabel = "HOW", defaultValue = "pca",
            description = "channels to one value per pixel: pca (first principal component, default) or mean")
    String reduce;

    /** One picture: file stem, what it shows, the (1, C, H, W) features. */
    record Map2(String file, String what, Tensor features) {}

    @Override
    public Integer call() throws IOException {
        FeatureMaps.Reduction how = switch (reduce) {
            case "pca" -> FeatureMaps.Reduction.PCA;
            case "mean" -> FeatureMaps.Reduction.MEAN;
            default -> throw usage("--reduce must be pca or mean, got '" + reduce + "'");
        };
        GrayPng.Image petImg, ctImg;
        try {
            PetCtPair pair = PetCtPair.read(inputs.pet, inputs.ct);
            petImg = pair.pet();
            ctImg = pair.ct();
        } catch (IOException e) {
            throw usage(e.getMessage());
        }

        Map<String, StoredTensor> sd = WeightFiles.read(inputs.weights);
        CipaConfig cfg;
        try {
            cfg = WeightsConfig.of(sd);
        } catch (IllegalArgumentException e) {
            throw usage(inputs.weights + ": " + e.getMessage());
        }
        if (size != null && size != cfg.imageSize())
            throw usage("--size " + size + " does not fit these weights: " + WeightsConfig.sizeRule(cfg));
        Cipa model = WeightsConfig.model(cfg, sd);

        int s = cfg.imageSize();
        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        log.printf(Locale.ROOT, "%s (%s)%n", cfg, inputs.weights);
        Tensor petIn = input(petImg, s, "PET", log), ctIn = input(ctImg, s, "CT", log);

        List<Map2> maps = new ArrayList<>();
        try (Autograd.Scope ng = Autograd.noGrad()) {
            Map<String, List<Tensor>> stems = new HashMap<>();
            List<Tensor> fused;
            try (var tr = Trace.start(model, (path, call, in, outs) -> { if (path.startsWith("backbone.region_patch.")) stems.put(path, outs); })) {
                fused = model.backbone().forward(ctIn, petIn, null);
            }
            Map<String, Module> modules = new HashMap<>();
            for (var e : model.namedModules()) modules.put(e.getKey(), e.getValue());
            for (int i = 0; i < 4; i++) {
                List<Tensor> tokens = stems.get("backbone.region_patch." + i);
                int regions = cfg.side(i) / RegionStem.WINDOW;
                RegionStem.Tokens t = new RegionStem.Tokens(tokens.get(0), tokens.get(1), regions, regions, RegionStem.WINDOW, RegionStem.WINDOW);
                DcimBranches.Parts parts = DcimBranches.of((RegionGlobalBlock) modules.get("backbone.channel_attn_mamba." + i), t);
                maps.add(new Map2("stage" + i + "-pet-region", "PET regional tokens after the region Mamba block (one pixel per 4x4 region)", parts.regionalMap()));
                maps.add(new Map2("stage" + i + "-ct-local", "CT local tokens after the local Mamba block", parts.localMap()));
                maps.add(new Map2("stage" + i + "-fused", "fused features ct + pet + DCIM (decoder input)", fused.get(i)));
            }
        }

        Files.createDirectories(out);
        try (PrintWriter index = new PrintWriter(Files.newBufferedWriter(out.resolve("features.txt"), StandardCharsets.UTF_8))) {
            index.printf(Locale.ROOT, "%s; PET %s, CT %s; reduction %s; colour map viridis, min..max of each map%n", cfg, inputs.pet, inputs.ct, reduce);
            for (Map2 m : maps) {
                int[] sh = m.features().shape();
                double[][] map = sh[2] * sh[3] > 1 ? FeatureMaps.reduce(m.features(), how) : channelGrid(m.features());
                String note = sh[2] * sh[3] > 1 ? "" : "; a single region: its " + sh[1] + " channel values drawn as a grid";
                ImageIO.write(MapImage.render(map), "png", out.resolve(m.file() + ".png").toFile());
                double[] range = range(map);
                String line = String.format(Locale.ROOT, "%-22s %-76s features (%d, %d, %d), map %dx%d, min %.4g, max %.4g%s",
                        m.file() + ".png", m.what(), sh[1], sh[2], sh[3], map.length, map[0].length, range[0], range[1], note);
                index.println(line);
                log.println(line);
            }
        }
        log.println("wrote " + maps.size() + " maps and features.txt to " + out);
        return 0;
    }

    /** The model input (1, 3, S, S), resized bilinearly when the image has another size. */
    private static Tensor input(GrayPng.Image img, int s, String name, PrintStream log) {
        Tensor x = Inputs.fromU8(img.pixels(), 1, img.height(), img.width());
        if (img.width() == s && img.height() == s) return x;
        log.printf(Locale.ROOT, "%s is %dx%d: resized bilinearly to %dx%d%n", name, img.width(), img.height(), s, s);
        return Interpolate.bilinear(x, s, s);
    }

    /** A (1, C, 1, 1) feature as a near-square grid of its C values, row-major. */
    private static double[][] channelGrid(Tensor x) {
        double[] v = x.contiguous().toDoubleArray();
        int cols = (int) Math.ceil(Math.sqrt(v.length)), rows = (v.length + cols - 1) / cols;
        double[][] g = new double[rows][cols];
        double fill = v[v.length - 1];
        for (int i = 0; i < rows * cols; i++) g[i / cols][i % cols] = i < v.length ? v[i] : fill;
        return g;
    }

    private static double[] range(double[][] map) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] row : map) for (double v : row) { min = Math.min(min, v); max = Math.max(max, v); }
        return new double[] {min, max};
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
