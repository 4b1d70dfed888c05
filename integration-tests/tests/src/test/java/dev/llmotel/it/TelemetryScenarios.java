package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.it.chatapp.JavaHttpClientChatApp;
import dev.llmotel.it.jvm.AgentJvm;
import dev.llmotel.it.jvm.Jdk;
import dev.llmotel.it.otlp.OtlpReceiver;
import dev.llmotel.it.otlp.ReceiverBehaviour;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent-attached runs the metrics, cost, content and backend tests read; each is one app JVM run, cached per JDK
 * (see {@link TelemetryRun#cached}). The credentials below are what the receivers standing in for the backends accept.
 */
final class TelemetryScenarios {
  static final String LANGFUSE_PK = "pk-lf-it-1234";
  static final String LANGFUSE_SK = "sk-lf-it-5678";
  static final String OPIK_KEY = "opik-it-key";
  static final String OPIK_WORKSPACE = "it-workspace";
  static final String OPIK_PROJECT = "it-project";
  static final String OPENOBSERVE_ORG = "it-org";
  static final String OPENOBSERVE_AUTH = ReceiverBehaviour.basic("it@example.com", "o2-token");
  static final String OPENOBSERVE_STREAM = "llm_calls";

  /** Spans the okhttp app makes: chat, stream, the 50 MB completion, the 429. */
  static final int OKHTTP_SPANS = 4;
  /** Spans the openai-java app makes: chat, two streams, embeddings, 429, 500, truncated, slow, abandoned. */
  static final int OPENAI_JAVA_SPANS = 9;

  /**
   * Spans the anthropic-java app makes: message, stream, tool use, 429, overloaded and truncated streams, async message
   * and async stream.
   */
  static final int ANTHROPIC_JAVA_SPANS = 8;

  /** Key-like text in a prompt; the default redaction must replace it. */
  static final String SECRET_IN_PROMPT = "sk-proj-Ab3dEf6hIj9kLm2nOp5q";
  static final int CONTENT_MAX_CHARS = 300;
  static final String LONG_PROMPT = "Long prompt: " + "abcdefghij".repeat(100);
  static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
      + "\"Weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"]}}}]";
  static final String CHAT_WITH_SECRET_AND_TOOLS = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"My key is " + SECRET_IN_PROMPT + ", keep it safe.\"}],\"tools\":" + TOOLS + "}";
  static final String CHAT_WITH_LONG_PROMPT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"" + LONG_PROMPT + "\"}]}";
  static final String STREAM_SAY_HELLO = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

  private TelemetryScenarios() {}

  /** An app with metrics exported every 250 ms, and content capture on (default limits and redaction) if asked. */
  private static TelemetryRun metricsRun(Jdk jdk, String app, String service, int spans, boolean content) {
    return metricsRun(jdk, app, null, service, null, spans, content);
  }

  /**
   * @param appArg an argument after the simulator's base URL, or null
   * @param variant what sets this run apart in its name, or null
   */
  private static TelemetryRun metricsRun(Jdk jdk, String app, String appArg, String service, String variant,
      int spans, boolean content) {
    String name = app + (variant == null ? "" : " " + variant) + ", metrics every 250 ms"
        + (content ? ", content on" : "");
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = start(ReceiverBehaviour.plainOtlp());
      TelemetryScenario scenario = TelemetryScenario.app(name, jdk, app).receiver(otlp)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), service))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "250");
      if (appArg != null) scenario.appArgs(appArg);
      if (content) scenario.env("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
      return scenario.expectSpans(spans, "otlp").run();
    });
  }

  /** openai-java with metrics exported every 250 ms and content capture on (default limits and redaction). */
  static TelemetryRun openAiJavaWithMetricsAndContent(Jdk jdk) {
    return metricsRun(jdk, "openai-java", "it-openai-java", OPENAI_JAVA_SPANS, true);
  }

  /** anthropic-java with metrics exported every 250 ms and content capture on (default limits and redaction). */
  static TelemetryRun anthropicJavaWithMetricsAndContent(Jdk jdk) {
    return metricsRun(jdk, "anthropic-java", "it-anthropic-java", ANTHROPIC_JAVA_SPANS, true);
  }

  /** Spans the google-genai app makes: generate, stream, embed, 429, truncated stream, Vertex AI generate. */
  static final int GOOGLE_GENAI_SPANS = 6;

  /** google-genai with metrics exported every 250 ms and content capture on (default limits and redaction). */
  static TelemetryRun googleGenAiWithMetricsAndContent(Jdk jdk) {
    return metricsRun(jdk, "google-genai", "it-google-genai", GOOGLE_GENAI_SPANS, true);
  }

  /** Spans the aws-bedrock app makes: converse, tool use, InvokeModel, throttled (its Netty stream makes none). */
  static final int AWS_BEDROCK_SPANS = 4;

  /** aws-bedrock with metrics exported every 250 ms. */
  static TelemetryRun awsBedrockWithMetrics(Jdk jdk) {
    return metricsRun(jdk, "aws-bedrock", "it-aws-bedrock", AWS_BEDROCK_SPANS, false);
  }

  /**
   * anthropic-java with its own tracing on (the SDK's default): one message and one stream, each an SDK span
   * ({@code anthropic.messages.create}) around the agent's LLM span; metrics every 250 ms.
   */
  static TelemetryRun anthropicJavaTracingItself(Jdk jdk) {
    return metricsRun(jdk, "anthropic-java", "sdk-tracing", "it-anthropic-java-sdk-tracing", "tracing itself", 4,
        false);
  }

  /**
   * okhttp with {@code OTEL_METRICS_EXPORTER=none}, a plain OTLP receiver and OpenObserve (which would take metrics),
   * and the user's own prices: a negotiated price for {@code gpt-4o-mini} (with a cache-read price) and one for the
   * unknown {@code sim-huge}.
   */
  static TelemetryRun okHttpWithOwnPricesAndMetricsOff(Jdk jdk) {
    String name = "okhttp, own prices, metrics none";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = start(ReceiverBehaviour.plainOtlp());
      OtlpReceiver openObserve = start(ReceiverBehaviour.openObserve(OPENOBSERVE_ORG, OPENOBSERVE_AUTH));
      Path prices = writeTemp("prices", ".csv", """
          # model,input,output[,cache_read,cache_creation] in USD per million tokens
          gpt-4o-mini,0.5,2.0,0.25
          sim-huge, 1, 2
          """);
      try {
        return TelemetryScenario.app(name, jdk, "okhttp").receiver(otlp).receiver(openObserve)
            .env(AgentJvm.agentEnvironment(otlp.endpoint(), "it-okhttp"))
            .env("OTEL_METRICS_EXPORTER", "none")
            .env("OTEL_METRIC_EXPORT_INTERVAL", "100")
            .env("OTEL_INSTRUMENTATION_LLM_PRICES_FILE", prices.toString())
            .env("OPENOBSERVE_URL", openObserve.endpoint())
            .env("OPENOBSERVE_ORG", OPENOBSERVE_ORG)
            .env("OPENOBSERVE_AUTH_TOKEN", OPENOBSERVE_AUTH)
            .expectSpans(OKHTTP_SPANS, "otlp", "openobserve")
            .run();
      } finally {
        deleteQuietly(prices);
      }
    });
  }

  /**
   * okhttp with a plain OTLP receiver plus Langfuse, Opik and OpenObserve configured from their own variables, metrics
   * on at the default interval (so only the flush at exit exports them).
   */
  /** The healthy run's resource: Langfuse's release and environment come from these. */
  static final String APP_VERSION = "1.4.2";
  static final String APP_ENV = "Staging";

  static TelemetryRun okHttpToThreeBackends(Jdk jdk) {
    String name = "okhttp, otlp + langfuse + opik + openobserve";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = start(ReceiverBehaviour.plainOtlp());
      OtlpReceiver langfuse = start(ReceiverBehaviour.langfuse(LANGFUSE_PK, LANGFUSE_SK));
      OtlpReceiver opik = start(ReceiverBehaviour.opik("/api", OPIK_KEY, OPIK_WORKSPACE));
      OtlpReceiver openObserve = start(ReceiverBehaviour.openObserve(OPENOBSERVE_ORG, OPENOBSERVE_AUTH));
      return TelemetryScenario.app(name, jdk, "okhttp")
          .receiver(otlp).receiver(langfuse).receiver(opik).receiver(openObserve)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), "it-okhttp"))
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_RESOURCE_ATTRIBUTES", "service.version=" + APP_VERSION + ",deployment.environment.name=" + APP_ENV)
          .env("LANGFUSE_PUBLIC_KEY", LANGFUSE_PK)
          .env("LANGFUSE_SECRET_KEY", LANGFUSE_SK)
          .env("LANGFUSE_HOST", langfuse.endpoint() + "/")
          .env("OPIK_URL_OVERRIDE", opik.endpoint() + "/api")
          .env("OPIK_API_KEY", OPIK_KEY)
          .env("OPIK_WORKSPACE", OPIK_WORKSPACE)
          .env("OPIK_PROJECT_NAME", OPIK_PROJECT)
          .env("OPENOBSERVE_URL", openObserve.endpoint())
          .env("OPENOBSERVE_ORG", OPENOBSERVE_ORG)
          .env("OPENOBSERVE_AUTH_TOKEN", OPENOBSERVE_AUTH)
          .env("OPENOBSERVE_STREAM_NAME", OPENOBSERVE_STREAM)
          .expectSpans(OKHTTP_SPANS, "otlp", "langfuse", "opik", "openobserve")
          .run();
    });
  }

  static final String DOTENV_SERVICE = "it-from-dotenv";
  static final String DOTENV_OPIK_KEY = "opik-dotenv-key";
  static final String DOTENV_OPIK_WORKSPACE = "dotenv-workspace";
  static final String ENV_OPIK_PROJECT = "project-from-env";
  static final String WRONG_OPENOBSERVE_AUTH = ReceiverBehaviour.basic("it@example.com", "revoked-token");

  /**
   * okhttp with no plain OTLP endpoint: Opik configured from a {@code .env} file in the working directory (with the
   * service name; the real environment's project name wins over the file's), a Langfuse public key without its
   * secret, and OpenObserve answering 401 to a wrong token; one span per export batch, so the 401 repeats.
   */
  static TelemetryRun okHttpWithDotEnvAndBrokenBackends(Jdk jdk) {
    String name = "okhttp, opik from .env, langfuse without secret, openobserve 401";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver langfuse = start(ReceiverBehaviour.langfuse(LANGFUSE_PK, LANGFUSE_SK));
      OtlpReceiver opik = start(ReceiverBehaviour.opik("/api", DOTENV_OPIK_KEY, DOTENV_OPIK_WORKSPACE));
      OtlpReceiver openObserve = start(ReceiverBehaviour.openObserve(OPENOBSERVE_ORG, OPENOBSERVE_AUTH));
      String dotEnv = "# Opik, as its integration guide writes it\n"
          + "OPIK_URL_OVERRIDE=" + opik.endpoint() + "/api\n"
          + "export OPIK_API_KEY=\"" + DOTENV_OPIK_KEY + "\"\n"
          + "OPIK_WORKSPACE=" + DOTENV_OPIK_WORKSPACE + "\n"
          + "OPIK_PROJECT_NAME=project-from-dotenv\n"
          + "OTEL_SERVICE_NAME=" + DOTENV_SERVICE + "\n";
      return TelemetryScenario.app(name, jdk, "okhttp")
          .receiver(langfuse).receiver(opik).receiver(openObserve)
          .dotEnv(dotEnv)
          .env("OTEL_BSP_SCHEDULE_DELAY", "200")
          .env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1")
          .env("OPIK_PROJECT_NAME", ENV_OPIK_PROJECT)
          .env("LANGFUSE_PUBLIC_KEY", LANGFUSE_PK)
          .env("LANGFUSE_HOST", langfuse.endpoint())
          .env("OPENOBSERVE_URL", openObserve.endpoint())
          .env("OPENOBSERVE_ORG", OPENOBSERVE_ORG)
          .env("OPENOBSERVE_AUTH_TOKEN", WRONG_OPENOBSERVE_AUTH)
          .expectSpans(OKHTTP_SPANS, "opik")
          .run();
    });
  }

  /**
   * The java.net.http chat app with content capture on and a {@value #CONTENT_MAX_CHARS}-character limit: a prompt
   * holding a key plus tools, a long prompt, and a stream.
   */
  static TelemetryRun chatAppWithContentLimits(Jdk jdk) {
    String name = "java.net.http chat app, content on, max " + CONTENT_MAX_CHARS + " chars";
    return TelemetryRun.cached(name, jdk, () -> {
      OtlpReceiver otlp = start(ReceiverBehaviour.plainOtlp());
      return TelemetryScenario.mainClass(name, jdk, JavaHttpClientChatApp.class).receiver(otlp)
          .appArgs(CHAT_WITH_SECRET_AND_TOOLS, CHAT_WITH_LONG_PROMPT, STREAM_SAY_HELLO)
          .env(AgentJvm.agentEnvironment(otlp.endpoint(), "it-chat-app"))
          .env("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
          .env("OTEL_INSTRUMENTATION_LLM_CONTENT_MAX_CHARS", Integer.toString(CONTENT_MAX_CHARS))
          .expectSpans(3, "otlp")
          .run();
    });
  }

  static OtlpReceiver start(ReceiverBehaviour behaviour) {
    try {
      return OtlpReceiver.start(behaviour);
    } catch (IOException e) {
      return fail("could not start a receiver: " + e, e);
    }
  }

  static Path writeTemp(String prefix, String suffix, String content) {
    try {
      Path file = Files.createTempFile(prefix, suffix);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      return fail("could not write a temp file: " + e, e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // harmless
    }
  }
}
