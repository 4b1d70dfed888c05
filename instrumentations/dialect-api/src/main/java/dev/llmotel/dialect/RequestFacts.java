package dev.llmotel.dialect;

import java.util.List;

/** The request's side of a call, written by the dialect. Null (or empty) when unknown. */
public final class RequestFacts {
  /** {@code gen_ai.operation.name}: chat | embeddings | text_completion | generate_content | ... */
  public String operationName;
  /** {@code gen_ai.provider.name}, from the {@link Providers} table or the dialect. */
  public String providerName;
  public String model;
  public Long maxTokens;
  public Double temperature;
  public Double topP;
  public Double topK;
  public Double frequencyPenalty;
  public Double presencePenalty;
  public Long seed;
  public Long choiceCount;
  public List<String> stopSequences;
  public List<String> encodingFormats;
  /** text | json | image | speech */
  public String outputType;

  // content, only when capture is on: JSON strings in the semantic conventions' shapes
  /** {@code gen_ai.input.messages}: [{role, parts:[{type:"text", content}...]}...] */
  public String inputMessagesJson;
  /** {@code gen_ai.system_instructions}: [{type:"text", content}...] */
  public String systemInstructionsJson;
  /** {@code gen_ai.tool.definitions}: the request's tools as sent */
  public String toolDefinitionsJson;

  /**
   * Set only for a call that is not a GenAI operation (an RPC such as LiveKit's Twirp server API): the name of its
   * CLIENT span (e.g. {@code livekit.RoomService/CreateRoom}). Telemetry then records a plain client span with this
   * name, {@code server.*}, the HTTP status, {@code error.type} and the response's extra attributes, and no GenAI
   * attributes, metrics, cost or call listener. Null (the default): a GenAI span {@code {operation} {model}}.
   */
  public String spanName;
}
