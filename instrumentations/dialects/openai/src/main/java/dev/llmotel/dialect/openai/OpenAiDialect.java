package dev.llmotel.dialect.openai;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * The OpenAI-compatible protocol as most providers and self-hosted servers speak it: {@code POST .../chat/completions}
 * ({@code chat}), {@code .../completions} ({@code text_completion}) and {@code .../embeddings} ({@code embeddings}),
 * with or without {@code /v1}, on any host, plus Azure's {@code /openai/deployments/{deployment}/...} routes.
 */
public final class OpenAiDialect implements Dialect {
  static final String CHAT = "chat";
  static final String TEXT_COMPLETION = "text_completion";
  static final String EMBEDDINGS = "embeddings";

  /** The limits of the last context seen (the agent uses one context throughout). */
  private volatile OpenAiLimits limits;

  @Override
  public String name() {
    return "openai";
  }

  /** Its routes are shared by many servers: asked after every dialect that knows its own routes or hosts. */
  @Override
  public int precedence() {
    return GENERIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method())) return null;
      String path = RequestPaths.withoutTrailingSlashes(request.path());
      String operation = operation(path);
      if (operation == null) return null;
      String deployment = RequestPaths.azureDeployment(path);
      String provider = deployment != null ? Providers.AZURE_OPENAI
          : Providers.forHost(request.host(), request.port(), Providers.OPENAI);
      OpenAiLimits l = OpenAiLimits.forContext(limits, context);
      limits = l;
      return new OpenAiSession(operation, provider, deployment, l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String operation(String path) {
    if (path.endsWith("/chat/completions")) return CHAT;
    if (path.endsWith("/embeddings")) return EMBEDDINGS;
    if (path.endsWith("/completions")) return TEXT_COMPLETION;
    return null;
  }
}
