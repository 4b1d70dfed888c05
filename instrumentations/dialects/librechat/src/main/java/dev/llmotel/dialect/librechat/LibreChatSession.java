package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.support.ContentJson;
import dev.llmotel.dialect.support.JsonBodySession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonValue;

/**
 * One request of a LibreChat turn ({@link LibreChatDialect.Route}). The chat POST opens the turn: its body gives the
 * endpoint, model, message ids and (with content capture) the question; its response names the stream and the
 * conversation, the keys the later requests continue it under. The stream's frames ({@link TurnFrames}) and the
 * status document end it; an abort ends it as an error. Nothing throws: a parse failure leaves the facts partly
 * filled. No header is read (the JWT travels in {@code Authorization}).
 */
final class LibreChatSession extends JsonBodySession {
  static final String CHAT = "chat";
  static final String ABORTED = "aborted";
  static final String NEW_CONVERSATION = "new";

  private final LibreChatDialect.Route route;
  private final LibreChatLimits limits;
  private final TurnFrames frames;
  private String endpoint;

  LibreChatSession(LibreChatDialect.Route route, String key, String endpoint, LibreChatLimits limits) {
    super(limits.context, limits.document);
    this.route = route;
    this.limits = limits;
    this.endpoint = endpoint;
    this.frames = new TurnFrames(facts, limits, context.maxParsedBytes());
    facts.request.operationName = CHAT;
    switch (route) {
      case CHAT:
        facts.continuation.opens();
        facts.response.putExtra(Attributes.COMPLETED, false);
        if (endpoint != null) applyEndpoint(endpoint);
        break;
      case STREAM:
        facts.continuation.continues(key);
        // without a Content-Type, a successful answer is still the stream this route serves
        facts.stream.streamed = true;
        break;
      default:
        facts.continuation.continues(key);
        break;
    }
  }

  private void applyEndpoint(String name) {
    endpoint = name;
    facts.response.putExtra(Attributes.ENDPOINT, name);
    String provider = Endpoints.provider(name);
    facts.request.providerName = provider != null ? provider : Endpoints.FALLBACK;
  }

  @Override
  protected void onRequest(JsonValue body) {
    if (body == null || !body.isObject()) {
      if (route == LibreChatDialect.Route.CHAT && endpoint == null) facts.request.providerName = Endpoints.FALLBACK;
      return;
    }
    switch (route) {
      case CHAT:
        if (endpoint == null) {
          String named = body.path("endpoint").asNonEmptyText();
          if (named != null) applyEndpoint(named);
          else facts.request.providerName = Endpoints.FALLBACK;
        }
        facts.request.model = body.path("model").asNonEmptyText();
        String conversation = body.path("conversationId").asNonEmptyText();
        if (conversation != null && !NEW_CONVERSATION.equals(conversation)) applyConversation(conversation);
        facts.response.putExtra(Attributes.REQUEST_MESSAGE_ID, body.path("messageId").asNonEmptyText());
        facts.response.putExtra(Attributes.PARENT_MESSAGE_ID, body.path("parentMessageId").asNonEmptyText());
        facts.response.putExtra(Attributes.AGENT_ID, body.path("agent_id").asNonEmptyText());
        if (context.captureContent()) {
          facts.request.inputMessagesJson = Messages.user(body.path("text"), context.maxContentChars());
        }
        break;
      case ABORT:
        facts.continuation.addKey(body.path("streamId").asNonEmptyText());
        facts.continuation.addKey(body.path("conversationId").asNonEmptyText());
        break;
      default:
        break;
    }
  }

  private void applyConversation(String conversation) {
    facts.response.putExtra(Attributes.CONVERSATION_ID, conversation);
    facts.response.putExtra(Attributes.GEN_AI_CONVERSATION_ID, conversation);
  }

  @Override
  protected void onResponseHeaders(int statusCode, HeaderLookup headers) {
    if (statusCode >= 400) {
      // the stream is gone or refused: the turn is over for the application (a failed poll or abort is not)
      if (route == LibreChatDialect.Route.STREAM) facts.continuation.end();
    } else if (route == LibreChatDialect.Route.ABORT) {
      facts.response.errorType = ABORTED;
      facts.response.errorMessage = "the turn was aborted";
      facts.response.putExtra(Attributes.COMPLETED, false);
      facts.continuation.end();
    }
  }

  @Override
  protected StreamParser openStream() {
    return sseStream(frames, complete -> {
      // a stream read to its end without its final frame: the turn will not be answered on it (truncated)
      if (complete) facts.continuation.end();
    });
  }

  @Override
  protected JsonLimits responseLimits() {
    return facts.response.httpStatus >= 400 ? limits.error : limits.document;
  }

  @Override
  protected void onResponseDocument(JsonValue body) {
    if (facts.response.httpStatus >= 400) {
      String message = Messages.error(body);
      if (message != null) facts.response.errorMessage = message;
      return;
    }
    if (body == null || !body.isObject()) return;
    switch (route) {
      case CHAT:
        String conversation = body.path("conversationId").asNonEmptyText();
        String stream = body.path("streamId").asNonEmptyText();
        facts.continuation.addKey(stream);
        facts.continuation.addKey(conversation);
        if (conversation != null) applyConversation(conversation);
        facts.response.putExtra(Attributes.STREAM_ID, stream);
        // an older server may answer the turn at once, in the same document
        if (body.path("final").asBoolean(false)) frames.applyFinal(body);
        break;
      case STATUS:
        if (body.path("active").asBoolean(true)) return;
        String status = body.path("status").asNonEmptyText();
        if (ABORTED.equalsIgnoreCase(status)) {
          facts.response.errorType = ABORTED;
          facts.response.errorMessage = "the turn was aborted";
        } else if ("error".equalsIgnoreCase(status) || "failed".equalsIgnoreCase(status)) {
          facts.response.errorType = TurnFrames.STREAM_ERROR;
          String message = Messages.error(body);
          facts.response.errorMessage = message != null ? message : status;
        } else {
          facts.response.putExtra(Attributes.COMPLETED, true);
        }
        facts.continuation.end();
        break;
      default:
        break;
    }
  }

  /** Names of the attributes this dialect adds (the conventions' where they exist). */
  static final class Attributes {
    static final String ENDPOINT = "librechat.endpoint";
    static final String CONVERSATION_ID = "librechat.conversation_id";
    /** Semantic conventions' {@code gen_ai.conversation.id}. */
    static final String GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
    static final String STREAM_ID = "librechat.stream_id";
    static final String COMPLETED = "librechat.completed";
    static final String REQUEST_MESSAGE_ID = "librechat.request_message_id";
    static final String RESPONSE_MESSAGE_ID = "librechat.response_message_id";
    static final String PARENT_MESSAGE_ID = "librechat.parent_message_id";
    /** Semantic conventions' {@code gen_ai.agent.id}. */
    static final String AGENT_ID = "gen_ai.agent.id";

    private Attributes() {}
  }

  static String clip(String s) {
    if (s == null) return null;
    return s.length() <= LibreChatLimits.MAX_ERROR_CHARS ? s : s.substring(0, LibreChatLimits.MAX_ERROR_CHARS)
        + ContentJson.CUT_MARKER;
  }
}
