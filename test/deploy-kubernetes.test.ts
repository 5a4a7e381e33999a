/**
 * deploy/kubernetes/ as far as it can be checked without a cluster: the base, each overlay and the KEDA
 * component render (kubectl kustomize) into objects that validate against the Kubernetes schemas of pinned
 * releases; their commands are gongflow's, their variables ones gongflow reads, their ports its defaults;
 * and the API container's command, with the rendered temporal.yaml, answers the probes the manifests name.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { buildProgram } from '../cli/main';
import { CONFIG_FILE_VARIABLE, ENV_OVERRIDES } from '../config/environment';
import { loadConfig } from '../config/load';
import { GongflowConfigSchema } from '../config/schema';
import { PREVIOUS_SECRETS_KEYS_VARIABLE, SECRETS_KEY_VARIABLE } from '../connections/secrets';
import { loadPlan } from '../definitions/load';
import { serveMetrics } from '../observability/metrics-server';
import { ENCRYPTION_KEYS_VARIABLE } from '../workers/payload-codec';
import { GONGFLOW_BIN } from './support/cli';
import { installDeployLinters } from './support/deploy-lint';
import {
  containerPort,
  deployments,
  environmentNames,
  find,
  gongflowContainer,
  KUBERNETES_DIR,
  plainEnvironment,
  render,
  renderOverlay,
  validate,
  type Deployment,
  type KubeObject,
} from './support/kubernetes-manifests';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

jest.setTimeout(240_000);

/** The oldest Kubernetes release the manifests promise to work on, and the newest kubernetes-validate knows. */
const KUBERNETES_VERSIONS = ['1.33.0', '1.37.0'];
const KUSTOMIZATIONS = ['base', 'overlays/temporal-cloud-api-key', 'overlays/temporal-cloud-mtls'];
const KEDA_COMPONENT = path.join(KUBERNETES_DIR, 'components', 'keda-backlog');
const dockerfile = readFileSync(path.join(KUBERNETES_DIR, '..', 'Dockerfile'), 'utf8');

/** Variables gongflow reads itself (config/environment.ts and the key rings). */
const READ_BY_GONGFLOW = new Set([
  ...ENV_OVERRIDES.map(({ variable }) => variable),
  CONFIG_FILE_VARIABLE,
  ENCRYPTION_KEYS_VARIABLE,
  SECRETS_KEY_VARIABLE,
  PREVIOUS_SECRETS_KEYS_VARIABLE,
]);
/** Variables the libraries gongflow configures from the environment read by their own standard names. */
const READ_BY_LIBRARIES = new Set([
  'AWS_ACCESS_KEY_ID', // the AWS SDK's credential chain (blobs.s3)
  'AWS_SECRET_ACCESS_KEY',
  'OTEL_SERVICE_NAME', // observability/tracing.ts
]);

const rendered = new Map<string, KubeObject[]>();

beforeAll(async () => {
  await installDeployLinters();
  for (const kustomization of KUSTOMIZATIONS) {
    rendered.set(kustomization, await render(path.join(KUBERNETES_DIR, kustomization)));
  }
  rendered.set(
    'base + keda-backlog',
    await renderOverlay([path.join(KUBERNETES_DIR, 'base')], [KEDA_COMPONENT]),
  );
});

function objectsOf(kustomization: string): KubeObject[] {
  const objects = rendered.get(kustomization);
  if (!objects) throw new Error(`${kustomization} was not rendered`);
  return objects;
}

const api = (objects: KubeObject[]): Deployment => find<Deployment>(objects, 'Deployment', 'gongflow-api');
const worker = (objects: KubeObject[]): Deployment =>
  find<Deployment>(objects, 'Deployment', 'gongflow-worker');

/** The rendered temporal.yaml, loaded as gongflow would with the environment the container gets. */
function projectConfig(objects: KubeObject[], deployment: Deployment): ReturnType<typeof loadConfig> {
  const project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-k8s-project-'));
  writeFileSync(
    path.join(project, 'temporal.yaml'),
    find(objects, 'ConfigMap', 'gongflow-project').data!['temporal.yaml']!,
  );
  return loadConfig({ cwd: project, env: plainEnvironment(objects, gongflowContainer(deployment)) });
}

