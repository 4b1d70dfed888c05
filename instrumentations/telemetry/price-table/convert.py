#!/usr/bin/env python3
"""Derives the agent's bundled price table from LiteLLM's public model price table (MIT, Copyright (c) 2023 Berri AI).

Usage: python3 convert.py ../../../../shared/data/model_prices_and_context_window.json \
           ../src/main/resources/dev/llmotel/cost/model-prices.tsv

Keeps chat, completion, responses and embedding models of the providers the agent names, with USD-per-token prices:
input, output, cache read, cache creation, and the input/output prices above 200k input tokens where tiered.
"""
import json
import sys

PROVIDERS = {
    "openai", "text-completion-openai", "anthropic", "gemini", "vertex_ai-language-models", "mistral", "codestral",
    "deepseek", "groq", "xai", "azure", "perplexity", "together_ai", "openrouter", "cohere", "cohere_chat",
}
MODES = {"chat", "completion", "responses", "embedding"}
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
        rows.append("\t".join([model, entry["litellm_provider"]] + [fmt(entry.get(c)) for c in COLUMNS]))
    with open(target, "w", encoding="utf-8") as out:
        out.write("# llm-otel-agent bundled model prices, USD per token. Derived from LiteLLM's\n")
        out.write("# model_prices_and_context_window.json, snapshot " + snapshot + ".\n")
        out.write("# LiteLLM: MIT License, Copyright (c) 2023 Berri AI. See NOTICE.\n")
        out.write("# model\tprovider\t" + "\t".join(COLUMNS) + "\n")
        out.write("\n".join(rows) + "\n")
    print(f"{len(rows)} models written to {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
