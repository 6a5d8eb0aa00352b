// Validates the Kubernetes manifests in deploy/kubernetes, offline:
//  1. schema: each object against the Kubernetes API's OpenAPI schema
//     (kubernetes-models: ajv validators generated from Kubernetes 1.27+);
//  2. unknown fields: each object as a TypeScript literal of the same
//     models' interface, so `tsc` rejects a misspelt or misplaced field
//     (the JSON schemas allow extra properties; the API server drops them);
//  3. policy: what this project requires of its deployment (replicas,
//     probes, resources, a locked-down security context, rolling update).
// Usage: node validate.mjs DIR  (DIR holds kustomization.yaml)
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? path.join(here, "../kubernetes"));
let failures = 0;
let passes = 0;
const ok = (m) => { passes++; console.log(`ok   ${m}`); };
const bad = (m) => { failures++; console.log(`FAIL ${m}`); };

// --- load: the resources that kustomization.yaml lists -------------------
const kust = yaml.load(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
const docs = [];
for (const file of kust.resources) {
  for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, file), "utf8"))) {
    if (doc) docs.push({ file, doc });
  }
}
ok(`parsed ${docs.length} objects from ${kust.resources.join(", ")}`);

// apiVersion + kind -> kubernetes-models module and interface name
const model = ({ apiVersion, kind }) => {
  const gv = apiVersion.includes("/") ? apiVersion : `v1`;
  return { module: `kubernetes-models/${gv}/${kind}`, iface: `I${kind}` };
};

// --- 1. schema -------------------------------------------------------------
for (const { file, doc } of docs) {
  const what = `${file}: ${doc.apiVersion} ${doc.kind}/${doc.metadata?.name}`;
  let mod;
  try {
    mod = await import(model(doc).module);
  } catch {
    bad(`${what}: no schema for this apiVersion/kind`);
    continue;
  }
  try {
    new mod[doc.kind](doc).validate();
    ok(`${what}: valid against the Kubernetes schema`);
  } catch (e) {
    bad(`${what}: ${e.message}`);
  }
}

// --- 2. unknown fields (tsc excess-property checks) ------------------------
{
  const out = path.join(here, "build");
  fs.mkdirSync(out, { recursive: true });
  const lines = [];
  docs.forEach(({ file, doc }, i) => {
    const { module, iface } = model(doc);
    lines.push(`import type { ${iface} as T${i} } from "${module}";`);
    lines.push(`// ${file}`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(doc, null, 2)};`);
  });
  const ts = path.join(out, "manifests.ts");
  fs.writeFileSync(ts, lines.join("\n") + "\n");
  try {
    execFileSync(process.execPath, [
      path.join(here, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict",
      "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--skipLibCheck", ts,
    ], { cwd: here, stdio: "pipe" });
    ok(`no unknown or mistyped fields (tsc --strict against the kubernetes-models interfaces)`);
  } catch (e) {
    bad(`unknown or mistyped fields:\n${String(e.stdout).trim()}`);
  }
}

// --- 3. policy -------------------------------------------------------------
const find = (kind) => docs.map((d) => d.doc).filter((d) => d.kind === kind);
const check = (cond, msg) => (cond ? ok(msg) : bad(msg));
const [dep] = find("Deployment");
if (!dep) {
  bad("a Deployment");
} else {
  const spec = dep.spec;
  const pod = spec.template.spec;
  const c = pod.containers.find((x) => x.name === "accord") ?? pod.containers[0];
  const sc = c.securityContext ?? {};
  const psc = pod.securityContext ?? {};
  check(spec.replicas === 3, "Deployment: 3 replicas");
  check(spec.strategy?.type === "RollingUpdate" &&
    spec.strategy.rollingUpdate?.maxUnavailable === 0,
    "Deployment: RollingUpdate with maxUnavailable 0");
  check(c.readinessProbe?.httpGet?.path === "/readyz", "readiness probe GET /readyz");
  check(c.livenessProbe?.httpGet?.path === "/healthz", "liveness probe GET /healthz");
  const r = c.resources ?? {};
  check(r.requests?.cpu && r.requests?.memory && r.limits?.cpu && r.limits?.memory,
    "resources: cpu and memory requests and limits");
  check(sc.readOnlyRootFilesystem === true, "readOnlyRootFilesystem: true");
  check((sc.runAsNonRoot ?? psc.runAsNonRoot) === true, "runAsNonRoot: true");
  check((sc.runAsUser ?? psc.runAsUser) === 10001, "runAsUser: 10001");
  check(sc.allowPrivilegeEscalation === false, "allowPrivilegeEscalation: false");
  check(sc.capabilities?.drop?.includes("ALL") && !(sc.capabilities?.add?.length),
    "capabilities: drop ALL, add none");
  check((sc.seccompProfile ?? psc.seccompProfile)?.type === "RuntimeDefault",
    "seccompProfile: RuntimeDefault");
  check(Number.isInteger(pod.terminationGracePeriodSeconds) &&
    pod.terminationGracePeriodSeconds > 0, "terminationGracePeriodSeconds set");
  const port = c.ports?.find((p) => p.containerPort === 8080);
  check(port, "container port 8080");
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  check(env.ACCORD_PORT === "8080" && env.ACCORD_DB, "ACCORD_* configuration in env");
  const labels = spec.template.metadata.labels;
  const sel = spec.selector.matchLabels;
  check(Object.entries(sel).every(([k, v]) => labels[k] === v),
    "Deployment selector matches its pod labels");
  const [svc] = find("Service");
  check(svc && Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v) &&
    svc.spec.ports.some((p) => p.targetPort === port?.name || p.targetPort === 8080),
    "Service selects the pods and targets port 8080");
  const [hpa] = find("HorizontalPodAutoscaler");
  check(hpa && hpa.apiVersion === "autoscaling/v2" &&
    hpa.spec.scaleTargetRef.kind === "Deployment" &&
    hpa.spec.scaleTargetRef.name === dep.metadata.name &&
    hpa.spec.minReplicas >= 3 && hpa.spec.maxReplicas >= hpa.spec.minReplicas,
    "HorizontalPodAutoscaler (autoscaling/v2) scales the Deployment from 3");
  const [pdb] = find("PodDisruptionBudget");
  check(pdb && Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => labels[k] === v) &&
    (pdb.spec.minAvailable ?? 0) < spec.replicas,
    "PodDisruptionBudget selects the pods and leaves room to evict");
}

console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