describe.each([...KUSTOMIZATIONS, 'base + keda-backlog'])('%s', (kustomization) => {
  it.each(KUBERNETES_VERSIONS)(
    'renders objects valid against the schemas of Kubernetes %s',
    async (version) => {
      const objects = objectsOf(kustomization);
      // KEDA's custom resources have no schema among Kubernetes' own: checked against gongflow's below.
      const report = await validate(
        objects.filter(({ apiVersion }) => !apiVersion.startsWith('keda.sh/')),
        version,
      );
      expect(report).not.toMatch(/Couldn't find schema/);
      expect(report.match(/passed for resource/g)?.length).toBe(
        objects.filter(({ apiVersion }) => !apiVersion.startsWith('keda.sh/')).length,
      );
    },
  );

  it('runs real gongflow commands and options, after the image entrypoint', () => {
    const program = buildProgram();
    const commands = deployments(objectsOf(kustomization)).map((deployment) => {
      const container = gongflowContainer(deployment);
      // `command` would replace the image's ENTRYPOINT (node /app/bin/gongflow.cjs): args only.
      expect(container.command).toBeUndefined();
      const [name, ...options] = container.args ?? [];
      const command = program.commands.find((candidate) => candidate.name() === name);
      expect(command).toBeDefined();
      expect(command!.parseOptions(options)).toEqual({ operands: [], unknown: [] });
      return container.args;
    });
    expect(commands).toEqual([['server', '--host', '0.0.0.0', '--no-worker'], ['worker']]);
  });

  it('sets only variables gongflow reads, secrets from Secrets (none rendered)', () => {
    const objects = objectsOf(kustomization);
    expect(objects.filter(({ kind }) => kind === 'Secret')).toEqual([]);
    for (const deployment of deployments(objects)) {
      const container = gongflowContainer(deployment);
      for (const name of environmentNames(objects, container)) {
        expect({ name, read: READ_BY_GONGFLOW.has(name) || READ_BY_LIBRARIES.has(name) }).toEqual({
          name,
          read: true,
        });
      }
      // A Secret's key is the variable it fills: `kubectl create secret --from-literal=NAME=...` reads alike.
      for (const variable of container.env ?? []) {
        const reference = variable.valueFrom?.secretKeyRef;
        if (reference) expect(reference.key).toBe(variable.name);
      }
    }
  });

  it('loads its temporal.yaml with each container environment, as the pods would', () => {
    const objects = objectsOf(kustomization);
    for (const deployment of deployments(objects)) {
      const { config } = projectConfig(objects, deployment);
      expect(config.temporal.address).toBe(
        plainEnvironment(objects, gongflowContainer(deployment))['TEMPORAL_ADDRESS'],
      );
    }
    // A stopping worker finishes its tasks in hand (worker.shutdownGraceTimeMs) before Kubernetes kills it.
    const { config } = projectConfig(objects, worker(objects));
    expect(worker(objects).spec.template.spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
      config.worker.shutdownGraceTimeMs,
    );
  });
});

describe('base', () => {
  const objects = (): KubeObject[] => objectsOf('base');

  it("listens on gongflow's ports: the API's default, the workers' metricsPort; the Service reaches the API", () => {
    const apiContainer = gongflowContainer(api(objects()));
    const defaults = GongflowConfigSchema.parse({});
    expect(containerPort(apiContainer, 'http')).toBe(defaults.http.port);
    expect(dockerfile).toContain(`GONGFLOW_HTTP_PORT=${defaults.http.port}`);
    const { config } = projectConfig(objects(), worker(objects()));
    expect(containerPort(gongflowContainer(worker(objects())), 'metrics')).toBe(config.worker.metricsPort);
    // Temporal's SDK metrics, where the rendered temporal.yaml serves them.
    expect(config.worker.sdkMetricsAddress).toBeDefined();
    expect(containerPort(gongflowContainer(worker(objects())), 'sdk-metrics')).toBe(
      Number(config.worker.sdkMetricsAddress?.split(':').pop()),
    );
    const service = find(objects(), 'Service', 'gongflow-api').spec as {
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    };
    expect(api(objects()).spec.template.metadata.labels).toMatchObject(service.selector);
    expect(containerPort(apiContainer, service.ports[0]!.targetPort)).toBe(defaults.http.port);
  });

  it("runs as the image's unprivileged user, with resource requests and limits", () => {
    const [, user, group] = /^USER (\d+):(\d+)$/m.exec(dockerfile) ?? [];
    for (const deployment of deployments(objects())) {
      expect(deployment.spec.template.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: Number(user),
        runAsGroup: Number(group),
      });
      const container = gongflowContainer(deployment);
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    }
  });

  it('keeps pods through disruptions and scales the workers', () => {
    for (const deployment of deployments(objects())) {
      const budget = find(objects(), 'PodDisruptionBudget', deployment.metadata.name).spec as {
        selector: { matchLabels: Record<string, string> };
      };
      expect(budget.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
    const autoscaler = find(objects(), 'HorizontalPodAutoscaler', 'gongflow-worker').spec;
    expect(autoscaler).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'gongflow-worker' } });
    // The autoscaler owns the worker count: a replicas field would reset it on every apply.
    expect(worker(objects()).spec).not.toHaveProperty('replicas');
  });

  it('ships valid definitions, mounted where temporal.yaml looks for them', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'gongflow-k8s-definitions-'));
    const files = Object.entries(find(objects(), 'ConfigMap', 'gongflow-definitions').data ?? {});
    expect(files.length).toBeGreaterThan(0);
    for (const [name, text] of files) {
      writeFileSync(path.join(folder, name), text);
      expect(loadPlan(path.join(folder, name)).name).toBe(path.basename(name, '.yaml'));
    }
    const { config } = projectConfig(objects(), api(objects()));
    const mounts = gongflowContainer(api(objects())).volumeMounts;
    expect(mounts?.map(({ mountPath }) => mountPath)).toEqual(
      expect.arrayContaining([config.http.definitionsDir, config.dataDir, '/project']),
    );
    // /project is where the image starts (its last WORKDIR): temporal.yaml is found without --config.
    expect(dockerfile.match(/^WORKDIR (.+)$/gm)?.at(-1)).toBe('WORKDIR /project');
  });

  it("the API container's command and temporal.yaml answer its probes", async () => {
    const deployment = api(objects());
    const container = gongflowContainer(deployment);
    const project = mkdtempSync(path.join(os.tmpdir(), 'gongflow-k8s-api-'));
    // The pod's volumes, mounted here under the project folder instead of /definitions and /data.
    const temporalYaml = parseDocument(
      find(objects(), 'ConfigMap', 'gongflow-project').data!['temporal.yaml']!,
    );
    temporalYaml.setIn(['http', 'definitionsDir'], 'definitions');
    writeFileSync(path.join(project, 'temporal.yaml'), temporalYaml.toString());
    mkdirSync(path.join(project, 'definitions'));
    for (const [name, text] of Object.entries(
      find(objects(), 'ConfigMap', 'gongflow-definitions').data ?? {},
    )) {
      writeFileSync(path.join(project, 'definitions', name), text);
    }
    const port = await freePort();
    const env = {
      ...process.env,
      ...plainEnvironment(objects(), container),
      // This test's Temporal server instead of the in-cluster address; the Secrets' values, made here.
      TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
      [ENCRYPTION_KEYS_VARIABLE]: `k1:${randomBytes(32).toString('base64')}`,
      [SECRETS_KEY_VARIABLE]: randomBytes(32).toString('base64'),
      GONGFLOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'gongflow-k8s-data-')),
      GONGFLOW_HTTP_PORT: String(port),
      GONGFLOW_CONFIG: '',
    };
    const child = spawn(process.execPath, [GONGFLOW_BIN, ...container.args!], {
      cwd: project,
      env,
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const failed = exited.then(() => {
        throw new Error(`gongflow ${container.args!.join(' ')} exited:\n${output}`);
      });
      failed.catch(() => undefined); // it also exits when stopped below: that is no failure
      const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
      expect(probes.map((probe) => probe?.httpGet?.path)).toEqual(['/healthz', '/healthz', '/readyz']);
      for (const probe of probes) {
        expect(containerPort(container, probe!.httpGet!.port)).toBe(GongflowConfigSchema.parse({}).http.port);
        const url = `http://127.0.0.1:${port}${probe!.httpGet!.path}`;
        // Until the server listens (and, for readiness, reaches Temporal: 503), then the probe's verdict.
        const status = await Promise.race([
          failed,
          waitFor(
            async () => {
              const response = await fetch(url).catch(() => undefined);
              return response && response.status !== 503 ? response.status : undefined;
            },
            `the API server to answer ${probe!.httpGet!.path}`,
            180_000,
          ),
        ]);
        expect({ path: probe!.httpGet!.path, status }).toEqual({ path: probe!.httpGet!.path, status: 200 });
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  });

  it("the workers' probes are paths their metrics endpoint answers", async () => {
    const container = gongflowContainer(worker(objects()));
    const { config } = projectConfig(objects(), worker(objects()));
    const metrics = await serveMetrics(0, '127.0.0.1');
    try {
      const probes = [container.startupProbe, container.livenessProbe];
      for (const probe of probes) {
        expect(containerPort(container, probe!.httpGet!.port)).toBe(config.worker.metricsPort);
        const response = await fetch(new URL(probe!.httpGet!.path, metrics.url));
        expect(response.status).toBe(200);
      }
    } finally {
      await metrics.close();
    }
  });
});

