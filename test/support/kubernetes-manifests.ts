/**
 * deploy/kubernetes/ rendered and read the way a cluster would: `kubectl kustomize` (kubectl's built-in
 * Kustomize, from deploy-lint.ts) turns a kustomization into objects, kubernetes-validate checks them against
 * the OpenAPI schemas of a Kubernetes release, and the helpers below find what the tests compare with
 * gongflow's own CLI, configuration and server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KUBECTL, KUBERNETES_VALIDATE } from './deploy-lint';

const run = promisify(execFile);

export const KUBERNETES_DIR = path.resolve(__dirname, '..', '..', 'deploy', 'kubernetes');

/** A rendered object: only the fields the checks read are typed; the schemas check the rest. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface PodSpec {
  securityContext?: { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean };
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string }; configMap?: { name: string } }>;
}

export interface Deployment extends KubeObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

/** `kubectl kustomize <dir>`: the objects `kubectl apply -k <dir>` would send. */
export async function render(dir: string): Promise<KubeObject[]> {
  const { stdout } = await run(KUBECTL, ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((document) => document.toJS() as KubeObject);
}

/**
 * A kustomization of its own (in a temporary folder) that uses the folders `resources` and `components`, as an
 * operator's overlay would: how a component is checked, which is never rendered alone.
 */
export async function renderOverlay(resources: string[], components: string[]): Promise<KubeObject[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongflow-kustomize-'));
  // Kustomize takes only relative paths to other kustomizations.
  const relative = (folders: string[]): string =>
    JSON.stringify(folders.map((folder) => path.relative(dir, folder)));
  const kustomization = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `resources: ${relative(resources)}`,
    `components: ${relative(components)}`,
  ].join('\n');
  writeFileSync(path.join(dir, 'kustomization.yaml'), `${kustomization}\n`);
  return render(dir);
}

/**
 * kubernetes-validate --strict on the objects (unknown fields are errors) against `version`'s schemas.
 * Resolves to its report; rejects with it when an object fails. An object of a kind without a schema (a
 * custom resource) is only warned about, so callers check the report for "Couldn't find schema".
 */
export async function validate(objects: KubeObject[], version: string): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gongflow-k8s-')), 'rendered.yaml');
  writeFileSync(file, objects.map((object) => JSON.stringify(object)).join('\n---\n'));
  try {
    const { stdout, stderr } = await run(KUBERNETES_VALIDATE, ['--strict', '-k', version, file]);
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`kubernetes-validate ${version} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

export function find<T extends KubeObject = KubeObject>(
  objects: KubeObject[],
  kind: string,
  name: string,
): T {
  // A generated ConfigMap's name ends in a hash of its content (gongflow-env-gc88t4m4m5).
  const hashed = new RegExp(`^${name}-[a-z0-9]{10}$`);
  const found = objects.find(
    ({ kind: objectKind, metadata }) =>
      objectKind === kind && (metadata.name === name || (kind === 'ConfigMap' && hashed.test(metadata.name))),
  );
  if (!found) throw new Error(`no ${kind} ${name} among the rendered objects`);
  return found as T;
}

export function deployments(objects: KubeObject[]): Deployment[] {
  return objects.filter((object): object is Deployment => object.kind === 'Deployment');
}

/** The one container of a gongflow Deployment. */
export function gongflowContainer(deployment: Deployment): Container {
  const container = deployment.spec.template.spec.containers.find(({ name }) => name === 'gongflow');
  if (!container) throw new Error(`${deployment.metadata.name} has no container "gongflow"`);
  return container;
}

/** The environment a container gets: its `env` values and its ConfigMaps' entries (not Secrets: not here). */
export function plainEnvironment(objects: KubeObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef?.name;
    if (configMap) Object.assign(env, objects.find(({ metadata }) => metadata.name === configMap)?.data);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
  }
  return env;
}

/** Every variable name a container sets: `env` and the keys of the ConfigMaps it imports whole. */
export function environmentNames(objects: KubeObject[], container: Container): string[] {
  const names = (container.env ?? []).map(({ name }) => name);
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef?.name;
    if (!configMap) continue;
    const data = objects.find(({ metadata }) => metadata.name === configMap)?.data;
    if (!data) throw new Error(`envFrom names ConfigMap ${configMap}, which is not rendered`);
    names.push(...Object.keys(data));
  }
  return names;
}

/** The containerPort a probe or Service names (by port name or number). */
export function containerPort(container: Container, port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find(({ name }) => name === port);
  if (!named) throw new Error(`container ${container.name} has no port named ${port}`);
  return named.containerPort;
}
