package dev.llmotel.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The agent's settings, read once at start-up from system properties and the environment ({@link AgentSettings}):
 * each malformed value has been named in one log line and replaced by its default. Immutable.
 */
public final class AgentConfig {
  public static final String PREFIX = "otel.instrumentation.llm.";
  /** The OpenTelemetry Java agent's name for content capture. */
  public static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";

  private final AgentSettings settings;
  public final boolean enabled;
  public final boolean console;
  public final boolean summary;
  public final int maxEventBytes;
  public final long maxParsedBytes;
  public final int maxRetainedChars;
  public final boolean backgroundProcessing;
  public final int maxQueuedBytes;
  public final long idleTimeoutMillis;
  public final long startupWaitMillis;
  public final long shutdownTimeoutMillis;
  public final boolean captureContent;
  public final int contentMaxChars;
  /** Built-in redactions by name ({@code api-keys,cards}). */
  public final String contentRedact;
  /** The user's own redaction patterns (regular expressions). */
  public final List<String> contentRedactPatterns;
  public final boolean costEnabled;
  /** The user's price file, or null. */
  public final String pricesFile;
  /** Woven classes kept on disk between runs ({@code weave-cache.enabled}, default true). */
  public final boolean weaveCacheEnabled;
  /** Where ({@code weave-cache.dir}), or null: the user's cache directory. */
  public final String weaveCacheDir;
  /** {@code otel.traces.sampler} is unset or the SDK's default (parent-based, always on). */
  public final boolean defaultSampler;

  private AgentConfig(AgentSettings s) {
    this.settings = s;
    enabled = s.getBoolean(PREFIX + "enabled", true);
    console = s.getBoolean(PREFIX + "console", false);
    summary = s.getBoolean(PREFIX + "summary", false);
    maxEventBytes = (int) s.getLong(PREFIX + "max-event-bytes", 1 << 20, 1024, 64 << 20);
    maxParsedBytes = s.getLong(PREFIX + "max-parsed-bytes", 64L << 20, 0, Long.MAX_VALUE);
    maxRetainedChars = (int) s.getLong(PREFIX + "max-retained-chars", 64 * 1024, 256, 16 << 20);
    backgroundProcessing = s.getBoolean(PREFIX + "background-processing", true);
    maxQueuedBytes = (int) s.getLong(PREFIX + "max-queued-bytes", 256 * 1024, 0, 64 << 20);
    idleTimeoutMillis = s.getLong(PREFIX + "idle-timeout-millis", 600_000, 0, Long.MAX_VALUE);
    startupWaitMillis = s.getLong(PREFIX + "startup-wait-millis", 3000, 0, 60_000);
    shutdownTimeoutMillis = s.getLong(PREFIX + "shutdown-timeout-millis", 1000, 0, 600_000);
    captureContent = s.getBoolean(CAPTURE_CONTENT, false);
    contentMaxChars = captureContent ? (int) s.getLong(PREFIX + "content.max-chars", 8192, 16, 1 << 24) : 0;
    String redact = s.get(PREFIX + "content.redact");
    contentRedact = redact == null ? "api-keys,cards" : redact;
    String custom = s.get(PREFIX + "content.redact-patterns");
    contentRedactPatterns = custom == null ? Collections.<String>emptyList()
        : Collections.unmodifiableList(Arrays.asList(custom.split(";")));
    costEnabled = s.getBoolean(PREFIX + "cost.enabled", true);
    pricesFile = s.get(PREFIX + "prices.file");
    weaveCacheEnabled = s.getBoolean(PREFIX + "weave-cache.enabled", true);
    weaveCacheDir = s.get(PREFIX + "weave-cache.dir");
    String sampler = s.get("otel.traces.sampler"); // trimmed, null when blank
    defaultSampler = sampler == null || sampler.equalsIgnoreCase("parentbased_always_on");
  }

  /** Reads every setting now, from the JVM's system properties and environment. */
  public static AgentConfig fromEnvironment() {
    return from(AgentSettings.fromEnvironment());
  }

  public static AgentConfig from(AgentSettings settings) {
    return new AgentConfig(settings);
  }

  /** Whether the hook {@code name} is on ({@code otel.instrumentation.llm.<name>.enabled}, default true). */
  public boolean hookEnabled(String name) {
    return settings.getBoolean(PREFIX + name + ".enabled", true);
  }

  /** Whether the dialect {@code name} is on ({@code otel.instrumentation.llm.dialect.<name>.enabled}, default true). */
  public boolean dialectEnabled(String name) {
    return settings.getBoolean(PREFIX + "dialect." + name + ".enabled", true);
  }
}
