package dev.llmotel.dialect.openairealtime;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.StreamRules;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.GuardedMessageSession;
import dev.llmotel.exchange.HeaderLookup;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Realtime API session. What is recorded:
 * <ul>
 *   <li>the session ({@link #facts()}): operation {@code realtime} (the conventions have none for a realtime session),
 *       provider from the host, request model from {@code ?model=}, response model and
 *       {@code llmotel.realtime.session.id} from {@code session.created} / {@code session.updated}; counts
 *       {@code llmotel.realtime.responses}, {@code llmotel.realtime.messages.sent},
 *       {@code llmotel.realtime.messages.received}, {@code llmotel.realtime.errors}; the close code
 *       {@code llmotel.realtime.close.code}; an {@code error} event that belongs to no response is the session's
 *       error ({@code error.code}, else {@code error.type}); a transport failure is its error (exception class);</li>
 *   <li>one turn per response, from the {@code response.create} the application sent (or, when the server began it
 *       itself, e.g. with voice activity detection, from {@code response.created}) to {@code response.done}:
 *       operation {@code chat}, the session's model, {@code gen_ai.response.id}, streamed, time to the first
 *       {@code response.output_audio.delta} / {@code response.audio.delta} / {@code response.output_text.delta} /
 *       {@code response.text.delta} (each such delta is a chunk), output type {@code speech} when audio came, else
 *       {@code text}; from {@code response.done}: finish reason ({@code completed} gives {@code stop}, {@code
 *       incomplete} its {@code status_details.reason}, {@code cancelled} {@code cancelled}), {@code failed} is an error
 *       ({@code status_details.error.code}, else its type, else {@code response_failed}); usage {@code
 *       input_tokens}, {@code output_tokens}, {@code input_token_details.cached_tokens} (cache read) and the
 *       text/audio details as {@code llmotel.usage.input_text_tokens}, {@code llmotel.usage.input_audio_tokens},
 *       {@code llmotel.usage.output_text_tokens}, {@code llmotel.usage.output_audio_tokens}; a session that closes or
 *       fails mid-response ends it as an error ({@code stream_truncated}, or the exception's class).</li>
 *   <li>an {@code error} whose {@code error.event_id} is the {@code event_id} of a {@code response.create} still
 *       waiting for its {@code response.created} is that create's refusal: a response that failed at once, from the
 *       create; any other error is the newest running response's, else the session's.</li>
 * </ul>
 * Only the first characters of a message are scanned for its {@code type}; only the few events above are parsed
 * (bounded), so audio deltas cost a scan of their first bytes. At most {@link #MAX_OPEN_TURNS} responses are followed
 * at a time; nothing else is kept between messages.
 */
final class RealtimeSession implements MessageDialectSession {
  static final String OPERATION = "realtime";
  static final String TURN_OPERATION = "chat";
  static final int MAX_OPEN_TURNS = 16;
  /** Characters of a message parsed from its start (the events' own fields come before any long content). */
  static final int HEAD_CHARS = 64 * 1024;
  /** Characters at the end of a long {@code response.done} searched for its usage. */
  static final int TAIL_CHARS = 4 * 1024;
  /** Characters scanned for the {@code "type"} field. */
  private static final int TYPE_SCAN_CHARS = 256;
  /** Characters scanned for a delta's {@code "response_id"}. */
  private static final int RESPONSE_ID_SCAN_CHARS = 512;
  /** Characters kept of a fragmented message of which only the type (and a delta's response id) is read. */
  static final int SCANNED_CHARS = 512;

  private final CallFacts facts = new CallFacts();
  private final TurnSink sink;
  private final JsonLimits limits;
  private final int maxParsedChars;
  /**
   * The {@code response.create}s sent whose {@code response.created} (or refusal) has not arrived yet, oldest first:
   * their start time and {@code event_id} (null when the application gave none).
   */
  private final ArrayDeque<PendingCreate> pendingCreates = new ArrayDeque<>();
  /** Open responses by id, oldest first. */
  private final LinkedHashMap<String, CallFacts> open = new LinkedHashMap<>();
  private String sessionId;
  private long responses;
  private long sent;
  private long received;
  private long errors;

  RealtimeSession(String model, String provider, TurnSink sink, DialectContext context) {
    this.sink = sink;
    this.maxParsedChars = context.maxEventBytes();
    this.limits = JsonLimits.defaults()
        .withMaxStringChars(256)
        .withMaxRetainedChars(Math.min(16 * 1024, context.maxRetainedChars()))
        .withIgnoredFields("delta", "audio", "output", "instructions", "tools", "input", "transcript", "text")
        .withMaxDocumentBytes(context.maxEventBytes());
    facts.request.operationName = OPERATION;
    facts.request.providerName = provider;
    facts.request.model = model;
  }

  @Override
  public CallFacts facts() {
    return facts;
  }

  @Override
  public void onOpen(long nanos, int statusCode, HeaderLookup headers) {
    if (statusCode > 0) facts.response.httpStatus = statusCode;
  }

  /**
   * The events parsed get their head and tail ({@code HEAD_CHARS + TAIL_CHARS}); any other (an audio delta, an
   * {@code input_audio_buffer.append} sent) only what the type and response id scans read. A first fragment too
   * short to show its type gets the most.
   */
  @Override
  public int maxMessageChars(boolean isSent, CharSequence start) {
    String type = typeOf(start);
    if (type == null) return HEAD_CHARS + TAIL_CHARS;
    if (isSent) return type.equals("response.create") ? HEAD_CHARS + TAIL_CHARS : SCANNED_CHARS;
    return isParsed(type) ? HEAD_CHARS + TAIL_CHARS : SCANNED_CHARS;
  }

  static boolean isParsed(String type) {
    return type.equals("session.created") || type.equals("session.updated") || type.equals("response.created")
        || type.equals("response.done") || type.equals("error");
  }

  @Override
  public void onText(long nanos, boolean isSent, CharSequence message, boolean cut) {
    if (isSent) sent++;
    else received++;
    String type = typeOf(message);
    if (type == null) return;
    if (isSent) {
      if (type.equals("response.create") && pendingCreates.size() < MAX_OPEN_TURNS) {
        pendingCreates.add(new PendingCreate(nanos, scanString(message, "\"event_id\"", headEnd(message, cut))));
      }
      return;
    }
    if (isOutputDelta(type)) {
      CallFacts turn = turnOf(message, nanos);
      if (turn == null) return;
      turn.stream.setBytesArrivedNanos(nanos);
      turn.stream.chunkArrived();
      turn.stream.setBytesArrivedNanos(0);
      if (type.contains("audio")) turn.request.outputType = "speech";
      else if (turn.request.outputType == null) turn.request.outputType = "text";
      return;
    }
    switch (type) {
      case "session.created":
        session(parse(message, cut).path("session"), true);
        break;
      case "session.updated":
        session(parse(message, cut).path("session"), false);
        break;
      case "response.created":
        created(parse(message, cut).path("response"), nanos);
        break;
      case "response.done": {
        JsonValue response = parse(message, cut).path("response");
        JsonValue usage = response.path("usage");
        if (!usage.isObject() && (cut || message.length() > Math.min(HEAD_CHARS, maxParsedChars))) {
          usage = usageFromTail(message);
        }
        done(response, usage, nanos);
        break;
      }
      case "error":
        error(parse(message, cut).path("error"), nanos);
        break;
      default:
        break;
    }
  }

  static boolean isOutputDelta(String type) {
    return type.equals("response.output_audio.delta") || type.equals("response.audio.delta")
        || type.equals("response.output_text.delta") || type.equals("response.text.delta");
  }

  @Override
  public void onBinary(long nanos, boolean isSent, long length) {
    if (isSent) sent++;
    else received++;
  }

  @Override
  public void onEnd(long nanos, int code, String reason, Throwable error) {
    for (Iterator<CallFacts> it = open.values().iterator(); it.hasNext(); ) {
      CallFacts turn = it.next();
      it.remove();
      if (error != null) StreamRules.failed(turn, error);
      else StreamRules.bodyEnded(turn, true);
      sink.ended(turn, nanos);
    }
    pendingCreates.clear();
    if (code >= 0) facts.response.putExtra("llmotel.realtime.close.code", (long) code);
    if (error != null) StreamRules.failed(facts, error);
    facts.response.putExtra("llmotel.realtime.responses", responses);
    facts.response.putExtra("llmotel.realtime.messages.sent", sent);
    facts.response.putExtra("llmotel.realtime.messages.received", received);
    if (errors > 0) facts.response.putExtra("llmotel.realtime.errors", errors);
  }

  /** @param created from {@code session.created}, whose id wins over any later {@code session.updated}'s */
  private void session(JsonValue session, boolean created) {
    String id = session.path("id").asNonEmptyText();
    if (id != null && (created || sessionId == null)) {
      sessionId = id;
      facts.response.putExtra("llmotel.realtime.session.id", id);
    }
    String model = session.path("model").asNonEmptyText();
    if (model != null) facts.response.model = model;
  }

  private void created(JsonValue response, long nanos) {
    String id = response.path("id").asNonEmptyText();
    if (id != null && open.containsKey(id)) return;
    PendingCreate create = pendingCreates.poll();
    begin(id != null ? id : "#" + responses, create != null ? create.nanos : nanos);
  }

  private CallFacts begin(String id, long startNanos) {
    if (open.size() >= MAX_OPEN_TURNS) return null;
    CallFacts turn = new CallFacts();
    turn.request.operationName = TURN_OPERATION;
    turn.request.providerName = facts.request.providerName;
    turn.request.model = facts.request.model != null ? facts.request.model : facts.response.model;
    turn.response.model = facts.response.model;
    turn.response.eventStream = true;
    turn.stream.streamed = true;
    if (!id.startsWith("#")) turn.response.id = id;
    if (sessionId != null) turn.response.putExtra("llmotel.realtime.session.id", sessionId);
    open.put(id, turn);
    responses++;
    sink.begun(turn, startNanos);
    return turn;
  }

  /** The open response a delta belongs to: its {@code response_id}, else the newest. */
  private CallFacts turnOf(CharSequence message, long nanos) {
    if (open.isEmpty()) return null;
    String id = scanString(message, "\"response_id\"", RESPONSE_ID_SCAN_CHARS);
    CallFacts turn = id == null ? null : open.get(id);
    if (turn != null) return turn;
    CallFacts newest = null;
    for (CallFacts f : open.values()) newest = f;
    return newest;
  }

  private void done(JsonValue response, JsonValue usage, long nanos) {
    String id = response.path("id").asNonEmptyText();
    CallFacts turn = id == null ? null : open.remove(id);
    if (turn == null && !open.isEmpty()) {
      // no id, or an id never announced: the oldest open response
      Iterator<Map.Entry<String, CallFacts>> it = open.entrySet().iterator();
      turn = it.next().getValue();
      it.remove();
    }
    if (turn == null) {
      // a response.done without its response.created (or beyond the cap): a response of its own, begun now
      PendingCreate create = pendingCreates.poll();
      turn = begin(id != null ? id : "#" + responses, create != null ? create.nanos : nanos);
      if (turn == null) return;
      open.remove(id != null ? id : "#" + (responses - 1));
    }
    if (id != null) turn.response.id = id;
    String status = response.path("status").asNonEmptyText();
    JsonValue details = response.path("status_details");
    if ("completed".equals(status)) {
      turn.response.addFinishReason("stop");
    } else if ("incomplete".equals(status)) {
      String reason = details.path("reason").asNonEmptyText();
      turn.response.addFinishReason(reason != null ? reason : "incomplete");
    } else if ("cancelled".equals(status)) {
      String reason = details.path("reason").asNonEmptyText();
      turn.response.addFinishReason("cancelled");
      if (reason != null) turn.response.putExtra("llmotel.realtime.cancel.reason", reason);
    } else if ("failed".equals(status)) {
      JsonValue error = details.path("error");
      String type = error.path("code").asNonEmptyText();
      if (type == null) type = error.path("type").asNonEmptyText();
      if (turn.response.errorType == null) {
        turn.response.errorType = type != null ? type : "response_failed";
        turn.response.errorMessage = error.path("message").asNonEmptyText();
      }
    }
    usage(usage, turn);
    turn.stream.markEnd();
    StreamRules.bodyEnded(turn, true);
    sink.ended(turn, nanos);
  }

  private static void usage(JsonValue usage, CallFacts turn) {
    if (!usage.isObject()) return;
    turn.usage.inputTokens = usage.path("input_tokens").asLong(-1);
    turn.usage.outputTokens = usage.path("output_tokens").asLong(-1);
    JsonValue in = usage.path("input_token_details");
    JsonValue out = usage.path("output_token_details");
    turn.usage.cacheReadTokens = in.path("cached_tokens").asLong(-1);
    putCount(turn, "llmotel.usage.input_text_tokens", in.path("text_tokens").asLong(-1));
    putCount(turn, "llmotel.usage.input_audio_tokens", in.path("audio_tokens").asLong(-1));
    putCount(turn, "llmotel.usage.output_text_tokens", out.path("text_tokens").asLong(-1));
    putCount(turn, "llmotel.usage.output_audio_tokens", out.path("audio_tokens").asLong(-1));
  }

  private static void putCount(CallFacts turn, String name, long value) {
    if (value >= 0) turn.response.putExtra(name, value);
  }

  private void error(JsonValue error, long nanos) {
    errors++;
    String type = error.path("code").asNonEmptyText();
    if (type == null) type = error.path("type").asNonEmptyText();
    if (type == null) type = "realtime_error";
    String message = error.path("message").asNonEmptyText();
    PendingCreate refused = refusedCreate(error.path("event_id").asNonEmptyText());
    if (refused != null) {
      // the response.create was refused: a response that failed at once
      CallFacts turn = begin("#" + responses, refused.nanos);
      if (turn != null) {
        open.remove("#" + (responses - 1));
        turn.response.errorType = type;
        turn.response.errorMessage = message;
        turn.stream.outcome = dev.llmotel.exchange.StreamOutcome.FAILED;
        sink.ended(turn, nanos);
        return;
      }
    }
    CallFacts newest = null;
    for (CallFacts f : open.values()) newest = f;
    CallFacts target = newest != null ? newest : facts;
    if (target.response.errorType == null) {
      target.response.errorType = type;
      target.response.errorMessage = message;
    }
  }

  /**
   * The pending {@code response.create} an error names by its {@code event_id}, taken off the pending ones; null for
   * an error that names none of them (it concerns another client event, the session or the running response).
   */
  private PendingCreate refusedCreate(String eventId) {
    if (eventId == null) return null;
    for (Iterator<PendingCreate> it = pendingCreates.iterator(); it.hasNext(); ) {
      PendingCreate create = it.next();
      if (eventId.equals(create.eventId)) {
        it.remove();
        return create;
      }
    }
    return null;
  }

  private static final class PendingCreate {
    final long nanos;
    final String eventId;

    PendingCreate(long nanos, String eventId) {
      this.nanos = nanos;
      this.eventId = eventId;
    }
  }

  /**
   * The first {@code HEAD_CHARS} of a message (at most the context's event size, and never past the head of a cut
   * message) as a bounded tree.
   */
  private JsonValue parse(CharSequence message, boolean cut) {
    return parse(message, 0, Math.min(headEnd(message, cut), Math.min(HEAD_CHARS, maxParsedChars)));
  }

  /**
   * Where the head of a message ends: a cut message longer than twice {@link GuardedMessageSession#TAIL_CHARS} is its
   * head joined to its last {@code TAIL_CHARS} characters, which a parse of its start must not run into.
   */
  static int headEnd(CharSequence message, boolean cut) {
    int tail = GuardedMessageSession.TAIL_CHARS;
    return cut && message.length() > 2 * tail ? message.length() - tail : message.length();
  }

  private JsonValue parse(CharSequence message, int from, int to) {
    byte[] bytes = message.subSequence(from, to).toString().getBytes(StandardCharsets.UTF_8);
    JsonValue v = JsonTreeReader.parse(bytes, 0, bytes.length, limits);
    return v == null ? JsonValue.MISSING : v;
  }

  /**
   * The {@code usage} object of a {@code response.done} whose head did not hold it: a long response's output items
   * (transcripts, text) come before its usage. Looked for in the message's last {@code TAIL_CHARS} (usage is among
   * the response's last fields), parsed alone.
   */
  private JsonValue usageFromTail(CharSequence message) {
    int from = Math.max(0, message.length() - TAIL_CHARS);
    int at = lastIndexOf(message, "\"usage\"", from);
    if (at < 0) return JsonValue.MISSING;
    int colon = at + "\"usage\"".length();
    while (colon < message.length() && message.charAt(colon) != ':') colon++;
    if (colon >= message.length()) return JsonValue.MISSING;
    return parse(message, colon + 1, message.length());
  }

  private static int lastIndexOf(CharSequence s, String key, int from) {
    outer:
    for (int i = s.length() - key.length(); i >= from; i--) {
      for (int k = 0; k < key.length(); k++) {
        if (s.charAt(i + k) != key.charAt(k)) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** The event's {@code type}, from its first characters (servers write it first), or null. */
  static String typeOf(CharSequence message) {
    return scanString(message, "\"type\"", TYPE_SCAN_CHARS);
  }

  /**
   * The string value of the first {@code key} (quoted) in the first {@code limit} characters, at any depth (the
   * realtime events put {@code type}, {@code event_id} and {@code response_id} at the top, before any nested object).
   */
  static String scanString(CharSequence s, String key, int limit) {
    int end = Math.min(s.length(), limit);
    int i = indexOf(s, key, 0, end);
    while (i >= 0) {
      int j = i + key.length();
      while (j < end && Character.isWhitespace(s.charAt(j))) j++;
      if (j < end && s.charAt(j) == ':') {
        j++;
        while (j < end && Character.isWhitespace(s.charAt(j))) j++;
        if (j < end && s.charAt(j) == '"') {
          int start = j + 1;
          int k = start;
          while (k < end && s.charAt(k) != '"' && s.charAt(k) != '\\') k++;
          if (k < end && s.charAt(k) == '"') return s.subSequence(start, k).toString();
        }
        return null;
      }
      i = indexOf(s, key, i + 1, end);
    }
    return null;
  }

  private static int indexOf(CharSequence s, String key, int from, int end) {
    outer:
    for (int i = from; i + key.length() <= end; i++) {
      for (int k = 0; k < key.length(); k++) {
        if (s.charAt(i + k) != key.charAt(k)) continue outer;
      }
      return i;
    }
    return -1;
  }
}
