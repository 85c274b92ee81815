"""The model behind the drafts: an OpenAI-compatible endpoint, live or recorded.

`client`: the client (one retry loop, deadline, circuit breaker, replay/record). `prompts`:
the prompts and their version hash. `completion`: a chat-completion body read, or why it is
not one. `circuit`: the breaker. `recordings`: the recorded exchanges in `fixtures/llm/`.
May import: `pitchgen.content`, `pitchgen.ask`, `pitchgen.settings`, `pitchgen.errors`.
Only `client` imports openai: nothing is imported on package import.
"""
