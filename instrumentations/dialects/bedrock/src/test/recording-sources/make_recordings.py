#!/usr/bin/env python3
"""Writes the Bedrock recordings (request.http, response.http; binary AWS event streams included).

The payloads are modelled on the Bedrock Runtime API reference (Converse, ConverseStream, InvokeModel,
InvokeModelWithResponseStream with Anthropic's Messages body). expected.json files are written by hand.
Run from this folder: python3 make_recordings.py
"""
import base64, json, os, struct, zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "recordings")
HOST = "https://bedrock-runtime.us-east-1.amazonaws.com"
SIGV4 = [
    "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260801/us-east-1/bedrock/aws4_request, "
    "SignedHeaders=amz-sdk-invocation-id;content-type;host;x-amz-date;x-amz-security-token, "
    "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "X-Amz-Date: 20260801T101500Z",
    "X-Amz-Security-Token: FwoGZXIvYXdzEXAMPLEsessiontokenEXAMPLE==",
    "amz-sdk-invocation-id: 7d5a2e3c-0000-4000-8000-000000000001",
    "User-Agent: aws-sdk-java/2.31.0 md/io#sync md/http#Apache ua/2.1 api/BedrockRuntime#2.31.0",
]


def header(name, value):
    n = name.encode()
    v = value.encode()
    return bytes([len(n)]) + n + b"\x07" + struct.pack(">H", len(v)) + v


def frame(headers, payload):
    h = b"".join(header(k, v) for k, v in headers)
    total = 16 + len(h) + len(payload)
    prelude = struct.pack(">II", total, len(h))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    msg = prelude + h + payload
    return msg + struct.pack(">I", zlib.crc32(msg) & 0xFFFFFFFF)


def event(event_type, obj):
    return frame([(":event-type", event_type), (":content-type", "application/json"), (":message-type", "event")],
                 json.dumps(obj, separators=(",", ":")).encode())


def exception(exception_type, message):
    return frame([(":exception-type", exception_type), (":content-type", "application/json"),
                  (":message-type", "exception")], json.dumps({"message": message}).encode())


def chunk(obj):
    inner = json.dumps(obj, separators=(",", ":")).encode()
    return event("chunk", {"bytes": base64.b64encode(inner).decode(), "p": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"[: len(inner) % 47]})


def write(case, path, request_body, status, headers, body, props=None, extra_request_headers=()):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    req = json.dumps(request_body, indent=2).encode() if not isinstance(request_body, bytes) else request_body
    head = ["POST " + HOST + path, "Content-Type: application/json", *extra_request_headers, *SIGV4,
            "Content-Length: %d" % len(req)]
    with open(os.path.join(d, "request.http"), "wb") as f:
        f.write(("\n".join(head) + "\n\n").encode() + req)
    with open(os.path.join(d, "response.http"), "wb") as f:
        f.write((str(status) + "\n" + "\n".join(headers) + "\n\n").encode() + body)
    if props:
        with open(os.path.join(d, "recording.properties"), "w") as f:
            f.write(props)


JSON_HEADERS = ["Content-Type: application/json", "x-amzn-RequestId: 6f1c2b8e-0000-4000-8000-00000000aaaa"]
STREAM_HEADERS = ["Content-Type: application/vnd.amazon.eventstream", 
                  "x-amzn-RequestId: 6f1c2b8e-0000-4000-8000-00000000bbbb"]
CLAUDE = "anthropic.claude-3-5-sonnet-20241022-v2:0"
CLAUDE_PATH = "anthropic.claude-3-5-sonnet-20241022-v2%3A0"

# 1. Converse, plain text
write("converse", "/model/" + CLAUDE_PATH + "/converse", {
    "messages": [{"role": "user", "content": [{"text": "Name one primary colour."}]}],
    "system": [{"text": "Answer in one word."}],
    "inferenceConfig": {"maxTokens": 256, "temperature": 0.2, "topP": 0.9, "stopSequences": ["\n\n"]},
}, 200, JSON_HEADERS, json.dumps({
    "output": {"message": {"role": "assistant", "content": [{"text": "Red."}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 18, "outputTokens": 4, "totalTokens": 22},
    "metrics": {"latencyMs": 412},
}).encode())

# 2. Converse with tool use, through an inference profile ARN (percent-encoded in the path), cache counts
ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0"
ARN_PATH = ARN.replace(":", "%3A").replace("/", "%2F")
write("converse-tool-use", "/model/" + ARN_PATH + "/converse", {
    "messages": [{"role": "user", "content": [{"text": "What is the weather in Paris?"}]}],
    "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather for a city",
                                           "inputSchema": {"json": {"type": "object", "properties": {
                                               "city": {"type": "string"}}, "required": ["city"]}}}}]},
    "inferenceConfig": {"maxTokens": 1024},
    "additionalModelRequestFields": {"top_k": 40},
}, 200, JSON_HEADERS, json.dumps({
    "output": {"message": {"role": "assistant", "content": [
        {"text": "I'll look that up."},
        {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "get_weather",
                     "input": {"city": "Paris"}}}]}},
    "stopReason": "tool_use",
    "usage": {"inputTokens": 392, "outputTokens": 58, "totalTokens": 2498, "cacheReadInputTokens": 2048,
              "cacheWriteInputTokens": 0},
    "metrics": {"latencyMs": 1107},
}).encode())

