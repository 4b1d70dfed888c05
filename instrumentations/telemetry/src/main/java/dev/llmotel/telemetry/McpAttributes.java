package dev.llmotel.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Attribute names of the MCP semantic conventions (the project does not depend on opentelemetry-semconv-incubating,
 * so the names are spelled here as its {@code McpIncubatingAttributes} / {@code JsonrpcIncubatingAttributes} /
 * {@code GenAiIncubatingAttributes} spell them).
 */
public final class McpAttributes {
  public static final AttributeKey<String> METHOD_NAME = AttributeKey.stringKey("mcp.method.name");
  public static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("mcp.session.id");
  public static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
  public static final AttributeKey<String> RESOURCE_URI = AttributeKey.stringKey("mcp.resource.uri");
  public static final AttributeKey<String> JSONRPC_REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  public static final AttributeKey<String> JSONRPC_PROTOCOL_VERSION = AttributeKey.stringKey("jsonrpc.protocol.version");
  public static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE = AttributeKey.stringKey("rpc.response.status_code");
  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  public static final AttributeKey<String> PROMPT_NAME = AttributeKey.stringKey("gen_ai.prompt.name");
  public static final AttributeKey<String> TOOL_CALL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
  public static final AttributeKey<String> TOOL_CALL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
  public static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");

  /** {@code error.type} of a tool result with {@code isError: true} (the conventions' value). */
  public static final String TOOL_ERROR = "tool_error";
  /** Histogram buckets of the MCP operation durations, in seconds (the conventions' advice). */
  static final java.util.List<Double> DURATION_BUCKETS = java.util.Arrays.asList(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0,
      2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0);

  private McpAttributes() {}
}
