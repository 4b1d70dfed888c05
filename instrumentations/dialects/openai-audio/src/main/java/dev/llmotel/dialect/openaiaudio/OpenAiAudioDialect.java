package dev.llmotel.dialect.openaiaudio;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * OpenAI-compatible audio, on any host, with or without {@code /v1}, and Azure's
 * {@code /openai/deployments/{deployment}/audio/...}:
 * <ul>
 *   <li>speech to text: {@code POST .../audio/transcriptions} ({@code transcription}) and
 *       {@code .../audio/translations} ({@code translation}), a multipart upload answered by JSON, plain text or an SSE
 *       stream of {@code transcript.text.*} events ({@link TranscriptionSession});</li>
 *   <li>text to speech: {@code POST .../audio/speech} ({@code speech}), a JSON request answered by binary audio or an
 *       SSE stream of {@code speech.audio.*} events ({@link SpeechSession}).</li>
 * </ul>
 * The GenAI semantic conventions (v1.41) name no operation for these, so the operation names are the agent's own
 * (the API's own words), and what the conventions have no attribute for goes under {@code llmotel.audio.*}
 * ({@link AudioAttributes}). A separate dialect from the chat one: its bodies (multipart uploads, binary audio) share
 * nothing with chat's JSON.
 */
public final class OpenAiAudioDialect implements Dialect {
  static final String TRANSCRIPTION = "transcription";
  static final String TRANSLATION = "translation";
  static final String SPEECH = "speech";

  @Override
  public String name() {
    return "openai-audio";
  }

  /** Routes shared by many servers, but none of the chat dialect's: just before it. */
  @Override
  public int precedence() {
    return GENERIC - 10;
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
      if (operation.equals(SPEECH)) return new SpeechSession(provider, deployment, context);
      String contentType = request.headers() == null ? null : request.headers().get("Content-Type");
      return new TranscriptionSession(operation, provider, deployment, MultipartFields.boundary(contentType),
          context);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String operation(String path) {
    if (path.endsWith("/audio/transcriptions")) return TRANSCRIPTION;
    if (path.endsWith("/audio/translations")) return TRANSLATION;
    if (path.endsWith("/audio/speech")) return SPEECH;
    return null;
  }
}
