package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * Ollama's native API: {@code POST .../api/chat} ({@code chat}), {@code .../api/generate} ({@code text_completion}),
 * {@code .../api/embed} and the older {@code .../api/embeddings} ({@code embeddings}), on any host and port (Ollama
 * runs anywhere, often behind a proxy that adds a prefix such as {@code /ollama}).
 *
 * <p>The route alone decides, because no body is available when a dialect is asked. Paths like {@code /api/chat} are
 * generic enough that an application may serve its own under them, so the session then checks that the request body
 * is Ollama's (an object with a {@code model} name and fields of Ollama's types, see {@link OllamaRequest#isOllama});
 * when it is not, the facts stay empty (no provider, model, usage or stream end of Ollama's) rather than wrong.
 */
public final class OllamaDialect implements Dialect {
  static final String CHAT = "chat";
  static final String TEXT_COMPLETION = "text_completion";
  static final String EMBEDDINGS = "embeddings";

  /** One of Ollama's inference routes. */
  enum Route {
    CHAT("/api/chat", OllamaDialect.CHAT),
    GENERATE("/api/generate", TEXT_COMPLETION),
    EMBED("/api/embed", EMBEDDINGS),
    /** The older single-prompt embeddings route ({@code {model, prompt}} → {@code {embedding}}). */
    LEGACY_EMBEDDINGS("/api/embeddings", EMBEDDINGS);

    final String suffix;
    final String operation;

    Route(String suffix, String operation) {
      this.suffix = suffix;
      this.operation = operation;
    }

    /** Chat and generate produce text (and stream by default); the embeddings routes do not. */
    boolean generates() {
      return this == CHAT || this == GENERATE;
    }

    boolean embeds() {
      return this == EMBED || this == LEGACY_EMBEDDINGS;
    }

    /** {@code values()} copies the array on every call: this runs for every POST the agent sees. */
    private static final Route[] ALL = values();

    static Route of(String path) {
      for (Route r : ALL) {
        if (path.endsWith(r.suffix)) return r;
      }
      return null;
    }
  }

  /** The limits of the last context seen (the agent uses one context throughout). */
  private volatile OllamaLimits limits;

  @Override
  public String name() {
    return "ollama";
  }

  /** Its routes are its own ({@code /api/...}): asked before the generic OpenAI-compatible dialect. */
  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method())) return null;
      Route route = Route.of(RequestPaths.withoutTrailingSlashes(request.path()));
      if (route == null) return null;
      String provider = Providers.forHost(request.host(), request.port(), Providers.OLLAMA);
      OllamaLimits l = OllamaLimits.forContext(limits, context);
      limits = l;
      return new OllamaSession(route, provider, l);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
