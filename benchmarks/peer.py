"""Gateway overhead next to LiteLLM, with ../shared/bench/peer/run.sh, in the same run.

Prepares a benchmark tenant whose OpenAI traffic goes to the peer bench's fake upstream
(127.0.0.1:18181), with no rate limit, then lets run.sh start our server (uvicorn, one worker,
like LiteLLM's one worker), LiteLLM and the fake upstream, and measure all three.

    .venv/bin/python -m benchmarks.peer                 # json, c = 1 8 32 128
    MODES="json stream" ROUNDS=3 .venv/bin/python -m benchmarks.peer
    SKIP_LITELLM=1 CONCURRENCIES="1 32" .venv/bin/python -m benchmarks.peer
    PEER_CACHE=1 .venv/bin/python -m benchmarks.peer   # our cache on: repeated prompts are exact hits

Prints run.sh's rows, then its summary JSON as the last line. Needs ../shared/bench/peer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.common import ROOT, SHARED, django_setup, emit, machine, uvicorn_command

PORT = int(os.environ.get("NR_BENCH_PORT", "18090"))
FAKE_PORT = int(os.environ.get("FAKE_PORT", "18181"))


def prepare() -> str:
    django_setup()
    from tenants.models import Tenant
    from tenants.services import api_key_create, policy_update, provider_credential_set, tenant_create

    tenant = Tenant.objects.filter(slug="peer-bench").first() or tenant_create(name="Peer bench", slug="peer-bench")
    # The peer bench sends one prompt over and over: with the cache on, every request after the first
    # would be an exact hit and never reach the upstream. Off by default, so that both gateways do the
    # whole proxy path (our shield, embedding, classification and ledger included); PEER_CACHE=1 measures hits.
    policy_update(tenant=tenant, rate_limit_rpm=0, cache_enabled=os.environ.get("PEER_CACHE") == "1")
    provider_credential_set(
        tenant=tenant, provider_slug="openai", api_key="sk-peer-bench", base_url=f"http://127.0.0.1:{FAKE_PORT}/v1"
    )
    return api_key_create(tenant=tenant, name="peer bench").key


def main() -> None:
    script = SHARED / "bench" / "peer" / "run.sh"
    if not script.exists():
        sys.exit(f"{script} not found: the peer bench lives in ../shared/bench/peer")
    key = prepare()
    server = "exec " + " ".join(uvicorn_command(PORT))
    env = {
        **os.environ,
        "TARGET_URL": f"http://127.0.0.1:{PORT}/v1",
        "TARGET_KEY": key,
        "TARGET_MODEL": "gpt-4o-mini",
        "TARGET_READY_URL": f"http://127.0.0.1:{PORT}/healthz",
        "TARGET_LABEL": "neuralrouting",
        "TARGET_CMD": f"cd {ROOT} && {server}",
        "FAKE_PORT": str(FAKE_PORT),
        "NR_SIMULATOR_LATENCY_SCALE": "0",
    }
    result = subprocess.run(["bash", str(script)], env=env, stdout=subprocess.PIPE, check=False)
    lines = [line for line in result.stdout.decode().splitlines() if line.strip()]
    for line in lines[:-1]:
        print(line)
    summary = json.loads(lines[-1]) if lines else {"error": f"run.sh exited {result.returncode}"}
    emit({"benchmark": "peer", "machine": machine(), "run_sh_exit": result.returncode, **summary})


if __name__ == "__main__":
    main()
