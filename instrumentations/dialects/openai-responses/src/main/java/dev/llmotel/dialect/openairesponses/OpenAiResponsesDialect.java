package dev.llmotel.dialect.openairesponses;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * The OpenAI Responses API: {@code POST .../responses}, with or without {@code /v1}, on any host (OpenAI, Azure
 * OpenAI's {@code /openai/v1/responses}, and the proxies and servers that serve the same route: LiteLLM, vLLM,
 * OpenRouter). Only the creation of a response: retrieving one ({@code GET .../responses/{id}}), cancelling it, listing
 * its input items, compacting and counting input tokens are other routes and not matched.
 *
 * <p>What a call's facts hold:
 * <ul>
 *   <li>operation {@code chat} (the conventions have no operation of their own for the Responses API); provider from
 *       the host ({@link Providers#forHost}: {@code openai} for hosts not listed, {@code azure.ai.openai} for Azure
 *       hosts); extra {@code openai.api.type = responses};</li>
 *   <li>request: {@code model}, {@code temperature}, {@code top_p}, {@code max_output_tokens} (as max tokens),
 *       {@code stream}, {@code text.format.type} (output type {@code json} or {@code text}), {@code service_tier};</li>
 *   <li>response: {@code id}, {@code model}, {@code service_tier}; usage {@code input_tokens},
 *       {@code output_tokens}, {@code input_tokens_details.cached_tokens} (cache read) and
 *       {@code output_tokens_details.reasoning_tokens} (reasoning);</li>
 *   <li>finish reason, one per response, from its {@code status}: {@code completed} gives {@code stop}, or
 *       {@code tool_call} when an output item is a call the application must carry out ({@code function_call},
 *       {@code custom_tool_call}, {@code computer_call}, {@code local_shell_call}, {@code shell_call},
 *       {@code apply_patch_call}); {@code incomplete} gives {@code incomplete_details.reason} as sent
 *       ({@code max_output_tokens}, {@code content_filter}; {@code incomplete} when none); {@code failed} gives
 *       {@code error}, and the error type is {@code error.code} ({@code response_failed} when the error names no code);
 *       {@code queued} and {@code in_progress} (background responses) give none;</li>
 *   <li>error bodies in OpenAI's shape {@code {"error":{"message","type","param","code"}}}: error type
 *       {@code code}, else {@code type}, else the HTTP status;</li>
 *   <li>streams (SSE of named events, no {@code [DONE]}): every {@code *.delta} event is a chunk (a piece of output:
 *       {@code response.output_text.delta}, {@code response.function_call_arguments.delta}, refusal and reasoning
 *       deltas, ...), so the time to the first chunk is the time to the first output, not to
 *       {@code response.created}; {@code response.created} / {@code response.in_progress} give id and model early;
 *       {@code response.completed}, {@code response.incomplete} and {@code response.failed} carry the whole response
 *       with its usage and are the end marker; an {@code error} event gives the error type ({@code code}, else
 *       {@code stream_error}) and message but is no end marker (a stream that stops after it is truncated);</li>
 *   <li>content, only with capture on: {@code input} (a string, or items: messages, function calls and their outputs,
 *       reasoning summaries) as input messages, {@code instructions} as system instructions, {@code tools} as tool
 *       definitions, and the output items (message text and refusals, function and custom tool calls, reasoning
 *       summaries) as one assistant message whose finish reason is the conventions' ({@code max_output_tokens} becomes
 *       {@code length}).</li>
 * </ul>
 */
public final class OpenAiResponsesDialect implements Dialect {
  static final String NAME = "openai-responses";
  static final String OPERATION = "chat";
  private static final String ROUTE = "/responses";

  /** The limits of the last context seen (the agent uses one context throughout). */
  private volatile ResponsesLimits limits;

  @Override
  public String name() {
    return NAME;
  }

  /** Its route is shared by many servers: asked after every dialect that knows its own routes or hosts. */
  @Override
  public int precedence() {
    return GENERIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method()) || !isCreateRoute(request.path())) return null;
      String provider = Providers.forHost(request.host(), request.port(), Providers.OPENAI);
      ResponsesLimits l = ResponsesLimits.forContext(limits, context);
      limits = l;
      return new ResponsesSession(provider, l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code .../responses}, trailing slashes ignored; never {@code .../responses/{id}...}. */
  static boolean isCreateRoute(String path) {
    if (path == null) return false;
    return RequestPaths.withoutTrailingSlashes(path).endsWith(ROUTE);
  }
}
