package dev.llmotel.agent.installer;

import dev.llmotel.config.AgentLog;
import dev.llmotel.config.AgentSettings;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.exchange.DialectExchangeFactory;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.export.TelemetryPipeline;
import dev.llmotel.hook.HookInstrumentation;
import dev.llmotel.telemetry.AppTracingRegistry;
import dev.llmotel.telemetry.CallListener;
import dev.llmotel.telemetry.ConsoleCallReporter;
import dev.llmotel.telemetry.UsageSummary;
import dev.llmotel.telemetry.InferenceSpans;
import dev.llmotel.telemetry.SdkAppTracing;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Starts the agent inside its isolated class loader: telemetry pipeline first (so the first LLM call is already
 * traced), then the dialects, then the hooks. Any failure is one log line; the application starts regardless.
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

    TelemetryPipeline pipeline;
    try {
      pipeline = TelemetryPipeline.start(version);
    } catch (Throwable t) {
      AgentLog.warn("telemetry not started, LLM calls will not be traced: " + t.getMessage());
      return;
    }
    List<CallListener> listeners = new ArrayList<>();
    if (settings.getBoolean(PREFIX + "console", false)) listeners.add(new ConsoleCallReporter(System.err));
    UsageSummary summary = settings.getBoolean(PREFIX + "summary", false) ? new UsageSummary() : null;
    if (summary != null) listeners.add(summary);
    long shutdownMillis = settings.getLong(PREFIX + "shutdown-timeout-millis", 3000, 0, 600_000);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (summary != null) summary.print(System.err);
      pipeline.shutdown(shutdownMillis);
    }, "llm-otel-agent-shutdown"));

    DialectContext limits = new DialectContext(
        (int) settings.getLong(PREFIX + "max-event-bytes", 1 << 20, 1024, 64 << 20),
        settings.getLong(PREFIX + "max-parsed-bytes", 64L << 20, 0, Long.MAX_VALUE),
        (int) settings.getLong(PREFIX + "max-retained-chars", 64 * 1024, 256, 16 << 20));
    InferenceSpans spans = new InferenceSpans(pipeline.sdk().getTracer("llm-otel-agent", version));
    Exchanges.install(new DialectExchangeFactory(enabledDialects(settings), limits, spans, fanOut(listeners)));
    AppTracingRegistry.install(new SdkAppTracing(pipeline.sdk().getTracerProvider()));

    List<HookInstrumentation> hooks = new ArrayList<>();
    for (HookInstrumentation hook : ServiceLoader.load(HookInstrumentation.class, AgentInstaller.class.getClassLoader())) {
      if (settings.getBoolean(PREFIX + hook.name() + ".enabled", true)) hooks.add(hook);
    }
    HookTransformers.install(inst, hooks);
    AgentLog.debug("installed hooks " + hooks.size() + ", version " + version);
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