describe('Temporal Cloud overlays', () => {
  it('give every container the API key from its Secret', () => {
    const objects = objectsOf('overlays/temporal-cloud-api-key');
    for (const deployment of deployments(objects)) {
      expect(gongflowContainer(deployment).env).toContainEqual({
        name: 'TEMPORAL_API_KEY',
        valueFrom: { secretKeyRef: { name: 'gongflow-temporal-cloud', key: 'TEMPORAL_API_KEY' } },
      });
    }
  });

  it("give every container the client certificate's files where TEMPORAL_TLS_* point", () => {
    const objects = objectsOf('overlays/temporal-cloud-mtls');
    for (const deployment of deployments(objects)) {
      const container = gongflowContainer(deployment);
      const volumes = deployment.spec.template.spec.volumes ?? [];
      const { config } = projectConfig(objects, deployment);
      const files = [config.temporal.tls?.clientCertFile, config.temporal.tls?.clientKeyFile];
      // A kubernetes.io/tls Secret's two keys, mounted as files of those names.
      expect(files.map((file) => path.basename(file ?? ''))).toEqual(['tls.crt', 'tls.key']);
      for (const file of files) {
        const mount = container.volumeMounts?.find(({ mountPath }) => mountPath === path.dirname(file!));
        expect(volumes.find(({ name }) => name === mount?.name)?.secret).toMatchObject({
          secretName: 'gongflow-temporal-tls',
        });
      }
    }
  });
});

describe('base + keda-backlog', () => {
  it("replaces the CPU autoscaler by KEDA's, scaling the workers on gongflow's task queue", () => {
    const objects = objectsOf('base + keda-backlog');
    expect(objects.filter(({ kind }) => kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const scaledObject = find(objects, 'ScaledObject', 'gongflow-worker').spec as {
      scaleTargetRef: { name: string };
      triggers: Array<{ type: string; metadata: Record<string, string> }>;
    };
    expect(scaledObject.scaleTargetRef.name).toBe(worker(objects).metadata.name);
    const env = plainEnvironment(objects, gongflowContainer(worker(objects)));
    const { config } = projectConfig(objects, worker(objects));
    expect(scaledObject.triggers).toEqual([
      {
        type: 'temporal',
        metadata: expect.objectContaining({
          endpoint: env['TEMPORAL_ADDRESS'],
          namespace: env['TEMPORAL_NAMESPACE'],
          taskQueue: config.worker.taskQueue,
        }) as Record<string, string>,
      },
    ]);
  });
});
