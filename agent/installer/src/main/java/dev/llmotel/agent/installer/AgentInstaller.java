package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import dev.llmotel.cost.CostCalculator;
import dev.llmotel.cost.PriceTable;
import dev.llmotel.config.AgentSettings;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.DialectExchangeFactory;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.export.TelemetryPipeline;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.telemetry.AppTracing;
import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.telemetry.Pending;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.ConsoleCallReporter;
import dev.llmotel.telemetry.ContentPolicy;
import dev.llmotel.telemetry.UsageSummary;
import dev.llmotel.telemetry.InferenceMetrics;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.InferenceTelemetry;
import dev.llmotel.telemetry.SdkAppTracing;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Starts the agent inside its isolated class loader: dialects and hooks on the premain thread (cheap), the
 * OpenTelemetry SDK and ByteBuddy's weaving machinery on a background thread so the application's start is not held
 * up. An LLM call made while that thread is still working waits for it (bounded by
 * {@code otel.instrumentation.llm.startup-wait-millis}), so even the first call is traced; with the default sampler
 * and background processing it does not even wait: its span is recorded once the SDK is ready. Any failure is one log
 * line; the application starts regardless.
 */
public final class AgentInstaller {
  static final String PREFIX = "otel.instrumentation.llm.";

  private AgentInstaller() {}

