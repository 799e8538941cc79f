"""Which adapter and which credentials serve a model for a tenant.

Order: the tenant's own key for the provider (bring your own key), then the deployment's key
from the environment, then the built-in simulator, which is always labelled as simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ApplicationError
from routing.catalog import CatalogModel
from routing.providers.base import Credentials, ProviderAdapter


@dataclass(frozen=True, slots=True)
class Target:
    adapter: ProviderAdapter
    credentials: Credentials
    provider: str  # the provider slug recorded in the ledger, or "simulator"
    simulated: bool
    source: str  # "tenant", "deployment" or "simulator"


class ProviderRegistry:
    def __init__(
        self,
        *,
        adapters: dict[str, ProviderAdapter],
        simulator: ProviderAdapter,
        deployment_credentials: dict[str, tuple[str, str]],
    ):
        self.adapters = adapters
        self.simulator = simulator
        self.deployment_credentials = {k: v for k, v in deployment_credentials.items() if v[0]}

    def resolve(self, model: CatalogModel, tenant_credentials: dict[str, tuple[str, str]]) -> Target:
        for source, credentials in (("tenant", tenant_credentials), ("deployment", self.deployment_credentials)):
            found = credentials.get(model.provider_slug)
            if found is None:
                continue
            adapter = self.adapters.get(model.provider_kind)
            if adapter is None:
                raise ApplicationError(
                    f"No adapter is installed for {model.provider_name} ({model.provider_kind}).",
                    status=502,
                    code="provider_unsupported",
                )
            api_key, base_url = found
            return Target(
                adapter=adapter,
                credentials=Credentials(api_key=api_key, base_url=base_url or model.provider_base_url),
                provider=model.provider_slug,
                simulated=False,
                source=source,
            )
        return Target(
            adapter=self.simulator,
            credentials=Credentials(api_key="", base_url=""),
            provider="simulator",
            simulated=True,
            source="simulator",
        )

    async def aclose(self) -> None:
        for adapter in {id(a): a for a in [*self.adapters.values(), self.simulator]}.values():
            await adapter.aclose()
