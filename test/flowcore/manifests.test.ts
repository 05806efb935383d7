import { describe, expect, test } from "bun:test";
import { CONTRACTS } from "../../src/pathways/contracts/index.ts";

/** The Flowcore manifests declare exactly what the code emits: no more, no fewer. */
const root = new URL("../../", import.meta.url);
const load = async (file: string) => Bun.YAML.parse(await Bun.file(new URL(file, root)).text()) as Record<string, unknown>;

interface Manifest {
  version: number;
  tenant: string;
  dataCore: {
    name: string;
    description: string;
    isPublic: boolean;
    deleteProtection: boolean;
    flowTypes: Record<string, { description: string; eventTypes: Record<string, { description: string }> }>;
  };
  scenario: {
    name: string;
    transformers: Record<
      string,
      {
        description: string;
        dataCore: string;
        flowType: string;
        events: string[];
        parameters: { name: string; type: string; value?: string }[];
        blueprint: { artifactUrl: string };
      }
    >;
  };
}
interface DevManifest {
  development: { proxyEndpoints: Record<string, { dataCore: string; flowType: string; events: string[]; parameters: { name: string; type: string; value?: string }[] }> };
}

const codePairs = CONTRACTS.map((c) => `${c.flowType}/${c.eventType}`).sort();
const codeFlowTypes = [...new Set(CONTRACTS.map((c) => c.flowType))].sort();

describe("flowcore.yaml", async () => {
  const m = (await load("flowcore.yaml")) as unknown as Manifest;

  test("version 1, a tenant, a private delete-protected data core with a description", () => {
    expect(m.version).toBe(1);
    expect(m.tenant).toBeString();
    expect(m.dataCore.name).toBe("private-analytics");
    expect(m.dataCore.description.length).toBeGreaterThan(10);
    expect(m.dataCore.isPublic).toBe(false);
    expect(m.dataCore.deleteProtection).toBe(true);
  });

  test("declares exactly the flow types and event types in CONTRACTS, each described as in the code", () => {
    const declared = Object.entries(m.dataCore.flowTypes).flatMap(([flow, ft]) => Object.keys(ft.eventTypes).map((ev) => `${flow}/${ev}`));
    expect(declared.sort()).toEqual(codePairs);
    for (const [flow, ft] of Object.entries(m.dataCore.flowTypes)) {
      expect(ft.description.length).toBeGreaterThan(5);
      for (const [ev, et] of Object.entries(ft.eventTypes)) {
        expect(et.description).toBe(CONTRACTS.find((c) => c.flowType === flow && c.eventType === ev)!.description);
      }
    }
  });

  test("the scenario proxies every event type to /api/transformer with the secret header", () => {
    const transformers = Object.values(m.scenario.transformers);
    const covered = transformers.flatMap((t) => t.events.map((ev) => `${t.flowType}/${ev}`));
    expect(covered.sort()).toEqual(codePairs);
    expect(transformers.map((t) => t.flowType).sort()).toEqual(codeFlowTypes);
    for (const t of transformers) {
      expect(t.dataCore).toBe(m.dataCore.name);
      expect(t.description.length).toBeGreaterThan(5);
      expect(t.blueprint.artifactUrl).toMatch(/^https:\/\/.+transformer-proxy.+\.zip$/);
      expect(t.parameters.find((p) => p.name === "PROXY_ENDPOINT")?.value).toMatch(/\/api\/transformer$/);
      expect(t.parameters.find((p) => p.name === "PROXY_HEADER_SECRET")?.type).toBe("secret");
    }
  });
});

describe("local overrides", () => {
  test("flowcore.local.yaml only overrides the tenant", async () => {
    const local = await load("flowcore.local.yaml");
    expect(Object.keys(local)).toEqual(["tenant"]);
    expect(local.tenant).toBeString();
  });

  test("flowcore.local.development.yaml has a proxy endpoint for every transformer, covering exactly the contracts", async () => {
    const m = (await load("flowcore.yaml")) as unknown as Manifest;
    const dev = (await load("flowcore.local.development.yaml")) as unknown as DevManifest;
    const endpoints = dev.development.proxyEndpoints;
    expect(Object.keys(endpoints).sort()).toEqual(Object.keys(m.scenario.transformers).sort());
    const covered = Object.values(endpoints).flatMap((e) => e.events.map((ev) => `${e.flowType}/${ev}`));
    expect(covered.sort()).toEqual(codePairs);
    for (const e of Object.values(endpoints)) {
      expect(e.dataCore).toBe(m.dataCore.name);
      expect(e.parameters.find((p) => p.name === "PROXY_HEADER_SECRET")?.type).toBe("secret");
    }
  });
});
