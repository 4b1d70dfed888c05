package dev.llmotel.agent.installer;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import dev.llmotel.config.AgentLog;
import dev.llmotel.cost.CostCalculator;
import dev.llmotel.cost.PriceTable;
import dev.llmotel.config.AgentConfig;
import dev.llmotel.config.SafeUrls;
import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialect;
import dev.llmotel.exchange.ExchangeQueues;
import dev.llmotel.exchange.ExchangeWorker;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.MessageSessions;
import dev.llmotel.exchange.RpcCalls;
import dev.llmotel.export.EnvironmentSource;
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
import dev.llmotel.telemetry.McpCalls;
import dev.llmotel.telemetry.McpTelemetry;
import dev.llmotel.telemetry.ParentProbes;
import dev.llmotel.telemetry.SdkAppTracing;
import dev.llmotel.telemetry.TracedExchanges;
import dev.llmotel.telemetry.TracedMessageSessions;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
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
  private AgentInstaller() {}

  /** Called reflectively by the launcher. */
  public static void install(Instrumentation inst, String agentArgs) {
    install(inst, false);
  }

  /**
   * Called reflectively by the launcher when the agent runs as an extension of the OpenTelemetry Java agent
   * ({@code -Dotel.javaagent.extensions=llm-otel-agent-extension.jar}): the same hooks and dialects, recording through
   * the OpenTelemetry Java agent's SDK (its exporter, resource, sampler and context), which that agent hands to this
   * class loader's OpenTelemetry API as it does to any application's. No SDK, exporter or API bridge of our own; no
   * {@code traceparent} of our own either (that agent's HTTP instrumentation propagates the context).
   */
  public static void installAsExtension(Instrumentation inst) {
    installAsExtension(inst, false);
  }

  /**
   * As {@link #installAsExtension(Instrumentation)}; when the host agent records Bedrock calls as GenAI spans itself,
   * ours leave the AWS SDK's Bedrock calls to it ({@link HostBedrockRule}).
   */
  public static void installAsExtension(Instrumentation inst, boolean hostRecordsBedrock) {
    install(inst, true, hostRecordsBedrock);
  }

  private static void install(Instrumentation inst, boolean extension) {
    install(inst, extension, false);
  }

  private static void install(Instrumentation inst, boolean extension, boolean hostRecordsBedrock) {
    AgentConfig config = AgentConfig.fromEnvironment();
    if (!config.enabled) {
      AgentLog.debug("disabled by " + AgentConfig.PREFIX + "enabled=false");
      return;
    }
    // the variables of the environment and of a .env file: read once, for the settings below and the SDK's start
    EnvironmentSource env = environment();
    if (!extension && !config.console && !config.summary && sdkDisabled(env)) {
      // nothing the agent would do could be seen: no span or metric leaves a disabled SDK, and no console line or
      // summary is asked for; so install nothing (no hooks, no weaving, no SDK), and cost the start-up nothing
      AgentLog.debug("OTEL_SDK_DISABLED=true and no console or summary: nothing installed");
      return;
    }
    String version = AgentInstaller.class.getPackage() == null ? null
        : AgentInstaller.class.getPackage().getImplementationVersion();
    if (version == null) version = "dev";

    ParentProbes.installCarry();
    Pending<InferenceTelemetry> telemetry = new Pending<>();
    Pending<AppTracing> appTracing = new Pending<>();
    List<CallListener> listeners = new ArrayList<>();
    if (config.console) listeners.add(new ConsoleCallReporter(System.err));
    UsageSummary summary = config.summary ? new UsageSummary() : null;
    if (summary != null) listeners.add(summary);
    ContentPolicy content = contentPolicy(config);
    DialectContext.Builder limits = DialectContext.builder()
        .maxEventBytes(config.maxEventBytes)
        .maxParsedBytes(config.maxParsedBytes)
        .maxRetainedChars(config.maxRetainedChars);
    if (content.capture()) limits.captureContent(content.maxChars());
    // As an extension, spans are recorded on the thread that ends the call: the host agent shuts its SDK down at exit
    // in a shutdown hook of its own, which no hook of ours can be ordered before
    ExchangeWorker worker = config.backgroundProcessing && !extension ? ExchangeWorker.background(20)
        : ExchangeWorker.inline();
    boolean defaultSampler = sdkDefaultSampler(config, env);
    List<Dialect> dialects = enabledDialects(config);
    if (extension && hostRecordsBedrock) {
      dialects = HostBedrockRule.apply(dialects);
      AgentLog.debug("the host agent records the AWS SDK's Bedrock calls (otel.instrumentation."
          + "aws-sdk-2.2-bedrock-runtime.enabled): ours leave them to it");
    }
    TracedExchanges exchanges = TracedExchanges.builder(dialects, telemetry)
        .context(limits.build())
        .startupWaitMillis(config.startupWaitMillis)
        .listener(fanOut(listeners))
        .queues(new ExchangeQueues(worker, config.idleTimeoutMillis, config.maxQueuedBytes))
        .defaultSampler(defaultSampler && !extension)
        .propagate(!extension)
        .continuedCalls(1024, config.idleTimeoutMillis)
        .build();
    Exchanges.install(exchanges);
    // MCP requests seen by the MCP SDK hook: their own spans, not HTTP exchanges (see McpTelemetry)
    McpCalls mcp = new McpCalls(content);
    RpcCalls.install(mcp);
    TracedMessageSessions sessions = TracedMessageSessions.builder(enabledMessageDialects(config), telemetry)
        .context(limits.build())
        .listener(fanOut(listeners))
        .propagate(!extension)
        .defaultSampler(defaultSampler && !extension)
        .build();
    MessageSessions.install(sessions);
    AppTracingRegistry.install(appTracing, config.startupWaitMillis, defaultSampler);

    long shutdownMillis = config.shutdownTimeoutMillis;
    if (extension) {
      mcp.ready(new McpTelemetry(GlobalOpenTelemetry.get().getTracer("llm-otel-agent", version),
          GlobalOpenTelemetry.get().getMeter("llm-otel-agent"), content));
      installInHost(inst, config, version, telemetry, appTracing, content, worker, exchanges, summary, sessions, mcp);
      return;
    }
    // The SDK (and its exporter's TLS set-up) takes a few hundred ms: build it off the application's main thread.
    String agentVersion = version;
    HookTransformers transformers = new HookTransformers(inst, weaveCache(config, version));
    Pending<TelemetryPipeline> pipelineReady = new Pending<>();
    Thread init = new Thread(new Init(worker, transformers, agentVersion, config, env, content, telemetry,
        appTracing, mcp, pipelineReady, shutdownMillis), "llm-otel-agent-init");
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(
          new AtExit(transformers, sessions, pipelineReady, telemetry, appTracing, exchanges, mcp, summary,
              shutdownMillis), "llm-otel-agent-shutdown"));
    } catch (RuntimeException exiting) {
      // the JVM is already exiting
    }
    init.setDaemon(true);

    List<HookInstrumentation> hooks = enabledHooks(config, false);
    long t1 = System.nanoTime();
    transformers.install(hooks);
    init.start();
    AgentLog.debug("version " + version + ": " + hooks.size() + " hooks installed in "
        + (System.nanoTime() - t1) / 1_000_000 + " ms; dialects in order: " + exchanges.dialectOrder());
  }

  /**
   * Tests only: {@code -Dllmotel.internal.sdk-start-delay-millis=N} holds the SDK's start back N ms, as a loaded
   * machine does, so that calls made while it starts can be checked deterministically.
   */
  static void slowStartForTests() throws InterruptedException {
    long delay = Long.getLong("llmotel.internal.sdk-start-delay-millis", 0L);
    if (delay > 0) Thread.sleep(Math.min(delay, 60_000));
  }

  /**
   * Whether the SDK's sampler will be its default (parent-based, always on), so that calls made before it is up may
   * be sampled by that rule: {@code otel.traces.sampler} / {@code OTEL_TRACES_SAMPLER} unset or the default, looked
   * up as the SDK will (system property, environment, then the {@code .env} file, whose {@code OTEL_*} the agent
   * hands to the SDK).
   */
  static boolean sdkDefaultSampler(AgentConfig config, EnvironmentSource env) {
    if (!config.defaultSampler) return false;
    try {
      if (!blank(System.getProperty("otel.traces.sampler")) || !blank(System.getenv("OTEL_TRACES_SAMPLER"))) {
        return true;
      }
      String fromDotEnv = env.get("OTEL_TRACES_SAMPLER");
      return fromDotEnv == null || fromDotEnv.equalsIgnoreCase("parentbased_always_on");
    } catch (Throwable t) {
      return true;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.trim().isEmpty();
  }

  /** The environment over the {@code .env} file; the environment alone should the file not be readable. */
  private static EnvironmentSource environment() {
    try {
      return EnvironmentSource.load();
    } catch (Throwable t) {
      return new EnvironmentSource(System.getenv(), java.util.Collections.<String, String>emptyMap());
    }
  }

  /** {@code otel.sdk.disabled} / {@code OTEL_SDK_DISABLED} (also from the {@code .env} file), as the SDK reads it. */
  static boolean sdkDisabled(EnvironmentSource env) {
    try {
      String value = System.getProperty("otel.sdk.disabled");
      if (value == null) value = env.get("OTEL_SDK_DISABLED");
      return value != null && "true".equalsIgnoreCase(value.trim());
    } catch (Throwable t) {
      return false;
    }
  }

  /** The extension's half of {@link #install}: the host agent's SDK is up, so everything is ready at once. */
  private static void installInHost(Instrumentation inst, AgentConfig config, String version,
      Pending<InferenceTelemetry> telemetry, Pending<AppTracing> appTracing, ContentPolicy content,
      ExchangeWorker worker, TracedExchanges exchanges, UsageSummary summary, TracedMessageSessions sessions,
      McpCalls mcp) {
    OpenTelemetry host = GlobalOpenTelemetry.get();
    telemetry.complete(new InferenceTelemetry(
        InferenceSpans.builder(host.getTracer("llm-otel-agent", version)).content(content).build(),
        new InferenceMetrics(host.getMeter("llm-otel-agent")),
        costCalculator(config)));
    appTracing.fail(); // the host agent bridges the application's OpenTelemetry API itself
    worker.start();
    long shutdownMillis = config.shutdownTimeoutMillis;
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        sessions.endAtExit();
        mcp.endAtExit();
        exchanges.endAtExit(shutdownMillis / 4);
        if (summary != null) summary.print(System.err);
      }, "llm-otel-agent-shutdown"));
    } catch (RuntimeException exiting) {
      // the JVM is already exiting
    }
    List<HookInstrumentation> hooks = enabledHooks(config, true);
    HookTransformers transformers = new HookTransformers(inst, weaveCache(config, version));
    transformers.install(hooks);
    AgentLog.debug("version " + version + " as an extension of the OpenTelemetry Java agent: " + hooks.size()
        + " hooks installed; host SDK " + host.getClass().getName() + "; dialects in order: "
        + exchanges.dialectOrder());
  }

  /**
   * Opens the {@link WeaveCache} when first needed (not on the premain thread), or null when it is off: by
   * {@code weave-cache.enabled=false}, or without a directory (no home directory, the agent not run from its jar).
   */
  private static java.util.concurrent.Callable<WeaveCache> weaveCache(AgentConfig config, String version) {
    if (!config.weaveCacheEnabled) return null;
    return new OpenWeaveCache(config, version);
  }

  /** {@link #weaveCache}'s opening, run on first need. */
  private static final class OpenWeaveCache implements java.util.concurrent.Callable<WeaveCache> {
    private final AgentConfig config;
    private final String version;

    OpenWeaveCache(AgentConfig config, String version) {
      this.config = config;
      this.version = version;
    }

    @Override
    public WeaveCache call() {
      boolean explicit = config.weaveCacheDir != null;
      java.nio.file.Path parent;
      try {
        parent = explicit ? Paths.get(config.weaveCacheDir)
            : WeaveCache.defaultParent(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
      } catch (RuntimeException e) { // InvalidPathException
        if (explicit) {
          AgentLog.warn("weave cache off: " + WeaveCache.Settings.DIR + "=" + config.weaveCacheDir
              + " is not a path: " + e.getMessage());
        } else {
          AgentLog.debug("weave cache off: XDG_CACHE_HOME or user.home is not a path: " + e.getMessage());
        }
        return null;
      }
      if (parent == null) {
        AgentLog.debug("weave cache off: no home directory");
        return null;
      }
      java.io.File jar;
      try {
        jar = new java.io.File(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (Exception | Error e) {
        AgentLog.debug("weave cache off: the agent's jar is unknown: " + e);
        return null;
      }
      long start = System.nanoTime();
      WeaveCache cache = WeaveCache.open(parent, explicit, jar, version);
      if (cache != null) AgentLog.debug("weave cache: " + cache.directory() + " (opened in "
          + (System.nanoTime() - start) / 1_000_000 + " ms)");
      return cache;
    }
  }

  /**
   * The {@code llm-otel-agent-init} thread's work: the weave cache and warm-up, then the SDK. A class rather than a
   * lambda (as are {@link AtExit} and {@link OpenWeaveCache}), so premain spins no lambda on the application's main
   * thread.
   */
  private static final class Init implements Runnable {
    private final ExchangeWorker worker;
    private final HookTransformers transformers;
    private final String agentVersion;
    private final AgentConfig config;
    private final EnvironmentSource env;
    private final ContentPolicy content;
    private final Pending<InferenceTelemetry> telemetry;
    private final Pending<AppTracing> appTracing;
    private final McpCalls mcp;
    private final Pending<TelemetryPipeline> pipelineReady;
    private final long shutdownMillis;

    Init(ExchangeWorker worker, HookTransformers transformers, String agentVersion, AgentConfig config,
        EnvironmentSource env, ContentPolicy content, Pending<InferenceTelemetry> telemetry,
        Pending<AppTracing> appTracing, McpCalls mcp, Pending<TelemetryPipeline> pipelineReady, long shutdownMillis) {
      this.worker = worker;
      this.transformers = transformers;
      this.agentVersion = agentVersion;
      this.config = config;
      this.env = env;
      this.content = content;
      this.telemetry = telemetry;
      this.appTracing = appTracing;
      this.mcp = mcp;
      this.pipelineReady = pipelineReady;
      this.shutdownMillis = shutdownMillis;
    }

    @Override
    public void run() {
      long t0 = System.nanoTime();
      worker.start();
      transformers.cache(); // opened here, unless a hooked class came first
      transformers.warmUp(true);
      long t1 = System.nanoTime();
      try {
        slowStartForTests();
        TelemetryPipeline pipeline = TelemetryPipeline.start(agentVersion, env);
        long t2 = System.nanoTime();
        CostCalculator cost = costCalculator(config);
        long t3 = System.nanoTime();
        telemetry.complete(new InferenceTelemetry(
            InferenceSpans.builder(pipeline.sdk().getTracer("llm-otel-agent", agentVersion))
                .content(content)
                .sampler(pipeline.sdk().getSdkTracerProvider().getSampler())
                .build(),
            new InferenceMetrics(pipeline.sdk().getMeter("llm-otel-agent")),
            cost));
        appTracing.complete(new SdkAppTracing(pipeline.sdk().getTracerProvider()));
        AppTracingRegistry.settled(); // application spans that ended while the SDK was starting
        mcp.ready(new McpTelemetry(pipeline.sdk().getTracer("llm-otel-agent", agentVersion),
            pipeline.sdk().getMeter("llm-otel-agent"), content));
        if (!pipelineReady.complete(pipeline)) {
          // the exit hook went on without it (nothing used it, or it was not up in time): nobody else will shut it down
          pipeline.shutdown(shutdownMillis / 4);
          AgentLog.debug("telemetry came up after the exit hook gave up on it; shut down");
          return;
        }
        AgentLog.debug("telemetry ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms (warm-up "
            + (t1 - t0) / 1_000_000 + " ms, SDK " + (t2 - t1) / 1_000_000 + " ms, prices " + (t3 - t2) / 1_000_000
            + " ms)");
      } catch (Throwable t) {
        telemetry.fail();
        appTracing.fail();
        AppTracingRegistry.settled();
        mcp.fail();
        pipelineReady.fail();
        AgentLog.warn("telemetry not started, LLM calls will not be traced: " + whyNotStarted(t));
      }
      transformers.warmUp(false); // the JDK clients' hooks: after the SDK, off the way to its start
    }
  }

  /**
   * The SDK's message and, where it wraps another ("Unexpected configuration error"), the deepest cause's, which names
   * what was wrong; URLs in them without user, password or query.
   */
  static String whyNotStarted(Throwable t) {
    Throwable root = t;
    for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) root = root.getCause();
    String message = String.valueOf(t.getMessage());
    if (root != t) message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    return SafeUrls.redact(message);
  }

  /**
   * The {@code llm-otel-agent-shutdown} hook: no more weaving ({@link HookTransformers#exiting}), ends the open message
   * sessions, then {@link #exit}.
   */
  private static final class AtExit implements Runnable {
    private final HookTransformers transformers;
    private final TracedMessageSessions sessions;
    private final Pending<TelemetryPipeline> pipelineReady;
    private final Pending<InferenceTelemetry> telemetry;
    private final Pending<AppTracing> appTracing;
    private final TracedExchanges exchanges;
    private final McpCalls mcp;
    private final UsageSummary summary;
    private final long shutdownMillis;

    AtExit(HookTransformers transformers, TracedMessageSessions sessions, Pending<TelemetryPipeline> pipelineReady,
        Pending<InferenceTelemetry> telemetry, Pending<AppTracing> appTracing, TracedExchanges exchanges, McpCalls mcp,
        UsageSummary summary, long shutdownMillis) {
      this.transformers = transformers;
      this.sessions = sessions;
      this.pipelineReady = pipelineReady;
      this.telemetry = telemetry;
      this.appTracing = appTracing;
      this.exchanges = exchanges;
      this.mcp = mcp;
      this.summary = summary;
      this.shutdownMillis = shutdownMillis;
    }

    @Override
    public void run() {
      transformers.exiting();
      sessions.endAtExit();
      exit(pipelineReady, telemetry, appTracing, exchanges, mcp, summary, shutdownMillis);
    }
  }

  /** The hook that bridges the application's OpenTelemetry API: the host agent's own job in extension mode. */
  private static final String API_BRIDGE = "opentelemetry-api";

  /**
   * At exit, within {@code shutdownMillis}: a short application may end while the SDK is still starting (its calls did
   * not wait for it), so the SDK gets up to half the budget to come up; then the calls that wait for the worker and
   * the calls the application left open are finished within a quarter of it (their spans, lines and metrics; usually
   * microseconds), and the flush gets what is left, so at least a quarter; the whole exit stays within the budget.
   */
  static void exit(Pending<TelemetryPipeline> pipelineReady, Pending<InferenceTelemetry> telemetry,
      Pending<AppTracing> appTracing, TracedExchanges exchanges, McpCalls mcp, UsageSummary summary,
      long shutdownMillis) {
    long exitStart = System.nanoTime();
    TelemetryPipeline pipeline = pipelineReady.peek();
    if (pipeline == null && !pipelineReady.isDone()) {
      // Nothing ever asked for the telemetry (no LLM call, message session, MCP call or application span began): there
      // is nothing to record, so an application that exits while the SDK is still starting (a CLI tool, a batch job
      // that made no LLM call) does not wait for it at exit. Each is failed only if still not asked for, in one atomic
      // step: a call, session or span that begins meanwhile either is waited for or sees the failure (untraced, as
      // one begun after a failed start). The cheap reads first, so that one in use is not failed for nothing.
      boolean unused = !telemetry.wanted() && !appTracing.wanted() && !mcp.begun()
          && telemetry.failUnlessWanted() && appTracing.failUnlessWanted() && mcp.failUnlessBegun();
      if (unused) {
        AgentLog.debug("exit: no telemetry was used; not waiting for the SDK");
      } else {
        pipeline = pipelineReady.get(shutdownMillis / 2);
      }
    }
    if (pipeline == null) { // not up in time, failed, or unused: whatever still waits for it goes untraced
      telemetry.fail();
      appTracing.fail();
      AppTracingRegistry.settled();
      mcp.fail();
      pipelineReady.fail(); // the init thread shuts a late one down
    }
    mcp.endAtExit(); // MCP calls the application left open (their spans, before the flush)
    exchanges.endAtExit(shutdownMillis / 4);
    if (summary != null) summary.print(System.err);
    if (pipeline == null) return;
    long used = (System.nanoTime() - exitStart) / 1_000_000;
    pipeline.shutdown(Math.max(0, shutdownMillis - used));
    AgentLog.debug("exit: " + used + " ms waiting for the SDK and the open calls, then "
        + ((System.nanoTime() - exitStart) / 1_000_000 - used) + " ms the SDK's shutdown (the last export)");
  }

  /**
   * Prompt and completion capture: off unless {@code otel.instrumentation.genai.capture-message-content=true} (the
   * name the OpenTelemetry Java agent uses); redaction and size limit from our own settings.
   */
  static ContentPolicy contentPolicy(AgentConfig config) {
    if (!config.captureContent) return ContentPolicy.off();
    try {
      return new ContentPolicy(true, config.contentMaxChars,
          ContentPolicy.redactions(config.contentRedact, config.contentRedactPatterns));
    } catch (RuntimeException e) {
      AgentLog.warn("content capture stays off: " + AgentConfig.PREFIX + "content.redact=" + config.contentRedact
          + " / " + AgentConfig.PREFIX + "content.redact-patterns=" + String.join(";", config.contentRedactPatterns)
          + ": " + e.getMessage());
      return ContentPolicy.off();
    }
  }

  /** The bundled price table, with the user's file on top (a file that cannot be used is named, then ignored). */
  static CostCalculator costCalculator(AgentConfig config) {
    if (!config.costEnabled) return null;
    PriceTable table;
    try {
      table = PriceTable.bundled();
    } catch (Exception e) {
      AgentLog.warn("no cost will be recorded: the bundled price table did not load: " + e.getMessage());
      return null;
    }
    if (config.pricesFile != null) {
      try {
        table = table.withOverrides(Paths.get(config.pricesFile));
      } catch (Exception e) {
        AgentLog.warn("ignoring " + AgentConfig.PREFIX + "prices.file=" + config.pricesFile + " (" + e.getMessage()
            + "); using the bundled prices only");
      }
    }
    return new CostCalculator(table);
  }

  private static CallListener fanOut(List<CallListener> listeners) {
    if (listeners.isEmpty()) return null;
    if (listeners.size() == 1) return listeners.get(0);
    return new FanOut(listeners);
  }

  /** Each listener in turn; a class rather than a lambda: no lambda spun at premain. */
  private static final class FanOut implements CallListener {
    private final List<CallListener> listeners;

    FanOut(List<CallListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void onCall(dev.llmotel.telemetry.CallRecord call) {
      for (CallListener l : listeners) l.onCall(call);
    }
  }

  /** @param extension as an extension, without the API bridge (the host agent bridges the application's API) */
  private static List<HookInstrumentation> enabledHooks(AgentConfig config, boolean extension) {
    List<HookInstrumentation> hooks = new ArrayList<>();
    for (HookInstrumentation hook : ServiceLoader.load(HookInstrumentation.class, AgentInstaller.class.getClassLoader())) {
      if (config.hookEnabled(hook.name()) && !(extension && API_BRIDGE.equals(hook.name()))) hooks.add(hook);
    }
    return hooks;
  }

  private static List<Dialect> enabledDialects(AgentConfig config) {
    List<Dialect> dialects = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class, AgentInstaller.class.getClassLoader())) {
      if (config.dialectEnabled(d.name())) dialects.add(d);
    }
    return dialects;
  }

  private static List<MessageDialect> enabledMessageDialects(AgentConfig config) {
    List<MessageDialect> dialects = new ArrayList<>();
    for (MessageDialect d : ServiceLoader.load(MessageDialect.class, AgentInstaller.class.getClassLoader())) {
      if (config.dialectEnabled(d.name())) dialects.add(d);
    }
    return dialects;
  }
}
