package dev.llmotel.dialect.gemini;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * Google's Gemini API, recognised by the shape of its path on any host (so proxies work too):
 * {@code POST .../models/{model}:generateContent} and {@code :streamGenerateContent} ({@code generate_content}),
 * {@code :embedContent} and {@code :batchEmbedContents} ({@code embeddings}). Both of its front doors use it:
 * <ul>
 *   <li>the Developer API, {@code https://generativelanguage.googleapis.com/v1beta/models/{model}:...} (also
 *       {@code v1/}): provider {@code gcp.gemini};</li>
 *   <li>Vertex AI, {@code https://{location}-aiplatform.googleapis.com/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:...}
 *       and the global {@code aiplatform.googleapis.com}: provider {@code gcp.vertex_ai}.</li>
 * </ul>
 * The provider is the host's when the host is one of Google's ({@link Providers}); on any other host (a proxy, a
 * simulator) the path decides: {@code /publishers/google/models/} is Vertex AI's, anything else the Developer API's.
 * The model is the path's (the body names none); a {@code models/} prefix is not part of it.
 */
public final class GeminiDialect implements Dialect {
  static final String GENERATE_CONTENT = "generate_content";
  static final String EMBEDDINGS = "embeddings";

  private static final String MODELS = "/models/";
  private static final String VERTEX_PUBLISHER = "/publishers/google/models/";

  /** One of Gemini's methods, the part of the path after the model and its colon. */
  enum Method {
    GENERATE("generateContent", GENERATE_CONTENT, false),
    STREAM_GENERATE("streamGenerateContent", GENERATE_CONTENT, true),
    EMBED("embedContent", EMBEDDINGS, false),
    BATCH_EMBED("batchEmbedContents", EMBEDDINGS, false);

    final String name;
    final String operation;
    final boolean streams;

    Method(String name, String operation, boolean streams) {
      this.name = name;
      this.operation = operation;
      this.streams = streams;
    }

    boolean embeds() {
      return this == EMBED || this == BATCH_EMBED;
    }

    static Method of(String name) {
      for (Method m : values()) {
        if (m.name.equals(name)) return m;
      }
      return null;
    }
  }

  /** The limits of the last context seen (the agent uses one context throughout). */
  private volatile GeminiLimits limits;

  @Override
  public String name() {
    return "gemini";
  }

  /** Its routes are its own ({@code models/{model}:generateContent}): asked before the generic OpenAI dialect. */
  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method())) return null;
      String path = request.path();
      if (path == null) return null;
      int models = path.lastIndexOf(MODELS);
      if (models < 0) return null;
      String call = path.substring(models + MODELS.length());
      int colon = colon(call);
      if (colon <= 0) return null;
      int methodStart = call.charAt(colon) == ':' ? colon + 1 : colon + 3;
      String methodName = call.substring(methodStart);
      int end = methodName.length();
      while (end > 0 && methodName.charAt(end - 1) == '/') end--;
      Method method = Method.of(methodName.substring(0, end));
      if (method == null) return null;
      String model = call.substring(0, colon);
      if (model.indexOf('/') >= 0) return null;
      GeminiLimits l = GeminiLimits.forContext(limits, context);
      limits = l;
      return new GeminiSession(method, provider(request.host(), request.port(), path), model, l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The host's provider when it is one of Google's; else Vertex AI for its publisher path, the Developer API otherwise. */
  static String provider(String host, int port, String path) {
    String byHost = Providers.forHost(host, port, null);
    if (Providers.GEMINI.equals(byHost) || Providers.VERTEX_AI.equals(byHost)) return byHost;
    return path.contains(VERTEX_PUBLISHER) ? Providers.VERTEX_AI : Providers.GEMINI;
  }

  /** The index of the colon between model and method: {@code :} or its escape {@code %3A}; -1 when none. */
  private static int colon(String call) {
    int plain = call.lastIndexOf(':');
    int escaped = Math.max(call.lastIndexOf("%3A"), call.lastIndexOf("%3a"));
    return Math.max(plain, escaped);
  }
}