# 3. ConverseStream, complete (metadata last)
STREAM_REQ = {"messages": [{"role": "user", "content": [{"text": "Count to three."}]}],
              "inferenceConfig": {"maxTokens": 100, "temperature": 0.5}}
stream_events = [
    event("messageStart", {"role": "assistant"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "One,"}}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": " two,"}}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": " three."}}),
    event("contentBlockStop", {"contentBlockIndex": 0}),
    event("messageStop", {"stopReason": "end_turn"}),
    event("metadata", {"usage": {"inputTokens": 12, "outputTokens": 9, "totalTokens": 21},
                       "metrics": {"latencyMs": 388}}),
]
write("converse-stream", "/model/" + CLAUDE_PATH + "/converse-stream", STREAM_REQ, 200, STREAM_HEADERS,
      b"".join(stream_events))

# 4. ConverseStream truncated: the connection ends after messageStop, before metadata (and mid-frame)
meta = stream_events[-1]
write("converse-stream-truncated", "/model/" + CLAUDE_PATH + "/converse-stream", STREAM_REQ, 200, STREAM_HEADERS,
      b"".join(stream_events[:-1]) + meta[:20])

# 5. An exception message mid-stream (modelStreamErrorException), then the stream ends
write("converse-stream-exception", "/model/us.amazon.nova-pro-v1%3A0/converse-stream", STREAM_REQ, 200,
      STREAM_HEADERS, b"".join(stream_events[:3]) +
      exception("modelStreamErrorException", "The model stream was interrupted. Try your request again."))

# 6. InvokeModel with an Anthropic body
ANTHROPIC_REQ = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 300, "temperature": 0.7, "top_k": 250,
                 "top_p": 0.999, "stop_sequences": ["Human:"],
                 "system": "You are terse.",
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "Say hi."}]}]}
write("invoke-anthropic", "/model/" + CLAUDE_PATH + "/invoke", ANTHROPIC_REQ, 200,
      ["Content-Type: application/json", "X-Amzn-Bedrock-Input-Token-Count: 15",
       "X-Amzn-Bedrock-Output-Token-Count: 6", "X-Amzn-Bedrock-Invocation-Latency: 523",
       "x-amzn-RequestId: 6f1c2b8e-0000-4000-8000-00000000cccc"],
      json.dumps({"id": "msg_bdrk_01XyZ7Wq3n8Fh2Kd5Lp9Rt4V", "type": "message", "role": "assistant",
                  "model": "claude-3-5-sonnet-20241022",
                  "content": [{"type": "text", "text": "Hi there!"}], "stop_reason": "end_turn",
                  "stop_sequence": None,
                  "usage": {"input_tokens": 15, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                            "output_tokens": 6}}).encode())

# 7. InvokeModelWithResponseStream with an Anthropic body (inference profile id)
chunks = [
    chunk({"type": "message_start", "message": {"id": "msg_bdrk_01StreamAbCdEfGh12345678", "type": "message",
                                                "role": "assistant", "model": "claude-3-5-haiku-20241022",
                                                "content": [], "stop_reason": None, "stop_sequence": None,
                                                "usage": {"input_tokens": 14, "output_tokens": 1}}}),
    chunk({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    chunk({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}),
    chunk({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " world"}}),
    chunk({"type": "content_block_stop", "index": 0}),
    chunk({"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": None},
           "usage": {"output_tokens": 2}}),
    chunk({"type": "message_stop", "amazon-bedrock-invocationMetrics": {
        "inputTokenCount": 14, "outputTokenCount": 2, "invocationLatency": 402, "firstByteLatency": 317}}),
]
write("invoke-stream-anthropic", "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream",
      {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 2,
       "messages": [{"role": "user", "content": "Greet the world."}]}, 200, STREAM_HEADERS, b"".join(chunks))

