#!/usr/bin/env python3
"""Derives the agent's bundled price table from LiteLLM's public model price table (MIT, Copyright (c) 2023 Berri AI).

Usage: python3 convert.py ../../../../shared/data/model_prices_and_context_window.json \
           ../src/main/resources/dev/llmotel/cost/model-prices.tsv

Keeps chat, completion, responses and embedding models of the providers the agent names, with USD-per-token prices:
input, output, cache read, cache creation, and the input/output prices above 200k input tokens where tiered. Audio
models priced per token (speech to text, text to speech) are kept too, with their audio token prices where given (the
usage such calls report counts audio tokens: transcription input, speech output); those priced per second or per
character only (whisper-1, tts-1) are not.
"""
import json
import sys

PROVIDERS = {
    "openai", "text-completion-openai", "anthropic", "gemini", "vertex_ai-language-models", "mistral", "codestral",
    "deepseek", "groq", "xai", "azure", "perplexity", "together_ai", "openrouter", "cohere", "cohere_chat",
}
MODES = {"chat", "completion", "responses", "embedding", "audio_transcription", "audio_speech"}
# the usage an audio call reports counts audio tokens on one side: that side's audio token price, where listed
AUDIO_PRICES = {"audio_transcription": ("input_cost_per_token", "input_cost_per_audio_token"),
                "audio_speech": ("output_cost_per_token", "output_cost_per_audio_token")}
COLUMNS = ["input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
           "cache_creation_input_token_cost", "input_cost_per_token_above_200k_tokens",
           "output_cost_per_token_above_200k_tokens"]


def fmt(value):
    if value is None:
        return ""
    return repr(float(value))


def main(source, target):
    with open(source, encoding="utf-8") as f:
        table = json.load(f)
    snapshot = table.get("last_updated", "unknown")
    rows = []
    for model, entry in sorted(table.items()):
        if not isinstance(entry, dict) or entry.get("litellm_provider") not in PROVIDERS:
            continue
        if entry.get("mode") not in MODES or entry.get("input_cost_per_token") is None:
            continue
        prices = dict(entry)
        if entry["mode"] in AUDIO_PRICES:
            column, audio = AUDIO_PRICES[entry["mode"]]
            if entry.get(audio) is not None:
                prices[column] = entry[audio]
        rows.append("\t".join([model, entry["litellm_provider"]] + [fmt(prices.get(c)) for c in COLUMNS]))
    with open(target, "w", encoding="utf-8") as out:
        out.write("# llm-otel-agent bundled model prices, USD per token. Derived from LiteLLM's\n")
        out.write("# model_prices_and_context_window.json, snapshot " + snapshot + ".\n")
        out.write("# LiteLLM: MIT License, Copyright (c) 2023 Berri AI. See NOTICE.\n")
        out.write("# model\tprovider\t" + "\t".join(COLUMNS) + "\n")
        out.write("\n".join(rows) + "\n")
    print(f"{len(rows)} models written to {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
