package dev.llmotel.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute names the agent emits: GenAI semantic conventions v1.41, the server/http/error attributes they
 * reference, and the agent's own {@code llmotel.*} attributes for what the conventions do not cover.
 */
public final class GenAiAttributes {
  public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
  public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  public static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
  public static final AttributeKey<Double> REQUEST_TOP_K = AttributeKey.doubleKey("gen_ai.request.top_k");
  public static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY =
      AttributeKey.doubleKey("gen_ai.request.frequency_penalty");
  public static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY =
      AttributeKey.doubleKey("gen_ai.request.presence_penalty");
  public static final AttributeKey<Long> REQUEST_SEED = AttributeKey.longKey("gen_ai.request.seed");
  public static final AttributeKey<Long> REQUEST_CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
  public static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
      AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
  public static final AttributeKey<List<String>> REQUEST_ENCODING_FORMATS =
      AttributeKey.stringArrayKey("gen_ai.request.encoding_formats");
  public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  public static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");

  public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK =
      AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");

  public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  public static final AttributeKey<Long> USAGE_CACHE_CREATION_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  public static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  public static final AttributeKey<Long> EMBEDDINGS_DIMENSION_COUNT =
      AttributeKey.longKey("gen_ai.embeddings.dimension.count");

  /** Vendor attribute (OpenLIT's name, read by Langfuse, Opik and OpenObserve): USD, where the price is known. */
  public static final AttributeKey<Double> USAGE_COST = AttributeKey.doubleKey("gen_ai.usage.cost");

  // opt-in content: JSON strings (the conventions define no constants for these)
  public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
  public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
  public static final AttributeKey<String> TOOL_DEFINITIONS = AttributeKey.stringKey("gen_ai.tool.definitions");

  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  public static final AttributeKey<String> STREAM_OUTCOME = AttributeKey.stringKey("llmotel.stream.outcome");
  public static final AttributeKey<Long> STREAM_CHUNKS = AttributeKey.longKey("llmotel.stream.chunks");
  /** On a logical call's span: how many of its attempts were retries (the attempts are its child spans). */
  public static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("llmotel.retry.count");
  /** On a retried attempt's span: its number after the first (the HTTP conventions' name). */
  public static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT =
      AttributeKey.longKey("http.request.resend_count");
  /** On a span whose token usage is on a child span instead (see {@link SdkAppTracing}). */
  public static final AttributeKey<Boolean> USAGE_ON_CHILD_SPAN = AttributeKey.booleanKey("llmotel.usage.on_child_span");

  /**
   * The call's cost per kind of token (USD) when the price table priced it, so backends that show a cost breakdown
   * (Langfuse's cost details) can: input tokens other than cache reads/writes, cache reads, cache writes, output
   * (reasoning included). They sum to {@link #USAGE_COST}. Absent for a proxy's reported cost (only its total is
   * known) and for unpriced models.
   */
  public static final AttributeKey<Double> COST_INPUT = AttributeKey.doubleKey("llmotel.cost.input");
  public static final AttributeKey<Double> COST_CACHE_READ = AttributeKey.doubleKey("llmotel.cost.cache_read");
  public static final AttributeKey<Double> COST_CACHE_CREATION = AttributeKey.doubleKey("llmotel.cost.cache_creation");
  public static final AttributeKey<Double> COST_OUTPUT = AttributeKey.doubleKey("llmotel.cost.output");
  /** The application's user, from its baggage ({@code user.id} or {@code langfuse.user.id}): the semconv name. */
  public static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");
  /** Tags the application put into its baggage ({@code langfuse.trace.tags}, comma-separated). */
  public static final AttributeKey<List<String>> TAGS = AttributeKey.stringArrayKey("llmotel.tags");

  private GenAiAttributes() {}
}