# 7b. InvokeModelWithResponseStream of another model (Llama): only what is model-independent
llama = [
    chunk({"generation": "Hello", "prompt_token_count": 9, "generation_token_count": 1, "stop_reason": None}),
    chunk({"generation": "!", "prompt_token_count": None, "generation_token_count": 2, "stop_reason": "stop",
           "amazon-bedrock-invocationMetrics": {"inputTokenCount": 9, "outputTokenCount": 2,
                                                "invocationLatency": 210, "firstByteLatency": 150}}),
]
write("invoke-stream-llama", "/model/meta.llama3-8b-instruct-v1%3A0/invoke-with-response-stream",
      {"prompt": "Say hello.", "max_gen_len": 16, "temperature": 0.1}, 200, STREAM_HEADERS, b"".join(llama))

# 8. 429 ThrottlingException on Converse
write("throttling-429", "/model/" + CLAUDE_PATH + "/converse", STREAM_REQ, 429,
      ["Content-Type: application/json",
       "x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
       "x-amzn-RequestId: 6f1c2b8e-0000-4000-8000-00000000dddd"],
      json.dumps({"message": "Too many requests, please wait before trying again."}).encode())

# 9. 400 ValidationException on ConverseStream (a JSON error, not a stream)
write("validation-400", "/model/" + CLAUDE_PATH + "/converse-stream",
      {"messages": [{"role": "user", "content": [{"text": "Hi"}]}], "inferenceConfig": {"maxTokens": 900000}}, 400,
      ["Content-Type: application/json",
       "x-amzn-ErrorType: ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
       "x-amzn-RequestId: 6f1c2b8e-0000-4000-8000-00000000eeee"],
      json.dumps({"message": "The maximum tokens you requested exceeds the model limit of 8192."}).encode())

# 10. Content capture: system, tools, a tool round trip, an image, the output message
write("content-capture", "/model/" + CLAUDE_PATH + "/converse", {
    "system": [{"text": "You are a weather assistant."}, {"cachePoint": {"type": "default"}}],
    "messages": [
        {"role": "user", "content": [{"text": "Weather in Paris?"},
                                     {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}}]},
        {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_1", "name": "get_weather",
                                                       "input": {"city": "Paris"}}}]},
        {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_1", "content": [{"json": {"tempC": 18}}],
                                                     "status": "success"}}]},
    ],
    "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather for a city",
                                           "inputSchema": {"json": {"type": "object", "properties": {
                                               "city": {"type": "string"}}}}}}]},
    "inferenceConfig": {"maxTokens": 200},
}, 200, JSON_HEADERS, json.dumps({
    "output": {"message": {"role": "assistant", "content": [{"text": "It is 18 \u00b0C in \"Paris\"."}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 120, "outputTokens": 11, "totalTokens": 131},
    "metrics": {"latencyMs": 640},
}, ensure_ascii=False).encode(), props="capture-content=true\n")

# 11. Content capture of a stream: text then a tool use assembled from deltas
write("content-capture-stream", "/model/" + CLAUDE_PATH + "/converse-stream", {
    "messages": [{"role": "user", "content": [{"text": "Weather in Oslo?"}]}],
    "inferenceConfig": {"maxTokens": 200},
}, 200, STREAM_HEADERS, b"".join([
    event("messageStart", {"role": "assistant"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Checking."}}),
    event("contentBlockStop", {"contentBlockIndex": 0}),
    event("contentBlockStart", {"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "tooluse_2",
                                                                              "name": "get_weather"}}}),
    event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"city\":"}}}),
    event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"toolUse": {"input": " \"Oslo\"}"}}}),
    event("contentBlockStop", {"contentBlockIndex": 1}),
    event("messageStop", {"stopReason": "tool_use"}),
    event("metadata", {"usage": {"inputTokens": 30, "outputTokens": 25, "totalTokens": 55},
                       "metrics": {"latencyMs": 700}}),
]), props="capture-content=true\n")