  /** Called reflectively by the launcher. */
  public static void install(Instrumentation inst, String agentArgs) {
    AgentSettings settings = AgentSettings.fromEnvironment();
    if (!settings.getBoolean(PREFIX + "enabled", true)) {
      AgentLog.debug("disabled by " + PREFIX + "enabled=false");
      return;
    }
    String version = AgentInstaller.class.getPackage() == null ? null
        : AgentInstaller.class.getPackage().getImplementationVersion();
    if (version == null) version = "dev";

    long startupWait = settings.getLong(PREFIX + "startup-wait-millis", 3000, 0, 60_000);
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    Pending<AppTracing> appTracing = new Pending<>();
    List<CallListener> listeners = new ArrayList<>();
    if (settings.getBoolean(PREFIX + "console", false)) listeners.add(new ConsoleCallReporter(System.err));
    UsageSummary summary = settings.getBoolean(PREFIX + "summary", false) ? new UsageSummary() : null;
    if (summary != null) listeners.add(summary);
    ContentPolicy content = contentPolicy(settings);
    DialectContext limits = new DialectContext(
        (int) settings.getLong(PREFIX + "max-event-bytes", 1 << 20, 1024, 64 << 20),
        settings.getLong(PREFIX + "max-parsed-bytes", 64L << 20, 0, Long.MAX_VALUE),
        (int) settings.getLong(PREFIX + "max-retained-chars", 64 * 1024, 256, 16 << 20),
        content.capture(), content.maxChars());
    ExchangeWorker worker = settings.getBoolean(PREFIX + "background-processing", true)
        ? ExchangeWorker.background(20) : ExchangeWorker.inline();
    DialectExchangeFactory exchanges = new DialectExchangeFactory(enabledDialects(settings), limits, telemetry,
        startupWait,
        fanOut(listeners), settings.getLong(PREFIX + "idle-timeout-millis", 600_000, 0, Long.MAX_VALUE), worker,
        (int) settings.getLong(PREFIX + "max-queued-bytes", 256 * 1024, 0, 64 << 20), defaultSampler(settings));
    Exchanges.install(exchanges);
    AppTracingRegistry.install(appTracing, startupWait);

    // The SDK (and its exporter's TLS set-up) takes a few hundred ms: build it off the application's main thread.
    long shutdownMillis = settings.getLong(PREFIX + "shutdown-timeout-millis", 1000, 0, 600_000);
    String agentVersion = version;
    HookTransformers transformers = new HookTransformers(inst);
    Pending<TelemetryPipeline> pipelineReady = new Pending<>();
    Thread init = new Thread(() -> {
      long t0 = System.nanoTime();
      worker.start();
      transformers.warmUp();
      try {
        TelemetryPipeline pipeline = TelemetryPipeline.start(agentVersion);
        telemetry.complete(new InferenceTelemetry(
            new InferenceSpans(pipeline.sdk().getTracer("llm-otel-agent", agentVersion), content,
                pipeline.sdk().getSdkTracerProvider().getSampler()),
            new InferenceMetrics(pipeline.sdk().getMeter("llm-otel-agent")),
            costCalculator(settings)));
        appTracing.complete(new SdkAppTracing(pipeline.sdk().getTracerProvider()));
        pipelineReady.complete(pipeline);
        AgentLog.debug("telemetry ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      } catch (Throwable t) {
        telemetry.fail();
        appTracing.fail();
        pipelineReady.fail();
        AgentLog.warn("telemetry not started, LLM calls will not be traced: " + t.getMessage());
      }
    }, "llm-otel-agent-init");
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> exit(pipelineReady, telemetry, exchanges, summary, shutdownMillis), "llm-otel-agent-shutdown"));
    } catch (RuntimeException exiting) {
      // the JVM is already exiting
    }
    init.setDaemon(true);

    List<HookInstrumentation> hooks = new ArrayList<>();
    for (HookInstrumentation hook : ServiceLoader.load(HookInstrumentation.class, AgentInstaller.class.getClassLoader())) {
      if (settings.getBoolean(PREFIX + hook.name() + ".enabled", true)) hooks.add(hook);
    }
    long t1 = System.nanoTime();
    transformers.install(hooks);
    init.start();
    AgentLog.debug("version " + version + ": " + hooks.size() + " hooks installed in "
        + (System.nanoTime() - t1) / 1_000_000 + " ms");
  }

  /**
   * At exit, within {@code shutdownMillis}: a short application may end while the SDK is still starting (its calls did
   * not wait for it), so the SDK gets up to half the budget to come up; then the calls that wait for the worker and
   * the calls the application left open are finished (their spans, lines and metrics; usually microseconds), and the
   * flush gets what is left, at least a quarter of the budget.
   */
  private static void exit(Pending<TelemetryPipeline> pipelineReady, Pending<InferenceTelemetry> telemetry,
      DialectExchangeFactory exchanges, UsageSummary summary, long shutdownMillis) {
    long exitStart = System.nanoTime();
    TelemetryPipeline pipeline = pipelineReady.get(shutdownMillis / 2);
    if (pipeline == null) telemetry.fail(); // not up in time: calls still waiting for it go untraced
    exchanges.endAtExit(shutdownMillis / 4);
    if (summary != null) summary.print(System.err);
    if (pipeline == null) return;
    long used = (System.nanoTime() - exitStart) / 1_000_000;
    pipeline.shutdown(Math.max(shutdownMillis - used, shutdownMillis / 4));
  }

  /**
   * Whether the SDK will use its default sampler (parent-based, always on): then a call made while the SDK is still
   * starting can fix its sampling flag without it, and need not wait.
   */
  static boolean defaultSampler(AgentSettings settings) {
    String sampler = settings.get("otel.traces.sampler"); // trimmed, null when blank
    return sampler == null || sampler.equalsIgnoreCase("parentbased_always_on");
  }

  /**
   * Prompt and completion capture: off unless {@code otel.instrumentation.genai.capture-message-content=true} (the
   * name the OpenTelemetry Java agent uses); redaction and size limit from our own settings.
   */
  static ContentPolicy contentPolicy(AgentSettings settings) {
    if (!settings.getBoolean("otel.instrumentation.genai.capture-message-content", false)) return ContentPolicy.off();
    int maxChars = (int) settings.getLong(PREFIX + "content.max-chars", 8192, 16, 1 << 24);
    String names = settings.get(PREFIX + "content.redact");
    String custom = settings.get(PREFIX + "content.redact-patterns");
    List<String> patterns = custom == null ? null : Arrays.asList(custom.split(";"));
    try {
      return new ContentPolicy(true, maxChars, ContentPolicy.redactions(names == null ? "api-keys,cards" : names,
          patterns));
    } catch (RuntimeException e) {
      AgentLog.warn("content capture stays off: " + PREFIX + "content.redact=" + names + " / " + PREFIX
          + "content.redact-patterns=" + custom + ": " + e.getMessage());
      return ContentPolicy.off();
    }
  }

  /** The bundled price table, with the user's file on top (a file that cannot be used is named, then ignored). */
  private static CostCalculator costCalculator(AgentSettings settings) {
    if (!settings.getBoolean(PREFIX + "cost.enabled", true)) return null;
    PriceTable table;
    try {
      table = PriceTable.bundled();
    } catch (Exception e) {
      AgentLog.warn("no cost will be recorded: the bundled price table did not load: " + e.getMessage());
      return null;
    }
    String file = settings.get(PREFIX + "prices.file");
    if (file != null) {
      try {
        table = table.withOverrides(Paths.get(file));
      } catch (Exception e) {
        AgentLog.warn("ignoring " + PREFIX + "prices.file=" + file + " (" + e.getMessage()
            + "); using the bundled prices only");
      }
    }
    return new CostCalculator(table);
  }

  private static CallListener fanOut(List<CallListener> listeners) {
    if (listeners.isEmpty()) return null;
    if (listeners.size() == 1) return listeners.get(0);
    return call -> {
      for (CallListener l : listeners) l.onCall(call);
    };
  }

  private static List<Dialect> enabledDialects(AgentSettings settings) {
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class, AgentInstaller.class.getClassLoader())) {
      if (settings.getBoolean(PREFIX + "dialect." + d.name() + ".enabled", true)) dialects.add(d);
    }
    return dialects;
  }
}
