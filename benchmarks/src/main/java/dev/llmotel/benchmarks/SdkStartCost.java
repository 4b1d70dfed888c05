package dev.llmotel.benchmarks;

import dev.llmotel.export.EnvironmentSource;
import dev.llmotel.export.TelemetryPipeline;
import dev.llmotel.export.sender.AgentComponentLoader;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What starting the OpenTelemetry SDK costs a fresh JVM, without the agent (issue 13, BENCHMARKS.md "sixth session"):
 * each round starts one JVM per way of building the SDK; the child measures its building thread's CPU and the classes
 * loaded from before the build until one span has ended and one counter was added. Nothing is exported (the endpoint
 * is a closed local port and the child exits at once).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.llmotel.benchmarks.SdkStartCost [rounds]
 * </pre>
 *
 * Ways: {@code bare} (tracer and meter providers, no exporter), {@code agent-sender} (OTLP/HTTP span and metric
 * exporters on the agent's {@code HttpURLConnection} sender), {@code sdk-sender} (the same on the SDK's
 * {@code java.net.http} sender), {@code autoconfigure} (the SDK's autoconfigure on its own sender) and {@code agent}
 * (the agent's {@link TelemetryPipeline}: autoconfigure with the agent's defaults, sender and customizers).
 */
public final class SdkStartCost {
  static final String[] WAYS = {"bare", "agent-sender", "sdk-sender", "autoconfigure", "agent"};
  static final String ENDPOINT = "http://127.0.0.1:9";

  private SdkStartCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    String classPath = System.getProperty("java.class.path");
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    for (String way : WAYS) results.put(way, new ArrayList<>());
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < WAYS.length; i++) {
        String way = WAYS[(i + round) % WAYS.length]; // rotated: no way always runs first
        Process p = new ProcessBuilder(java, "-cp", classPath, Once.class.getName(), way).redirectErrorStream(true)
            .start();
        String line = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            if (l.startsWith("cost ")) line = l;
          }
        }
        if (p.waitFor() != 0 || line == null) throw new IllegalStateException(way + ": no result");
        String[] f = line.split(" ");
        results.get(way).add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
      }
    }
    System.out.printf("%-14s %-26s %-26s %s%n", "way", "thread CPU ms", "wall ms", "classes");
    for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
      System.out.printf("%-14s %-26s %-26s %s%n", e.getKey(), spread(e.getValue(), 0), spread(e.getValue(), 1),
          spread(e.getValue(), 2));
    }
  }

  static String spread(List<long[]> runs, int column) {
    List<Long> values = new ArrayList<>();
    for (long[] run : runs) values.add(run[column]);
    Collections.sort(values);
    return values.get(values.size() / 2) + " [" + values.get(0) + "-" + values.get(values.size() - 1) + "]";
  }

  /** One measurement, in its own JVM: prints {@code cost <cpu ms> <wall ms> <classes>}. */
  public static final class Once {
    private Once() {}

    public static void main(String[] args) {
      long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long classes0 = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
      long t0 = System.nanoTime();
      OpenTelemetrySdk sdk = build(args[0]);
      sdk.getTracer("t").spanBuilder("s").startSpan().end();
      sdk.getMeter("m").counterBuilder("c").build().add(1);
      long wall = System.nanoTime() - t0;
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
      long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes0;
      System.out.println("cost " + cpu / 1_000_000 + " " + wall / 1_000_000 + " " + classes);
      System.exit(0); // no export, no shutdown: the figure is the start
    }

    static OpenTelemetrySdk build(String way) {
      switch (way) {
        case "bare":
          return byHand(null, false);
        case "agent-sender":
          return byHand(new AgentComponentLoader(Once.class.getClassLoader(), null), true);
        case "sdk-sender":
          return byHand(null, true);
        case "autoconfigure": {
          Map<String, String> d = new HashMap<>();
          d.put("otel.exporter.otlp.protocol", "http/protobuf");
          d.put("otel.logs.exporter", "none");
          d.put("otel.exporter.otlp.endpoint", ENDPOINT);
          return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> d).disableShutdownHook().build()
              .getOpenTelemetrySdk();
        }
        case "agent": {
          Map<String, String> env = new HashMap<>();
          env.put("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT);
          return TelemetryPipeline.start("bench", new EnvironmentSource(env, Collections.<String, String>emptyMap()))
              .sdk();
        }
        default:
          throw new IllegalArgumentException("unknown way " + way);
      }
    }

    /** Providers built with the SDK's builders; with exporters on the given loader's sender (null: the SDK's own). */
    static OpenTelemetrySdk byHand(ComponentLoader components, boolean exporters) {
      Resource resource = Resource.getDefault().toBuilder().put("service.name", "sdk-start-cost").build();
      SdkTracerProviderBuilder tracer = SdkTracerProvider.builder().setResource(resource);
      SdkMeterProviderBuilder meter = SdkMeterProvider.builder().setResource(resource);
      if (exporters) {
        OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder().setEndpoint(ENDPOINT + "/v1/traces");
        OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder()
            .setEndpoint(ENDPOINT + "/v1/metrics");
        if (components != null) {
          spans.setComponentLoader(components);
          metrics.setComponentLoader(components);
        }
        tracer.addSpanProcessor(BatchSpanProcessor.builder(spans.build()).build());
        meter.registerMetricReader(PeriodicMetricReader.builder(metrics.build()).build());
      }
      return OpenTelemetrySdk.builder().setTracerProvider(tracer.build()).setMeterProvider(meter.build()).build();
    }
  }
}
